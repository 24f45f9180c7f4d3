import { describe, expect, it } from "vitest";
import { appliedAsLabel, writersOf } from "./applied-as";

const row = (source: string, step: number, appliedAs?: string[]) => ({ source, step, nodes: [], ...(appliedAs ? { appliedAs } : {}) });

describe("appliedAsLabel", () => {
  it("says how a checkpoint that no node's run wrote came about", () => {
    expect(appliedAsLabel(row("update", 3, ["agent"]))).toBe("as agent");
    expect(appliedAsLabel(row("update", 3))).toBe("state edit");
    expect(appliedAsLabel(row("fork", 2, ["agent", "tools"]))).toBe("copy of agent, tools");
    expect(appliedAsLabel(row("input", -1))).toBe("input");
    expect(appliedAsLabel(row("loop", 0))).toBe("input applied");
    expect(appliedAsLabel(row("loop", 4))).toBe("—");
  });

  it("attributes a checkpoint to the nodes that wrote it, else to what it was applied as", () => {
    expect(writersOf({ ...row("update", 3, ["agent"]), nodes: ["tools"] })).toEqual(["tools"]);
    expect(writersOf(row("update", 3, ["agent"]))).toEqual(["agent"]);
    expect(writersOf(row("loop", 4))).toEqual([]);
  });
});
