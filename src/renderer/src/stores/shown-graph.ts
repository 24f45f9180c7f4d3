// The graph the run screen draws, runs and edits with: an open thread's own graph, never the picker's
// (the picker only chooses the graph of a new thread, or of a thread that has none recorded yet).
import { useEffect } from "react";
import type { GraphInfo } from "../../../shared/graph";
import { graphSelectors, useGraphs, type GraphDetail } from "./graphs";
import { threadSelectors, useThreads } from "./threads";

export interface ShownGraph {
  id: string | null;
  /** The graph is the open thread's own (not the picker's). */
  own: boolean;
  info: GraphInfo | null;
  detail: GraphDetail | null;
  error: string | null;
}

export function shownGraphId(threadGraphId: string | null, pickedId: string | null): string | null {
  return threadGraphId ?? pickedId;
}

/** Reads the shown graph and loads its drawing once. */
export function useShownGraph(): ShownGraph {
  const threadGraphId = useThreads(threadSelectors.graphId);
  const picked = useGraphs(graphSelectors.pickedId);
  const loaded = useGraphs(graphSelectors.loaded);
  const id = shownGraphId(threadGraphId, picked);
  const info = useGraphs(graphSelectors.info(id));
  const detail = useGraphs(graphSelectors.detail(id));
  const error = useGraphs(graphSelectors.detailError(id));
  useEffect(() => {
    if (id && loaded && !detail && !error) void useGraphs.getState().ensureDetail(id);
  }, [id, loaded, detail, error]);
  return { id, own: threadGraphId !== null, info, detail, error };
}
