// Threadline's contract types as LangGraph's REST resources (snake_case, plain JSON values).
import type { JsonObject, JsonValue } from "../../shared/encoding";
import type { GraphInfo } from "../../shared/graph";
import type { CheckpointRef, RunInfo, StateSnapshot, TaskInfo, ThreadInfo } from "../../shared/types";
import { assistantIdOf } from "./ids";
import { toApiValue, type ApiValueMemo } from "./values";

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
  metadata: JsonObject | null;
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
  const metadata = state.metadata
    ? {
        ...(toApiValue(state.metadata.extra) as JsonObject),
        source: state.metadata.source,
        step: state.metadata.step,
        parents: {},
      }
    : null;
  return {
    values: state.checkpoint ? toApiValue(state.values, memo) : {},
    next: state.next,
    tasks: state.tasks.map((t) => apiTask(t, threadId)),
    metadata,
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

export function apiThread(thread: ThreadInfo, head: StateSnapshot | null): JsonObject {
  return {
    thread_id: thread.threadId,
    created_at: thread.createdAt,
    updated_at: thread.updatedAt,
    metadata: toApiValue(thread.metadata),
    status: thread.status,
    config: {},
    ...(head?.checkpoint ? { values: toApiValue(head.values), interrupts: interruptsByTask(head) } : {}),
  };
}

export function apiAssistant(graph: GraphInfo, createdAt: string): JsonObject {
  return {
    assistant_id: assistantIdOf(graph.id),
    graph_id: graph.id,
    config: {},
    context: {},
    metadata: { created_by: "system" },
    name: graph.id,
    description: null,
    version: 1,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

/** What LangGraph keeps of a run's request, for GET /runs/:id. */
export type RunKwargs = JsonObject;

export function apiRun(run: RunInfo, kwargs: RunKwargs | undefined): JsonObject {
  return {
    run_id: run.runId,
    thread_id: run.threadId,
    assistant_id: assistantIdOf(run.graphId),
    metadata: toApiValue(run.metadata),
    status: run.status,
    kwargs: kwargs ?? {},
    multitask_strategy: run.multitaskStrategy,
    created_at: run.createdAt,
    updated_at: run.finishedAt ?? run.startedAt ?? run.createdAt,
  };
}
