// The README lists the differences the remote flows allow: the same list, word for word.
import { readFileSync } from "node:fs";
import path from "node:path";
import { readmeList } from "./differences";

const README = readFileSync(path.resolve(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("the known differences of a thread on an Agent Server", () => {
  it("are listed in the README word for word, and nothing else is", () => {
    const section = README.split("Known differences from Threadline's own store")[1]!.split("\n\n")[1]!;
    expect(section.trim()).toBe(readmeList());
  });
});
