import { describe, expect, it } from "vitest";
import type { CheckpointSummary } from "../../shared/types";
import { withParentRoots } from "./parent-roots";

const row = (checkpointId: string, checkpointNs: string, parentCheckpointId: string | null, nodes: string[] = []): CheckpointSummary => ({
  checkpointId,
  checkpointNs,
  parentCheckpointId,
  step: 0,
  source: "loop",
  nodes,
  createdAt: "",
  hasInterrupts: false,
});

describe("withParentRoots", () => {
  // Root a → b (plan) → d (research, which ran the subgraph rows c1, c2) → e; f is a later replay from b.
  const rows = [
    row("a", "", null),
    row("b", "", "a", ["plan"]),
    row("c1", "research:t1", null),
    row("c2", "research:t1", "c1"),
    row("d", "", "b", ["research"]),
    row("e", "", "d", ["combine"]),
    row("f", "", "b", ["research"]),
  ];

  it("puts a subgraph's checkpoints under the root checkpoint its step wrote", () => {
    const tree = withParentRoots(rows);
    expect(tree.filter((n) => n.checkpointNs !== "").map((n) => n.parentRootCheckpointId)).toEqual(["d", "d"]);
  });

  it("follows LangGraph's recorded start over the time order (a replay started from an older checkpoint)", () => {
    const replay = [...rows, row("g1", "research:t9", null), row("h", "", "b", ["research"])];
    const tree = withParentRoots(replay, new Map([["research:t9\0g1", "b"]]));
    expect(tree.find((n) => n.checkpointId === "g1")!.parentRootCheckpointId).toBe("h");
  });

  it("stays under the start while the step has not written its checkpoint", () => {
    const tree = withParentRoots([row("a", "", null), row("b", "", "a"), row("c1", "research:t1", null)]);
    expect(tree.find((n) => n.checkpointId === "c1")!.parentRootCheckpointId).toBe("b");
  });
});
