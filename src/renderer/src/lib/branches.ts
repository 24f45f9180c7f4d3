// Names the branches of a timeline: for each branch head (a checkpoint nothing newer continues), where it
// forked (the step of the checkpoint it shares with another branch) and what its first checkpoint did.
import type { CheckpointSummary } from "../../../shared/types";

export interface BranchLabel {
  /** The step of the checkpoint the branch split from; null when that checkpoint is not loaded. */
  forkStep: number | null;
  /** The branch's first checkpoint after the fork that changed something (past the copy a replay starts with). */
  first: CheckpointSummary;
  /** "replay", "edit" or "run": how the branch began (LangGraph's replay starts with a copy, source "fork"). */
  kind: string;
}

/** Labels by head checkpoint id; empty for a history with one branch. */
export function branchLabels(rows: readonly CheckpointSummary[]): Map<string, BranchLabel> {
  const out = new Map<string, BranchLabel>();
  const byId = new Map<string, CheckpointSummary>();
  const children = new Map<string, number>();
  for (const r of rows) byId.set(r.checkpointId, r);
  for (const r of rows) if (r.parentCheckpointId) children.set(r.parentCheckpointId, (children.get(r.parentCheckpointId) ?? 0) + 1);
  const heads = rows.filter((r) => !children.has(r.checkpointId));
  if (heads.length < 2) return out;
  for (const head of heads) {
    let first = head;
    let second: CheckpointSummary | null = null;
    let parent = head.parentCheckpointId ? byId.get(head.parentCheckpointId) : undefined;
    while (parent && (children.get(parent.checkpointId) ?? 0) < 2) {
      second = first;
      first = parent;
      parent = parent.parentCheckpointId ? byId.get(parent.parentCheckpointId) : undefined;
    }
    const kind = first.source === "update" ? "edit" : first.source === "fork" ? "replay" : "run";
    out.set(head.checkpointId, { forkStep: parent ? parent.step : null, first: first.source === "fork" && second ? second : first, kind });
  }
  return out;
}

export function describeBranch(label: BranchLabel): string {
  const from = label.forkStep === null ? "branch" : `branch from step ${label.forkStep}`;
  const what = label.first.changes || label.first.nodes.join(", ") || label.first.source;
  return `${from} · ${label.kind}: ${what}`;
}
