// How a checkpoint that no node's run wrote came about, in the words a timeline row uses: an update
// names the node it was applied as, a fork (LangGraph's copy that a replay starts from) what it copied.
import type { CheckpointSummary } from "../../../shared/types";

type Summary = Pick<CheckpointSummary, "source" | "step" | "nodes" | "appliedAs">;

/** The row's text when no node ran: "as tools", "copy of agent", "input", "input applied", "state edit", "—". */
export function appliedAsLabel(c: Summary): string {
  const as = c.appliedAs?.join(", ");
  if (c.source === "update") return as ? `as ${as}` : "state edit";
  if (c.source === "fork") return as ? `copy of ${as}` : "copy";
  if (c.source === "input") return "input";
  // The first loop checkpoint holds the input written into the channels, before any node ran (savers
  // that record no `__start__` writes, such as Python's, leave its nodes empty).
  if (c.source === "loop" && c.step === 0) return "input applied";
  return "—";
}

/** The node(s) a checkpoint is attributed to: those whose run wrote it, else the node it was applied as. */
export function writersOf(c: Summary): string[] {
  return c.nodes.length ? c.nodes : (c.appliedAs ?? []);
}
