import { describe, expect, it } from "vitest";
import type { CheckpointSummary } from "../../../shared/types";
import { branchLabels, describeBranch } from "./branches";

const row = (checkpointId: string, parentCheckpointId: string | null, step: number, extra: Partial<CheckpointSummary> = {}): CheckpointSummary => ({
  checkpointId,
  checkpointNs: "",
  parentCheckpointId,
  step,
  source: "loop",
  nodes: [],
  createdAt: "",
  hasInterrupts: false,
  ...extra,
});

describe("branchLabels", () => {
  it("labels nothing on a single line", () => {
    expect(branchLabels([row("c", "b", 1), row("b", "a", 0), row("a", null, -1)]).size).toBe(0);
  });

  it("reads past the copy a replay starts with", () => {
    const rows = [
      row("r2", "r1", 3, { nodes: ["send"], changes: "outcome: sent" }),
      row("r1", "b", 2, { source: "fork" }),
      row("c", "b", 2, { nodes: ["review"], changes: "outcome: rejected" }),
      row("b", "a", 1),
      row("a", null, 0),
    ];
    expect(describeBranch(branchLabels(rows).get("r2")!)).toBe("branch from step 1 · replay: outcome: sent");
  });

  it("names each head's fork point and first change", () => {
    // a → b → c (original), b → e (an edit) → f.
    const rows = [
      row("f", "e", 3, { nodes: ["review"] }),
      row("e", "b", 2, { source: "update", changes: "draft: Hi all" }),
      row("c", "b", 2, { nodes: ["review"], changes: "outcome: sent" }),
      row("b", "a", 1),
      row("a", null, 0),
    ];
    const labels = branchLabels(rows);
    expect([...labels.keys()]).toEqual(["f", "c"]);
    expect(describeBranch(labels.get("f")!)).toBe("branch from step 1 · edit: draft: Hi all");
    expect(describeBranch(labels.get("c")!)).toBe("branch from step 1 · run: outcome: sent");
  });
});
