// What every resource module of the Agent Server API shares: the engine (as a contract client),
// the runs' event logs, the history cache, and the lookups several resources make.
import { createClient, type CallName, type EngineClient, type Invoke } from "../../shared/contract";
import type { JsonObject } from "../../shared/encoding";
import type { EventListener, Unsubscribe } from "../../shared/events";
import type { ApiAssistant } from "../../shared/agent-api/assistants";
import { ThreadlineError } from "../../shared/errors";
import type { RunInfo, StateSnapshot, ThreadInfo } from "../../shared/types";
import { notFound } from "./errors";
import { HistoryCache } from "./history-cache";
import { apiRun, apiThread } from "./shapes";
import { RunEventLogs } from "./streams";

/** What the Agent Server API needs of the engine: EngineHost provides it. */
export interface AgentApiEngine {
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
  /** `invoke` with parts of the result ahead of it (see CallContext), when the engine can: EngineHost. */
  stream?(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown>;
}

/** The keys the server sets on each run's configurable: not part of the thread's config. */
export const RUN_CONFIGURABLE_KEYS = ["run_id", "thread_id", "graph_id", "assistant_id"];

const asObject = (v: unknown): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {});

/** Oldest first; a run without a stored request (started by the inspector) adds nothing. */
export function mergedThreadConfig(requests: readonly (JsonObject | undefined)[]): JsonObject {
  let config: JsonObject = {};
  let configurable: JsonObject = {};
  for (const request of requests) {
    const { metadata: _metadata, configurable: own, ...rest } = asObject(request?.config);
    const kept = Object.entries(asObject(own)).filter(([key]) => !RUN_CONFIGURABLE_KEYS.includes(key));
    config = { ...config, ...rest };
    configurable = { ...configurable, ...Object.fromEntries(kept) };
  }
  return { ...config, configurable };
}

export class ApiContext {
  readonly tl: EngineClient;
  readonly logs = new RunEventLogs();
  readonly historyCache = new HistoryCache();
  readonly startedAt = new Date().toISOString();

  constructor(readonly engine: AgentApiEngine) {
    this.tl = createClient((name, args) => engine.invoke(name, args));
    engine.onEvent((event) => {
      try {
        this.logs.accept(event);
        this.historyCache.accept(event);
      } catch {
        // A malformed event must not reach the other listeners as an exception; forget what might be stale.
        this.historyCache.clear();
      }
    });
  }

  /** An assistant by its id, or a graph's default assistant by the graph id (404 for neither). */
  async assistantOf(assistantId: string): Promise<ApiAssistant> {
    try {
      return await this.tl.assistants.get({ assistantId });
    } catch (error) {
      if (ThreadlineError.from(error).code === "NOT_FOUND") throw notFound(`Assistant "${assistantId}" not found`);
      throw error;
    }
  }

  async head(threadId: string): Promise<StateSnapshot | null> {
    try {
      return await this.tl.state.get({ threadId });
    } catch {
      // A thread whose graph is gone still has its row: show it without values.
      return null;
    }
  }

  async threadResource(thread: ThreadInfo): Promise<JsonObject> {
    const [head, config] = await Promise.all([thread.headCheckpointId ? this.head(thread.threadId) : null, this.threadConfig(thread.threadId)]);
    return apiThread(thread, head, config);
  }

  /**
   * A thread's `config`, as LangGraph's server keeps it: each run's config merged over the
   * previous ones (configurable key by key), without the ids it adds per run. Read from the
   * requests stored with the thread's runs, so it outlives the process; `{}` before any run.
   */
  async threadConfig(threadId: string): Promise<JsonObject> {
    const runs = await this.tl.runs.list({ threadId, limit: 1000, offset: 0 }).catch(() => []);
    if (runs.length === 0) return {};
    const { requests } = await this.tl.runs.requests({ runIds: runs.map((r) => r.runId) });
    return mergedThreadConfig(runs.map((r) => requests[r.runId]).reverse());
  }

  /** Runs as LangGraph's resources, with the request each was started with (read from storage). */
  async runResources(runs: readonly RunInfo[]): Promise<JsonObject[]> {
    const { requests } = runs.length > 0 ? await this.tl.runs.requests({ runIds: runs.map((r) => r.runId) }) : { requests: {} };
    return runs.map((run) => apiRun(run, requests[run.runId]));
  }
}
