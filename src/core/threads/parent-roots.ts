// Where a subgraph's checkpoints hang in the timeline: under the root checkpoint written by the step
// that ran them.
import type { CheckpointSummary, CheckpointTreeNode } from "../../shared/types";

/** Checkpoint ids sort by time: a plain string order. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A subgraph checkpoint belongs under the root checkpoint its step wrote: the child of the checkpoint
 * the step started from (`starts`, else the newest root created before it) whose node ran the
 * subgraph. While that step has not finished (an interrupt inside the subgraph) it stays under the
 * start. In a newest-first timeline this puts a subgraph's rows between the step's start and its end.
 */
export function withParentRoots(summaries: CheckpointSummary[], starts: ReadonlyMap<string, string> = new Map()): CheckpointTreeNode[] {
  const roots = summaries.filter((s) => s.checkpointNs === "").sort((a, b) => compareIds(a.checkpointId, b.checkpointId));
  const rootIds = roots.map((s) => s.checkpointId);
  const childrenOf = new Map<string, CheckpointSummary[]>();
  for (const r of roots) if (r.parentCheckpointId) (childrenOf.get(r.parentCheckpointId) ?? childrenOf.set(r.parentCheckpointId, []).get(r.parentCheckpointId)!).push(r);
  const rootOf = (s: CheckpointSummary): string | null => {
    const start = starts.get(`${s.checkpointNs}\0${s.checkpointId}`) ?? latestBefore(rootIds, s.checkpointId);
    if (start === null) return null;
    const node = s.checkpointNs.split("|")[0]!.split(":")[0]!;
    const end = childrenOf.get(start)?.find((r) => r.checkpointId > s.checkpointId && (r.nodes.length === 0 || r.nodes.includes(node)));
    return end?.checkpointId ?? start;
  };
  return summaries.map((s) => ({ ...s, parentRootCheckpointId: s.checkpointNs === "" ? null : rootOf(s) }));
}

/** The greatest id below `id` in a sorted list, or null. */
export function latestBefore(sortedIds: string[], id: string): string | null {
  let lo = 0;
  let hi = sortedIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedIds[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : sortedIds[lo - 1]!;
}
