// The README's list of the store's known differences is the list the equivalence test allows, word for word.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { STORE_KNOWN_DIFFERENCES } from "./known-differences";

it("lists the store's known differences in the README word for word, and no others", () => {
  const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../README.md"), "utf8");
  const section = readme.split("Known differences from LangGraph's `InMemoryStore`")[1]?.split("\n###")[0] ?? "";
  const bullets = section.split("\n").filter((line) => line.startsWith("- ")).map((line) => line.slice(2));
  expect(bullets).toEqual([...STORE_KNOWN_DIFFERENCES]);
});
