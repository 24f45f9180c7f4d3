// An Agent Server's threads and states (the SDK's Thread and ThreadState) as the contract's
// ThreadInfo, StateSnapshot and CheckpointSummary. The server does not say which nodes wrote a
// checkpoint (LangGraph 1.x keeps no `writes` in the metadata): they are the tasks of its parent
// that finished, which the same history page holds, so no request is made for them.
import type { Checkpoint, Thread, ThreadState, ThreadTask } from "@langchain/langgraph-sdk";
import type { JsonObject, JsonValue } from "../../../shared/encoding";
import type { CheckpointMetadataInfo, CheckpointRef, CheckpointSummary, InterruptInfo, StateSnapshot, TaskInfo, ThreadInfo, UserError } from "../../../shared/types";
import { THREAD_STATUSES, type ThreadStatus } from "../../../shared/types";
import { firstHumanText, summarizeWrites } from "../../threads/change-summary";
import { fromServer } from "./values";

/** LangGraph's own metadata keys, read into their fields rather than kept as extra. */
const OWN_KEYS = new Set(["source", "step", "parents", "writes"]);

export function checkpointRef(threadId: string, checkpoint: Checkpoint | null | undefined): CheckpointRef | null {
  if (!checkpoint?.checkpoint_id) return null;
  return { threadId, checkpointNs: checkpoint.checkpoint_ns ?? "", checkpointId: checkpoint.checkpoint_id };
}

function userError(node: string, error: string): UserError {
  // The server sends an error as one line: "ValueError('bad')", "Error: bad".
  const named = /^([A-Za-z_][\w.]*)(?:: |\()/.exec(error);
  return { node, className: named?.[1] ?? "Error", message: error, stack: null };
}

function interrupts(list: ThreadTask["interrupts"] | undefined): InterruptInfo[] {
  return (list ?? []).map((i) => ({ id: i.id ?? null, value: fromServer(i.value) }));
}

/** What a task wrote, by channel: the server gives a finished task's result as an object of channel values. */
function taskWrites(task: ThreadTask): { channel: string; value: unknown }[] {
  const result = task.result;
  if (typeof result !== "object" || result === null || Array.isArray(result)) return [];
  return Object.entries(result as Record<string, unknown>).map(([channel, value]) => ({ channel, value }));
}

function taskInfo(threadId: string, task: ThreadTask): TaskInfo {
  return {
    id: task.id,
    name: task.name,
    // The server does not send a task's path.
    path: null,
    error: task.error ? userError(task.name, task.error) : null,
    interrupts: interrupts(task.interrupts),
    subgraph: task.checkpoint ? { checkpointNs: task.checkpoint.checkpoint_ns ?? "" } : null,
    state: task.state ? toSnapshot(threadId, task.state as ThreadState) : null,
    result: task.result === undefined || task.result === null ? null : fromServer(task.result),
  };
}

/** The nodes whose run produced a checkpoint: its parent's tasks that finished (no error, no interrupt). */
export function nodesFrom(parent: ThreadState | undefined, metadata: Record<string, unknown> | undefined): string[] {
  const writes = metadata?.writes;
  if (writes && typeof writes === "object" && !Array.isArray(writes)) return Object.keys(writes).sort();
  if (!parent) return [];
  const finished = parent.tasks.filter((t) => !t.error && (t.interrupts?.length ?? 0) === 0 && t.result !== undefined);
  return [...new Set(finished.map((t) => t.name))].sort();
}

function metadataInfo(metadata: Record<string, unknown> | undefined, nodes: string[]): CheckpointMetadataInfo | null {
  if (!metadata) return null;
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(metadata)) if (!OWN_KEYS.has(key) && value !== undefined) extra[key] = fromServer(value);
  const parents = metadata.parents && typeof metadata.parents === "object" ? (metadata.parents as Record<string, string>) : {};
  return {
    source: typeof metadata.source === "string" ? metadata.source : "loop",
    step: typeof metadata.step === "number" ? metadata.step : -1,
    nodes,
    extra,
    ...(Object.keys(parents).length > 0 ? { parents } : {}),
    ...(metadata.writes !== undefined && metadata.writes !== null ? { writes: fromServer(metadata.writes) } : {}),
  };
}

/** One state; `parent` (the next older state of the same page) names the nodes that wrote it. */
export function toSnapshot(threadId: string, state: ThreadState, parent?: ThreadState): StateSnapshot {
  const checkpoint = checkpointRef(threadId, state.checkpoint);
  return {
    values: fromServer(state.values ?? {}),
    next: state.next ?? [],
    tasks: (state.tasks ?? []).map((t) => taskInfo(threadId, t)),
    metadata: checkpoint ? metadataInfo(state.metadata as Record<string, unknown>, nodesFrom(parent, state.metadata as Record<string, unknown>)) : null,
    pendingWrites: (state.tasks ?? []).flatMap((t) => taskWrites(t).map((w) => ({ taskId: t.id, channel: w.channel, value: fromServer(w.value) }))),
    checkpoint,
    parent: checkpointRef(threadId, state.parent_checkpoint),
    createdAt: state.created_at ?? null,
  };
}

/** One timeline row; `parent` as for toSnapshot. */
export function toSummary(state: ThreadState, parent: ThreadState | undefined): CheckpointSummary {
  const metadata = (state.metadata ?? {}) as Record<string, unknown>;
  const source = typeof metadata.source === "string" ? metadata.source : "loop";
  // A fork is a copy of its parent: the parent's writes belong to the parent's own child.
  const changes = parent && source !== "fork" ? summarizeWrites(parent.tasks.flatMap(taskWrites)) : "";
  return {
    checkpointId: state.checkpoint.checkpoint_id!,
    checkpointNs: state.checkpoint.checkpoint_ns ?? "",
    parentCheckpointId: state.parent_checkpoint?.checkpoint_id ?? null,
    step: typeof metadata.step === "number" ? metadata.step : -1,
    source,
    nodes: nodesFrom(parent, metadata),
    createdAt: state.created_at ?? "",
    hasInterrupts: (state.tasks ?? []).some((t) => (t.interrupts?.length ?? 0) > 0),
    changes,
  };
}

function statusOf(thread: Thread): ThreadStatus {
  return (THREAD_STATUSES as readonly string[]).includes(thread.status) ? thread.status : "idle";
}

/**
 * A server thread as the thread list shows it. `head`: the thread's state when read (threads.get),
 * which gives its head checkpoint; a search does not read it (null there). The number of
 * checkpoints is not known without reading the whole history: -1.
 */
export function toThreadInfo(thread: Thread, head?: ThreadState): ThreadInfo {
  const metadata = (fromServer(thread.metadata ?? {}) ?? {}) as JsonObject;
  const waiting = Object.values(thread.interrupts ?? {}).flat();
  const title = typeof metadata.title === "string" && metadata.title.trim() ? metadata.title : firstHumanText(thread.values);
  return {
    threadId: thread.thread_id,
    createdAt: thread.created_at,
    updatedAt: thread.updated_at,
    metadata,
    status: statusOf(thread),
    graphId: typeof metadata.graph_id === "string" ? metadata.graph_id : null,
    headCheckpointId: head?.checkpoint?.checkpoint_id ?? null,
    interrupts: waiting.map((i) => ({ id: i.id ?? null, value: fromServer(i.value) as JsonValue })),
    title,
    checkpointCount: -1,
  };
}
