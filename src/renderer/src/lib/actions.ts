// Actions that span stores: running on the open thread (creating one when none is open), time travel.
import type { CallArgs } from "../../../shared/contract";
import { LOCAL_SOURCE_ID } from "../../../shared/opened-sources";
import type { RunInfo } from "../../../shared/types";
import { engine } from "../api/engine";
import { askGraph } from "../stores/ask-graph";
import { useGraphs } from "../stores/graphs";
import { useRun } from "../stores/run";
import { shownGraphId } from "../stores/shown-graph";
import { selectReadOnly, useSources } from "../stores/sources";
import { refreshCurrent, selectCurrentThread, useThreads } from "../stores/threads";
import { timelineWhen, useTimeline, type Selection } from "../stores/timeline";
import { useUi } from "../stores/ui";

type RunArgs = Omit<CallArgs<"runs.start">, "threadId" | "graphId">;

/** The graph a run on the open thread uses: the thread's own, else the picked one. */
export function runGraphId(): string | null {
  return shownGraphId(selectCurrentThread(useThreads.getState())?.graphId ?? null, useGraphs.getState().selectedId);
}

/**
 * The graph to run or edit the open thread with. A thread with history but no graph recorded (imported)
 * is asked about, since the run records the graph on it; null when the question is dismissed.
 */
async function graphForOpenThread(): Promise<string | null> {
  const { selectedId, items } = useThreads.getState();
  const thread = selectCurrentThread(useThreads.getState()) ?? items.find((t) => t.threadId === selectedId) ?? null;
  if (thread?.graphId) return thread.graphId;
  if (thread && thread.headCheckpointId) return askGraph(thread.threadId);
  const picked = useGraphs.getState().selectedId;
  if (!picked) useUi.getState().notify("error", "Run: pick a graph first.");
  return picked;
}

/**
 * Nothing is ever written to a checkpoint store opened in place: an action that writes first copies the
 * open thread into Threadline's own store and goes on there, on the copy (the same checkpoint ids), with
 * the copy open and `checkpoint` selected in it. With no thread open, it goes on in Threadline's store.
 * False when the copy failed (which is said).
 */
async function onWritableThread(checkpoint: Selection | null): Promise<boolean> {
  if (!selectReadOnly(useSources.getState())) return true;
  const threadId = useThreads.getState().selectedId;
  if (!threadId) {
    await useSources.getState().use(LOCAL_SOURCE_ID);
    return !selectReadOnly(useSources.getState());
  }
  if (!(await useSources.getState().copyToLocal(threadId))) return false;
  const copy = useThreads.getState().selectedId;
  // The copy's timeline opens on selection (controller.ts): the checkpoint is selected once its rows are in.
  await timelineWhen((s) => s.threadId !== copy || s.ready);
  if (checkpoint && useTimeline.getState().threadId === copy) useTimeline.getState().select(checkpoint);
  return true;
}

export async function startRun(args: RunArgs): Promise<RunInfo | undefined> {
  if (!(await onWritableThread(args.checkpointId ? { checkpointId: args.checkpointId, checkpointNs: "" } : null))) return undefined;
  const graphId = await graphForOpenThread();
  if (!graphId) return undefined;
  let threadId = useThreads.getState().selectedId;
  if (!threadId) {
    const thread = await useThreads.getState().create(graphId);
    if (!thread) return undefined;
    threadId = thread.threadId;
    // Let the thread's timeline and run log open before the run's first events arrive.
    await new Promise((r) => setTimeout(r, 0));
  }
  const run = await useRun.getState().start({ threadId, graphId, ...args });
  if (run) void refreshCurrent(threadId);
  return run;
}

export async function forkThread(checkpointId: string, checkpointNs: string): Promise<void> {
  if (!(await onWritableThread({ checkpointId, checkpointNs }))) return;
  const threadId = useThreads.getState().selectedId;
  if (!threadId) return;
  try {
    const thread = await engine().threads.fork({ threadId, checkpointId, checkpointNs });
    useThreads.getState().upsert(thread);
    useThreads.getState().select(thread.threadId);
    useUi.getState().notify("info", `Forked into ${thread.title ?? thread.threadId}`);
  } catch (error) {
    useUi.getState().fail(error, "Fork");
  }
}

export async function updateState(args: Omit<CallArgs<"state.update">, "threadId">): Promise<string | undefined> {
  if (!(await onWritableThread(args.checkpointId ? { checkpointId: args.checkpointId, checkpointNs: args.checkpointNs ?? "" } : null))) return undefined;
  const threadId = useThreads.getState().selectedId;
  if (!threadId) return undefined;
  const graphId = await graphForOpenThread();
  if (!graphId) return undefined;
  try {
    const { checkpoint } = await engine().state.update({ threadId, graphId, ...args });
    // Selected before the rows are read again: the row may already be in (an event's refresh), and a
    // click on another row once it shows must not be overridden when this refresh ends.
    useTimeline.getState().select({ checkpointId: checkpoint.checkpointId, checkpointNs: checkpoint.checkpointNs });
    await useTimeline.getState().refresh();
    void refreshCurrent(threadId);
    return checkpoint.checkpointId;
  } catch (error) {
    return useUi.getState().fail(error, "Update state");
  }
}
