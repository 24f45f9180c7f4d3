// Threadline's contract types as LangGraph's REST resources (snake_case, plain JSON values).
import type { JsonObject } from "../../shared/encoding";
import { interruptsByTask } from "../../shared/agent-api/state";
import { toApiValue } from "../../shared/agent-api/values";
import type { RunInfo, StateSnapshot, ThreadInfo } from "../../shared/types";
import { assistantIdOf } from "../../core/agent-api/ids";

/** `config`: see ApiContext.threadConfig. */
export function apiThread(thread: ThreadInfo, head: StateSnapshot | null, config: JsonObject = {}): JsonObject {
  return {
    thread_id: thread.threadId,
    created_at: thread.createdAt,
    updated_at: thread.updatedAt,
    metadata: toApiValue(thread.metadata),
    status: thread.status,
    config,
    ...(head?.checkpoint ? { values: toApiValue(head.values), interrupts: interruptsByTask(head) } : {}),
  };
}

/**
 * What LangGraph keeps of a run's request (its `kwargs`), as the adapter stored it with the run
 * (see run-create.ts). The run's id is known only once it is admitted: it is added here.
 */
export type RunKwargs = JsonObject;

export function apiRun(run: RunInfo, kwargs: RunKwargs | undefined): JsonObject {
  return {
    run_id: run.runId,
    thread_id: run.threadId,
    // The assistant it was started with (its metadata records it); a run the inspector started has the graph's default one.
    assistant_id: typeof run.metadata.assistant_id === "string" ? run.metadata.assistant_id : assistantIdOf(run.graphId),
    metadata: toApiValue(run.metadata),
    status: run.status,
    kwargs: kwargs ? withRunId(kwargs, run.runId) : {},
    multitask_strategy: run.multitaskStrategy,
    created_at: run.createdAt,
    updated_at: run.finishedAt ?? run.startedAt ?? run.createdAt,
  };
}

function withRunId(kwargs: RunKwargs, runId: string): JsonObject {
  const config = asObject(kwargs.config);
  return { ...kwargs, config: { ...config, configurable: { ...asObject(config.configurable), run_id: runId } } };
}

const asObject = (v: unknown): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {});
