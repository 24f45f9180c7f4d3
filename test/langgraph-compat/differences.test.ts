// The README lists the differences the compatibility test allows: the same list, word for word.
import { readFileSync } from "node:fs";
import path from "node:path";
import { KNOWN_DIFFERENCES, readmeList, withoutKnownDifferences } from "./differences";

const README = readFileSync(path.resolve(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("the known differences from langgraph dev", () => {
  it("are listed in the README word for word, and nothing else is", () => {
    const section = README.split("Known differences from `langgraph dev`")[1]!.split("\n\n")[1]!;
    expect(section.trim()).toBe(readmeList());
  });

  it("each change a recording or skip a step, and leave everything else alone", () => {
    expect(KNOWN_DIFFERENCES.every((d) => d.rewrite || d.skip?.length)).toBe(true);
    const recording = {
      "a.state": { metadata: { source: "loop", step: 1, "user-agent": "node" }, config: { configurable: { "user-agent": "node", user: "ada" } } },
      "ifNotExists.missing": { status: 404 },
      "x.names": ["values", "checkpoints|sub", "updates"],
      "other": { metadata: { kind: "not checkpoint metadata" } },
    };
    expect(withoutKnownDifferences(recording)).toEqual({
      "a.state": { metadata: { source: "loop", step: 1 }, config: { configurable: { user: "ada" } } },
      "x.names": ["values", "updates"],
      "other": { metadata: { kind: "not checkpoint metadata" } },
    });
  });
});
