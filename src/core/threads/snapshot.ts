// LangGraph's state snapshots and raw checkpoint tuples, as the contract's
// StateSnapshot: values encoded, configs reduced to checkpoint references.

import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import { encodeValue, type EncodeMemo } from "../../shared/encoding";
import type {
  CheckpointMetadataInfo,
  CheckpointRef,
  InterruptInfo,
  ListSlice,
  PendingWrite,
  StateSnapshot,
  TaskInfo,
  UserError,
} from "../../shared/types";
import { INTERRUPT_CHANNEL } from "./checkpoint-store";

interface ConfigLike {
  configurable?: Record<string, unknown>;
}

/** The parts of LangGraph's StateSnapshot we read; structural, since a project may bring its own LangGraph. */
export interface GraphStateSnapshot {
  values: unknown;
  next: readonly string[];
  config: ConfigLike;
  metadata?: Record<string, unknown>;
  createdAt?: string;
  parentConfig?: ConfigLike;
  tasks: readonly {
    id: string;
    name: string;
    error?: unknown;
    interrupts: readonly unknown[];
    state?: unknown;
    path?: unknown;
    result?: unknown;
  }[];
}

export function refOf(config: ConfigLike | undefined): CheckpointRef | null {
  const c = config?.configurable;
  if (!c || typeof c.checkpoint_id !== "string") return null;
  return {
    threadId: String(c.thread_id),
    checkpointNs: typeof c.checkpoint_ns === "string" ? c.checkpoint_ns : "",
    checkpointId: c.checkpoint_id,
  };
}

const METADATA_KNOWN = new Set(["source", "step", "writes", "parents"]);

export function metadataInfo(metadata: Record<string, unknown> | undefined, nodes?: string[]): CheckpointMetadataInfo | null {
  if (!metadata) return null;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) if (!METADATA_KNOWN.has(key)) extra[key] = value;
  const { writes, parents } = metadata;
  const parentIds = typeof parents === "object" && parents !== null ? Object.entries(parents).filter(([, id]) => typeof id === "string") : [];
  return {
    source: typeof metadata.source === "string" ? metadata.source : "",
    step: typeof metadata.step === "number" ? metadata.step : -1,
    nodes: nodes ?? (writes && typeof writes === "object" ? Object.keys(writes).sort() : []),
    extra: encodeValue(extra) as CheckpointMetadataInfo["extra"],
    ...(parentIds.length > 0 ? { parents: Object.fromEntries(parentIds) as Record<string, string> } : {}),
    ...(writes !== undefined ? { writes: encodeValue(writes) } : {}),
  };
}

export function interruptInfo(value: unknown): InterruptInfo {
  if (typeof value === "object" && value !== null && "value" in value) {
    const v = value as { id?: unknown; value: unknown };
    return { id: typeof v.id === "string" ? v.id : null, value: encodeValue(v.value) };
  }
  return { id: null, value: encodeValue(value) };
}

export function userErrorOf(error: unknown, node: string | null): UserError {
  if (error instanceof Error) {
    return { node, className: error.name || error.constructor.name, message: error.message, stack: error.stack ?? null };
  }
  if (typeof error === "object" && error !== null) {
    // LangGraph stores a node's failure as a pending write {message, name}.
    const e = error as { message?: unknown; name?: unknown; stack?: unknown };
    return {
      node,
      className: typeof e.name === "string" ? e.name : "Error",
      message: typeof e.message === "string" ? e.message : JSON.stringify(encodeValue(error)),
      stack: typeof e.stack === "string" ? e.stack : null,
    };
  }
  return { node, className: "Error", message: String(error), stack: null };
}

function isSnapshot(value: unknown): value is GraphStateSnapshot {
  return typeof value === "object" && value !== null && "values" in value && "next" in value && "tasks" in value;
}

export function pendingWritesOf(tuple: CheckpointTuple | undefined): PendingWrite[] {
  return (tuple?.pendingWrites ?? []).map(([taskId, channel, value]) => ({
    taskId,
    channel,
    value: encodeValue(value),
  }));
}

