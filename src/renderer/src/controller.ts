// Wires the stores together and to the engine's events: opening a thread opens its timeline, run log and
// state; selecting a checkpoint loads it and names it in the URL; events refresh what they touched.
import type { EngineEvent } from "../../shared/events";
import { isRunEvent } from "../../shared/events";
import { transport } from "./api/engine";
import { readPlace, writePlace } from "./lib/url";
import { useCheckpoint } from "./stores/checkpoint";
import { useGraphs } from "./stores/graphs";
import { useRun } from "./stores/run";
import { useSource } from "./stores/source";
import { useSources } from "./stores/sources";
import { refreshCurrent, useThreads } from "./stores/threads";
import { useTimeline } from "./stores/timeline";
import { useUi } from "./stores/ui";

/**
 * Runs `fn` at most once per `ms`, and once more after the last call: a stream of events keeps the
 * views following it (a debounce would wait for the stream to end, leaving the timeline rows behind).
 */
function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      fn();
    }, wait);
  };
}

const reloadThreads = throttle(() => void useThreads.getState().load(), 150);
const refreshOpenThread = throttle(() => {
  void useTimeline.getState().refresh();
  void refreshCurrent();
  // Following the head: re-read it as it moves.
  const { threadId, selection } = useCheckpoint.getState();
  if (threadId && !selection) void useCheckpoint.getState().load(threadId, null);
}, 120);

function onEvent(event: EngineEvent): void {
  const open = useThreads.getState().selectedId;
  if (isRunEvent(event)) {
    useRun.getState().handle(event);
    if (event.threadId !== open) {
      if (event.type === "run.finished" || event.type === "run.started") reloadThreads();
      return;
    }
    if (["checkpoint", "run.finished", "interrupt", "run.started", "error"].includes(event.type)) refreshOpenThread();
    if (event.type === "run.finished" || event.type === "run.started") reloadThreads();
    return;
  }
  if (event.type === "threads.changed") {
    // "Anything may have changed": a switch made elsewhere (the desktop menu), a server lost or back.
    if (event.threadIds === null) void useSources.getState().load();
    reloadThreads();
    if (open && (event.threadIds === null || event.threadIds.includes(open))) refreshOpenThread();
    return;
  }
  // worker.restarted: everything cached may be stale.
  void useSource.getState().load();
  useGraphs.setState({ details: {} });
  void useGraphs.getState().load();
  reloadThreads();
  if (open) void openThread(open, null);
}

async function openThread(threadId: string | null, checkpoint: { checkpointId: string; checkpointNs: string } | null) {
  void useRun.getState().open(threadId);
  await useTimeline.getState().open(threadId);
  if (checkpoint && useTimeline.getState().threadId === threadId) {
    if (await revealCheckpoint(checkpoint.checkpointId, checkpoint.checkpointNs)) {
      useTimeline.getState().select(checkpoint);
      return;
    }
    if (useTimeline.getState().error) return;
    const where = checkpoint.checkpointNs ? ` (subgraph ${checkpoint.checkpointNs})` : "";
    useUi.getState().notify("error", `This link names checkpoint ${checkpoint.checkpointId}${where}, which thread ${threadId} does not have. Showing its latest checkpoint instead.`);
    writePlace({ thread: threadId, checkpoint: null });
    void useCheckpoint.getState().load(threadId, null);
  }
}

/** Loads older pages until the checkpoint is among the rows (or there is nothing older), and expands its parent row; false when the thread has no such checkpoint. */
async function revealCheckpoint(checkpointId: string, checkpointNs: string): Promise<boolean> {
  const tl = useTimeline.getState;
  const found = () =>
    checkpointNs === ""
      ? tl().roots.some((r) => r.checkpointId === checkpointId)
      : Object.values(tl().children).some((list) => list.some((c) => c.checkpointId === checkpointId));
  while (!found() && tl().nextBefore && !tl().error) await tl().loadMore();
  if (checkpointNs !== "") {
    for (const [rootId, list] of Object.entries(tl().children)) {
      if (list.some((c) => c.checkpointId === checkpointId) && !tl().expanded[rootId]) tl().toggleExpanded(rootId);
    }
  }
  return found();
}

export function startController(): () => void {
  // The place in the URL is taken before anything listens, so that opening it does not rewrite it.
  const place = readPlace();
  if (place.thread) useThreads.setState({ selectedId: place.thread, current: null });
  if (place.tab) useUi.setState({ tab: place.tab });
  const unsubscribers: (() => void)[] = [];
  const t = transport();
  if (t) unsubscribers.push(t.onEvent(onEvent));
  void useSource.getState().load();
  void useSources.getState().load();

  unsubscribers.push(
    useThreads.subscribe((s, prev) => {
      if (s.selectedId === prev.selectedId) return;
      // The timeline first: the head's state (a long thread's may be megabytes) is asked for once the rows are in.
      const threadId = s.selectedId;
      void openThread(threadId, null).then(() => {
        if (useThreads.getState().selectedId === threadId && !useTimeline.getState().selected) void useCheckpoint.getState().load(threadId, null);
      });
      writePlace({ thread: s.selectedId, checkpoint: null, ns: "" });
    }),
    useThreads.subscribe((s, prev) => {
      // The open thread is drawn with its own graph; the picker only chooses the graph of a new thread.
      const graphId = s.current?.graphId;
      if (graphId && graphId !== prev.current?.graphId) void useGraphs.getState().ensureDetail(graphId);
    }),
    useTimeline.subscribe((s, prev) => {
      if (s.selected === prev.selected || s.threadId !== useThreads.getState().selectedId) return;
      void useCheckpoint.getState().load(s.threadId, s.selected);
      writePlace({ thread: s.threadId, checkpoint: s.selected?.checkpointId ?? null, ns: s.selected?.checkpointNs ?? "" });
    }),
  );

  if (place.thread) {
    const thread = place.thread;
    void refreshCurrent(thread);
    const checkpoint = place.checkpoint ? { checkpointId: place.checkpoint, checkpointNs: place.ns } : null;
    void openThread(thread, checkpoint);
    if (!checkpoint) void useCheckpoint.getState().load(thread, null);
  }
  return () => unsubscribers.forEach((u) => u());
}
