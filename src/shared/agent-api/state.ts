// A thread state as LangGraph's REST API writes it (snake_case, plain JSON values). Shared, so that
// the engine can write a long history page's JSON itself (see core/agent-api/history.ts) and the
// LangGraph API adapter the rest.
import type { JsonObject, JsonValue } from "../encoding";
import type { CheckpointRef, StateSnapshot, TaskInfo } from "../types";
import { toApiJson, toApiValue, type ApiValueMemo } from "./values";

/** One state of a history page as the JSON text LangGraph's API sends for it. */
export interface ApiStateText {
  checkpointNs: string;
  checkpointId: string;
  json: string;
  /** The checkpoint's revision when the state was read (see history.revisions); null if unknown. */
  revision: string | null;
}

export interface ApiCheckpoint {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  checkpoint_map: JsonObject | null;
}

export interface ApiThreadState {
  values: JsonValue;
  next: string[];
  tasks: JsonObject[];
  metadata?: JsonObject;
  created_at: string | null;
  checkpoint: ApiCheckpoint | null;
  parent_checkpoint: ApiCheckpoint | null;
}

export function apiCheckpoint(ref: CheckpointRef | null): ApiCheckpoint | null {
  if (!ref) return null;
  return { thread_id: ref.threadId, checkpoint_ns: ref.checkpointNs, checkpoint_id: ref.checkpointId, checkpoint_map: null };
}

function apiInterrupts(task: TaskInfo): JsonObject[] {
  return task.interrupts.map((i) => ({ ...(i.id !== null ? { id: i.id } : {}), value: toApiValue(i.value) }));
}

function apiTask(task: TaskInfo, threadId: string): JsonObject {
  return {
    id: task.id,
    name: task.name,
    error: task.error ? task.error.message : null,
    interrupts: apiInterrupts(task),
    path: toApiValue(task.path),
    checkpoint: task.subgraph ? { thread_id: threadId, checkpoint_ns: task.subgraph.checkpointNs } : null,
    state: task.state ? (apiThreadState(task.state, threadId) as unknown as JsonObject) : null,
    result: task.result === null ? null : toApiValue(task.result),
  };
}

/** `memo`: shared by the states of one response (see ApiValueMemo). */
export function apiThreadState(state: StateSnapshot, threadId: string, memo?: ApiValueMemo): ApiThreadState {
  const info = state.metadata;
  // What LangGraph recorded (writes where the saver kept them, the enclosing graphs' checkpoints).
  const metadata = info
    ? {
        ...(toApiValue(info.extra) as JsonObject),
        source: info.source,
        ...(info.writes !== undefined ? { writes: toApiValue(info.writes) } : {}),
        step: info.step,
        parents: info.parents ?? {},
      }
    : null;
  return {
    values: state.checkpoint ? toApiValue(state.values, memo) : {},
    next: state.next,
    tasks: state.tasks.map((t) => apiTask(t, threadId)),
    // A thread with no checkpoint yet has no metadata key at all, as in langgraph dev.
    ...(metadata ? { metadata } : {}),
    created_at: state.createdAt,
    checkpoint: apiCheckpoint(state.checkpoint),
    parent_checkpoint: apiCheckpoint(state.parent),
  };
}

/** The interrupts waiting at the head, by task id, as LangGraph's thread resource lists them. */
export function interruptsByTask(state: StateSnapshot): JsonObject {
  const out: JsonObject = {};
  for (const task of state.tasks) if (task.interrupts.length > 0) out[task.id] = apiInterrupts(task);
  return out;
}


const EMPTY_VALUES_PREFIX = '{"values":{}';

/**
 * A history state's JSON text. `memo` is shared by the states of one page: their messages are
 * converted, and their JSON written, once (see toApiJson). `valuesJson`: the JSON of the state's
 * values, already written (state.values is then left empty).
 */
export function apiStateText(
  state: StateSnapshot,
  threadId: string,
  memo: ApiValueMemo,
  valuesJson?: string,
  revision: string | null = null,
): ApiStateText | null {
  if (!state.checkpoint) return null;
  let json = toApiJson(apiThreadState(state, threadId, memo) as unknown as JsonValue, memo);
  if (valuesJson !== undefined) {
    // apiThreadState writes the values first.
    if (!json.startsWith(EMPTY_VALUES_PREFIX)) throw new Error("apiStateText: a state given its values JSON must have empty values");
    json = `{"values":${valuesJson}${json.slice(EMPTY_VALUES_PREFIX.length)}`;
  }
  return { checkpointNs: state.checkpoint.checkpointNs, checkpointId: state.checkpoint.checkpointId, json, revision };
}
