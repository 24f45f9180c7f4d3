// Actions that span stores: running on the open thread (creating one when none is open), time travel.
import type { CallArgs } from "../../../shared/contract";
import type { RunInfo } from "../../../shared/types";
import { engine } from "../api/engine";
import { useGraphs } from "../stores/graphs";
import { useRun } from "../stores/run";
import { refreshCurrent, selectCurrentThread, useThreads } from "../stores/threads";
import { useTimeline } from "../stores/timeline";
import { useUi } from "../stores/ui";

type RunArgs = Omit<CallArgs<"runs.start">, "threadId" | "graphId">;

/** The graph a run on the open thread uses: the thread's own, else the picked one. */
export function runGraphId(): string | null {
  return selectCurrentThread(useThreads.getState())?.graphId ?? useGraphs.getState().selectedId;
}

export async function startRun(args: RunArgs): Promise<RunInfo | undefined> {
  const graphId = runGraphId();
  if (!graphId) return useUi.getState().fail(new Error("pick a graph first"), "Run");
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
  const threadId = useThreads.getState().selectedId;
  if (!threadId) return;
  try {
    const thread = await engine().threads.fork({ threadId, checkpointId, checkpointNs });
    useThreads.getState().upsert(thread);
    useThreads.getState().select(thread.threadId);
    useUi.getState().notify("info", `Forked into ${thread.threadId}`);
  } catch (error) {
    useUi.getState().fail(error, "Fork");
  }
}

export async function updateState(args: Omit<CallArgs<"state.update">, "threadId">): Promise<string | undefined> {
  const threadId = useThreads.getState().selectedId;
  if (!threadId) return undefined;
  try {
    const graphId = runGraphId();
    const { checkpoint } = await engine().state.update({ threadId, ...(graphId ? { graphId } : {}), ...args });
    await useTimeline.getState().refresh();
    useTimeline.getState().select({ checkpointId: checkpoint.checkpointId, checkpointNs: checkpoint.checkpointNs });
    void refreshCurrent(threadId);
    return checkpoint.checkpointId;
  } catch (error) {
    return useUi.getState().fail(error, "Update state");
  }
}