/** `memo`: shared by the snapshots of one read (see EncodeMemo), so that each message is encoded once. */
export function fromGraphSnapshot(
  snapshot: GraphStateSnapshot,
  pendingWrites: PendingWrite[],
  nodes?: string[],
  memo?: EncodeMemo,
  maxItems?: number,
): StateSnapshot {
  const tasks: TaskInfo[] = snapshot.tasks.map((task) => {
    const stateConfig = !isSnapshot(task.state) ? (task.state as ConfigLike | undefined) : undefined;
    const subNs = isSnapshot(task.state)
      ? refOf(task.state.config)?.checkpointNs
      : (stateConfig?.configurable?.checkpoint_ns as string | undefined);
    return {
      id: task.id,
      name: task.name,
      path: encodeValue(task.path ?? null),
      error: task.error === undefined || task.error === null ? null : userErrorOf(task.error, task.name),
      interrupts: task.interrupts.map(interruptInfo),
      subgraph: subNs ? { checkpointNs: subNs } : null,
      state: isSnapshot(task.state) ? fromGraphSnapshot(task.state, [], undefined, memo) : null,
      result: task.result === undefined ? null : encodeValue(task.result),
    };
  });
  const { values, slices } = sliceLists(snapshot.values ?? {}, maxItems);
  return {
    values: encodeValue(values, memo),
    ...(slices ? { slices } : {}),
    next: [...snapshot.next],
    tasks,
    metadata: metadataInfo(snapshot.metadata, nodes),
    pendingWrites,
    checkpoint: refOf(snapshot.config),
    parent: refOf(snapshot.parentConfig),
    createdAt: snapshot.createdAt ?? null,
  };
}

/**
 * The state with each top-level list longer than `maxItems` cut to its newest `maxItems` elements,
 * before encoding: a long agent thread holds thousands of messages, which cost the engine, the
 * transport and the page to encode, send and parse, while the page shows a few at a time.
 */
export function sliceLists(values: unknown, maxItems: number | undefined): { values: unknown; slices?: Record<string, ListSlice> } {
  if (maxItems === undefined || typeof values !== "object" || values === null || Array.isArray(values)) return { values };
  let slices: Record<string, ListSlice> | undefined;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(values)) {
    if (!Array.isArray(value) || value.length <= maxItems) continue;
    out ??= { ...(values as Record<string, unknown>) };
    slices ??= {};
    const start = value.length - maxItems;
    out[key] = value.slice(start);
    slices[key] = { start, total: value.length };
  }
  return out ? { values: out, slices } : { values };
}

/** A snapshot already encoded (a remote server's), its long lists cut as `sliceLists` does. */
export function sliceSnapshot(snapshot: StateSnapshot, maxItems: number | undefined): StateSnapshot {
  const { values, slices } = sliceLists(snapshot.values, maxItems);
  return slices ? { ...snapshot, values: values as StateSnapshot["values"], slices } : snapshot;
}

/** Channels LangGraph keeps for itself (`__start__`, `branch:…`); not state the user wrote. */
function isInternalChannel(name: string): boolean {
  return name.startsWith("__") || name.startsWith("branch:");
}

/**
 * A snapshot read straight from the checkpointer, for a thread whose graph
 * is not loaded (a user's app wrote it): values are the stored channels;
 * next and tasks are unknown without the graph, except for waiting interrupts.
 */
/** A checkpoint's state values: its channels but LangGraph's internal ones. */
export function tupleValues(tuple: CheckpointTuple): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [channel, value] of Object.entries(tuple.checkpoint.channel_values)) {
    if (!isInternalChannel(channel)) values[channel] = value;
  }
  return values;
}

export function fromTuple(tuple: CheckpointTuple, nodes?: string[], memo?: EncodeMemo, maxItems?: number): StateSnapshot {
  const { values, slices } = sliceLists(tupleValues(tuple), maxItems);
  const byTask = new Map<string, TaskInfo>();
  for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
    if (channel !== INTERRUPT_CHANNEL) continue;
    const task = byTask.get(taskId) ?? {
      id: taskId,
      name: "",
      path: null,
      error: null,
      interrupts: [],
      subgraph: null,
      state: null,
      result: null,
    };
    task.interrupts.push(...(Array.isArray(value) ? value : [value]).map(interruptInfo));
    byTask.set(taskId, task);
  }
  return {
    values: encodeValue(values, memo),
    ...(slices ? { slices } : {}),
    next: [],
    tasks: [...byTask.values()],
    metadata: metadataInfo(tuple.metadata as Record<string, unknown> | undefined, nodes),
    pendingWrites: pendingWritesOf(tuple),
    checkpoint: refOf(tuple.config),
    parent: refOf(tuple.parentConfig),
    createdAt: tuple.checkpoint.ts,
  };
}

export function emptySnapshot(): StateSnapshot {
  return { values: {}, next: [], tasks: [], metadata: null, pendingWrites: [], checkpoint: null, parent: null, createdAt: null };
}
