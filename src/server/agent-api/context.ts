// What every resource module of the Agent Server API shares: the engine (as a contract client),
// the runs' event logs, the history cache, and the lookups several resources make.
import { createClient, type CallName, type EngineClient, type Invoke } from "../../shared/contract";
import type { JsonObject } from "../../shared/encoding";
import type { EventListener, Unsubscribe } from "../../shared/events";
import type { GraphInfo } from "../../shared/graph";
import type { RunInfo, StateSnapshot, ThreadInfo } from "../../shared/types";
import { notFound } from "./errors";
import { HistoryCache } from "./history-cache";
import { assistantIdOf } from "./ids";
import { apiRun, apiThread } from "./shapes";
import { RunEventLogs } from "./streams";

/** What the Agent Server API needs of the engine: EngineHost provides it. */
export interface AgentApiEngine {
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
  /** `invoke` with parts of the result ahead of it (see CallContext), when the engine can: EngineHost. */
  stream?(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown>;
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

  async graphs(): Promise<GraphInfo[]> {
    return (await this.tl.graphs.list()).graphs;
  }

  /** The graph behind an assistant id, a graph id, or a graph's assistant UUID. */
  async graphOf(assistantId: string): Promise<GraphInfo> {
    const found = (await this.graphs()).find((g) => g.id === assistantId || assistantIdOf(g.id) === assistantId);
    if (!found) throw notFound(`Assistant "${assistantId}" not found`);
    return found;
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
    return apiThread(thread, thread.headCheckpointId ? await this.head(thread.threadId) : null);
  }

  /** Runs as LangGraph's resources, with the request each was started with (read from storage). */
  async runResources(runs: readonly RunInfo[]): Promise<JsonObject[]> {
    const { requests } = runs.length > 0 ? await this.tl.runs.requests({ runIds: runs.map((r) => r.runId) }) : { requests: {} };
    return runs.map((run) => apiRun(run, requests[run.runId]));
  }
}
