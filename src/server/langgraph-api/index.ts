// LangGraph's Agent Server REST API over Threadline's engine, so that the
// official SDK client (and tools built on it, such as `useStream`) work
// against `threadline serve` unchanged. Paths, bodies, status codes and SSE
// events follow the Agent Server's documentation and what `langgraph dev`
// does; the differences that remain are listed in the README.
//
// Mounted at the root of browser mode's app, behind its Host/Origin and
// token checks (see LANGGRAPH_API_PATHS).
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { createClient, type CallName, type EngineClient, type Invoke } from "../../shared/contract";
import type { JsonObject, JsonValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import type { EventListener, Unsubscribe } from "../../shared/events";
import type { GraphInfo } from "../../shared/graph";
import type { MultitaskStrategy, NodeSelection, RunInfo, StateSnapshot, ThreadInfo, ThreadStatus } from "../../shared/types";
import { HistoryCache, jsonArrayBytes } from "./history-cache";
import { assistantIdOf } from "./ids";
import { apiThreadState, type ApiStateText } from "../../shared/langgraph-api/state";
import { fromApiValue, toApiValue } from "../../shared/langgraph-api/values";
import { apiAssistant, apiRun, apiThread, type RunKwargs } from "./shapes";
import { RunEventLogs, type StreamRequest } from "./streams";

export interface LangGraphApiEngine {
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
  /** `invoke` with parts of the result ahead of it (see CallContext), when the engine can: EngineHost. */
  stream?(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown>;
}

/** The path patterns this API answers, for the token check in front of it. */
export const LANGGRAPH_API_PATHS = ["/info", "/ok", "/assistants", "/assistants/*", "/threads", "/threads/*", "/runs", "/runs/*"] as const;

/** Reported as the server's version in /info, next to LangGraph's own fields. */
const API_FLAVOUR = "threadline";

type Status = 400 | 404 | 409 | 422 | 500 | 501 | 503;

class ApiError extends Error {
  constructor(
    readonly status: Status,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Record<string, Status> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_ARGUMENT: 422,
  GRAPH_LOAD_FAILED: 422,
  UNAVAILABLE: 503,
};

function fail(c: Context, error: unknown) {
  if (error instanceof ApiError) return c.json({ error: error.name, message: error.message }, error.status);
  const e = ThreadlineError.from(error);
  return c.json({ error: e.code, message: e.message }, STATUS_OF[e.code] ?? 500);
}

async function body(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("expected a JSON object");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ApiError(422, `the request body is not a JSON object (${(error as Error).message})`);
  }
}

const param = (c: Context, name: string): string => c.req.param(name) ?? "";
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const int = (v: unknown, fallback: number): number => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? Math.trunc(n) : fallback;
};
const bool = (v: unknown): boolean => v === true || v === "true" || v === "1" || v === "True";
const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** How many threads a search that the engine cannot order or filter itself looks at. */
const SEARCH_WINDOW = 1000;
const THREAD_STATUSES: readonly ThreadStatus[] = ["idle", "busy", "interrupted", "error"];
const MULTITASK: readonly MultitaskStrategy[] = ["reject", "enqueue", "interrupt", "rollback"];

function contains(superset: unknown, subset: unknown): boolean {
  const sup = obj(superset);
  const sub = obj(subset);
  if (sup && sub) return Object.entries(sub).every(([key, value]) => key in sup && contains(sup[key], value));
  return JSON.stringify(superset) === JSON.stringify(subset);
}

function nodeSelection(v: unknown): NodeSelection | undefined {
  if (v === "*") return "*";
  if (Array.isArray(v) && v.every((n) => typeof n === "string")) return v as string[];
  return undefined;
}

/** `before` arrives as a checkpoint id (langgraph dev) or as a config (the SDK's type). */
function checkpointIdOf(v: unknown): string | undefined {
  if (typeof v === "string") return str(v);
  const o = obj(v);
  return str(obj(o?.configurable)?.checkpoint_id) ?? str(o?.checkpoint_id);
}

function metadataFilter(v: unknown): Record<string, JsonValue> | undefined {
  const o = obj(v);
  return o && Object.keys(o).length > 0 ? (fromApiValue(o) as Record<string, JsonValue>) : undefined;
}

const JSON_TYPE = { "content-type": "application/json" } as const;

/** A JSON array of state texts written to a response body as the states arrive. */
class StateStream {
  readonly states: ApiStateText[] = [];
  readonly readable: ReadableStream<Uint8Array>;
  /** Resolves with the first states. */
  readonly started: Promise<void>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private markStarted!: () => void;
  /** The client went away (or the stream ended): later states have nowhere to go. */
  private closed = false;

  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => void (this.controller = controller),
      cancel: () => void (this.closed = true),
    });
  }

  push(states: readonly ApiStateText[]): void {
    if (states.length === 0) return;
    this.states.push(...states);
    this.markStarted();
    if (this.closed) return;
    const texts = states.map((s) => s.json).join(",");
    this.controller.enqueue(Buffer.from(this.states.length === states.length ? `[${texts}` : `,${texts}`));
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.enqueue(Buffer.from(this.states.length === 0 ? "[]" : "]"));
    this.controller.close();
  }

  /** After the first bytes the status is sent: the client sees the body end early. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.error(error);
  }
}

export function createLangGraphApi(engine: LangGraphApiEngine): Hono {
  const tl: EngineClient = createClient((name, args) => engine.invoke(name, args));
  const logs = new RunEventLogs();
  const historyCache = new HistoryCache();
  engine.onEvent((event) => {
    try {
      logs.accept(event);
      historyCache.accept(event);
    } catch {
      // A malformed event must not reach the other listeners as an exception; forget what might be stale.
      historyCache.clear();
    }
  });
  const startedAt = new Date().toISOString();
  /** What each run was asked for, kept for GET /runs/:id (the engine stores no request). */
  const kwargsOf = new Map<string, RunKwargs>();
  const streamOf = new Map<string, StreamRequest>();
  const app = new Hono();

  // -- helpers over the engine

  async function graphs(): Promise<GraphInfo[]> {
    return (await tl.graphs.list()).graphs;
  }

  /** The graph behind an assistant id, a graph id, or a graph's assistant UUID. */
  async function graphOf(assistantId: unknown): Promise<GraphInfo> {
    const id = str(assistantId);
    if (!id) throw new ApiError(422, "assistant_id is required");
    const found = (await graphs()).find((g) => g.id === id || assistantIdOf(g.id) === id);
    if (!found) throw new ApiError(404, `Assistant "${id}" not found`);
    return found;
  }

  async function head(threadId: string): Promise<StateSnapshot | null> {
    try {
      return await tl.state.get({ threadId });
    } catch {
      // A thread whose graph is gone still has its row: show it without values.
      return null;
    }
  }

  async function threadResource(thread: ThreadInfo): Promise<JsonObject> {
    return apiThread(thread, thread.headCheckpointId ? await head(thread.threadId) : null);
  }

  async function runResult(run: RunInfo): Promise<JsonValue> {
    if (run.status === "error" && run.error) return { __error__: { error: run.error.className, message: run.error.message } };
    const last = logs.lastValues(run.runId);
    if (last !== undefined) return last;
    const state = await tl.state.get({ threadId: run.threadId });
    const interrupts = state.tasks.flatMap((t) => t.interrupts);
    if (run.status === "interrupted" && interrupts.length > 0 && !run.cancelled) {
      return { __interrupt__: interrupts.map((i) => ({ ...(i.id !== null ? { id: i.id } : {}), value: toApiValue(i.value) })) };
    }
    return toApiValue(state.values);
  }

  /** Deletes a stateless run's thread once it ends, unless it was asked to be kept. */
  function dropWhenDone(run: RunInfo) {
    void tl.runs
      .join({ runId: run.runId })
      .then(() => tl.threads.delete({ threadId: run.threadId }))
      .catch(() => undefined);
  }

  async function createRun(threadId: string | null, payload: Record<string, unknown>): Promise<{ run: RunInfo; temporary: boolean }> {
    const graph = await graphOf(payload.assistant_id);
    const assistantId = assistantIdOf(graph.id);
    const temporary = threadId === null && (str(payload.on_completion) ?? "delete") === "delete";
    let thread: ThreadInfo;
    if (threadId === null) {
      thread = await tl.threads.create({ metadata: {}, graphId: graph.id });
    } else {
      try {
        thread = await tl.threads.get({ threadId });
      } catch (error) {
        if (ThreadlineError.from(error).code !== "NOT_FOUND" || payload.if_not_exists !== "create") {
          throw error instanceof ThreadlineError && error.code === "NOT_FOUND" ? new ApiError(404, `Thread ${threadId} not found`) : error;
        }
        thread = await tl.threads.create({ threadId, metadata: {}, graphId: graph.id, ifExists: "do_nothing" });
      }
    }
    // LangGraph records on the thread which graph ran on it last.
    if (thread.metadata.graph_id !== graph.id || thread.metadata.assistant_id !== assistantId) {
      thread = await tl.threads.updateMetadata({ threadId: thread.threadId, metadata: { graph_id: graph.id, assistant_id: assistantId } });
    }

    const strategy = str(payload.multitask_strategy) ?? "reject";
    if (!MULTITASK.includes(strategy as MultitaskStrategy)) throw new ApiError(422, `multitask_strategy must be one of ${MULTITASK.join(", ")}`);
    const config = obj(payload.config) ?? {};
    const command = obj(payload.command);
    const checkpointId = str(payload.checkpoint_id) ?? str(obj(payload.checkpoint)?.checkpoint_id);
    const runMetadata: Record<string, JsonValue> = {
      created_by: "system",
      ...(thread.metadata as Record<string, JsonValue>),
      ...((fromApiValue(obj(payload.metadata) ?? {}) as Record<string, JsonValue>) ?? {}),
      graph_id: graph.id,
      assistant_id: assistantId,
    };
    const gotoOf = (goto: unknown): string | string[] | undefined => {
      const one = (g: unknown) => (typeof g === "string" ? g : str(obj(g)?.node));
      if (Array.isArray(goto)) return goto.map(one).filter((g): g is string => g !== undefined);
      return one(goto);
    };
    const interruptBefore = nodeSelection(payload.interrupt_before);
    const interruptAfter = nodeSelection(payload.interrupt_after);
    const run = await tl.runs
      .start({
        threadId: thread.threadId,
        graphId: graph.id,
        ...(command
          ? {
              command: {
                ...(command.resume !== undefined ? { resume: fromApiValue(command.resume) } : {}),
                ...(command.update !== undefined && command.update !== null ? { update: fromApiValue(command.update) } : {}),
                ...(command.goto !== undefined && command.goto !== null ? { goto: gotoOf(command.goto) } : {}),
              },
            }
          : payload.input !== undefined && payload.input !== null
            ? { input: fromApiValue(payload.input) }
            : {}),
        config: {
          ...(fromApiValue(config) as Record<string, JsonValue>),
          configurable: {
            ...((fromApiValue(obj(config.configurable) ?? {}) as Record<string, JsonValue>) ?? {}),
            graph_id: graph.id,
            assistant_id: assistantId,
          },
        },
        metadata: runMetadata,
        // A run that names no breakpoints has none, as on LangGraph's server (not the inspector's saved ones).
        interruptBefore: interruptBefore ?? [],
        interruptAfter: interruptAfter ?? [],
        ...(checkpointId ? { checkpointId } : {}),
        multitaskStrategy: strategy as MultitaskStrategy,
      })
      .catch((error: unknown) => {
        const e = ThreadlineError.from(error);
        if (e.code === "CONFLICT") {
          throw new ApiError(422, "Thread is already running a task. Wait for it to finish or choose a different multitask strategy.");
        }
        throw e;
      });
    const modes = Array.isArray(payload.stream_mode) ? payload.stream_mode : payload.stream_mode != null ? [payload.stream_mode] : [];
    const streamMode = modes.length > 0 ? modes.map(String) : ["values"];
    const subgraphs = bool(payload.stream_subgraphs);
    streamOf.set(run.runId, { modes: new Set(streamMode), subgraphs });
    kwargsOf.set(run.runId, {
      input: (payload.input ?? null) as JsonValue,
      ...(command ? { command: command as JsonObject } : {}),
      config: {
        ...(config as JsonObject),
        configurable: {
          ...(obj(config.configurable) as JsonObject),
          run_id: run.runId,
          thread_id: thread.threadId,
          graph_id: graph.id,
          assistant_id: assistantId,
        },
        metadata: toApiValue(runMetadata),
      },
      context: (obj(payload.context) ?? {}) as JsonObject,
      stream_mode: streamMode,
      ...(interruptBefore ? { interrupt_before: interruptBefore } : {}),
      ...(interruptAfter ? { interrupt_after: interruptAfter } : {}),
      temporary,
      subgraphs,
      resumable: bool(payload.stream_resumable),
    });
    for (const map of [kwargsOf, streamOf] as Map<string, unknown>[]) {
      if (map.size > 5000) map.delete(map.keys().next().value as string);
    }
    return { run, temporary };
  }

  function sse(c: Context, runId: string, request: StreamRequest, options: { lastEventId?: string; cancelOnDisconnect?: boolean }) {
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => {
        abort.abort();
        if (options.cancelOnDisconnect) void tl.runs.cancel({ runId }).catch(() => undefined);
      });
      for await (const event of logs.stream(runId, request, { signal: abort.signal, ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}) })) {
        await stream.writeSSE({ id: event.id, event: event.event, data: JSON.stringify(event.data) });
      }
    });
  }

  function requestOf(payload: Record<string, unknown>): StreamRequest {
    const modes = Array.isArray(payload.stream_mode) ? payload.stream_mode : payload.stream_mode != null ? [payload.stream_mode] : [];
    return { modes: new Set(modes.length > 0 ? modes.map(String) : ["values"]), subgraphs: bool(payload.stream_subgraphs) };
  }

  const route =
    (handler: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        return fail(c, error);
      }
    };

  // -- meta

  app.get(
    "/info",
    route(async (c) => {
      const [project, { graphs }] = await Promise.all([tl.project.info(), tl.graphs.list()]);
      return c.json({
        version: project.version,
        // The project's own release, which its graphs run on; null with only the built-in examples.
        langgraph_js_version: graphs.find((g) => g.langgraphVersion)?.langgraphVersion ?? null,
        context: "js",
        server: API_FLAVOUR,
        flags: { assistants: true, crons: false, langsmith: false, langsmith_tracing_replicas: false },
      });
    }),
  );
  app.get("/ok", (c) => c.json({ ok: true }));

  // -- assistants: one per loaded graph

  app.post(
    "/assistants/search",
    route(async (c) => {
      const payload = await body(c);
      const graphId = str(payload.graph_id);
      const name = str(payload.name);
      const metadata = obj(payload.metadata) ?? {};
      const limit = int(payload.limit, 10);
      const offset = int(payload.offset, 0);
      const all = (await graphs())
        .filter((g) => (!graphId || g.id === graphId) && (!name || g.id.includes(name)))
        .map((g) => apiAssistant(g, startedAt))
        .filter((a) => Object.entries(metadata).every(([k, v]) => (a.metadata as JsonObject)[k] === v));
      const page = all.slice(offset, offset + limit);
      c.header("x-pagination-total", String(all.length));
      if (offset + page.length < all.length) c.header("x-pagination-next", String(offset + page.length));
      return c.json(page);
    }),
  );
  app.post(
    "/assistants/count",
    route(async (c) => {
      const payload = await body(c);
      const graphId = str(payload.graph_id);
      return c.json((await graphs()).filter((g) => !graphId || g.id === graphId).length);
    }),
  );
  app.post("/assistants", (c) =>
    c.json(
      { error: "NotImplemented", message: "Threadline serves one assistant per graph of the open project; creating assistants is not supported" },
      501,
    ),
  );
  app.get(
    "/assistants/:id",
    route(async (c) => c.json(apiAssistant(await graphOf(param(c, "id")), startedAt))),
  );
  app.post(
    "/assistants/:id/versions",
    route(async (c) => c.json([apiAssistant(await graphOf(param(c, "id")), startedAt)])),
  );
  app.get(
    "/assistants/:id/graph",
    route(async (c) => {
      const graph = await graphOf(param(c, "id"));
      const { drawing } = await tl.graphs.get({ graphId: graph.id });
      return c.json({
        nodes: drawing.nodes.map((n) => ({
          id: n.id,
          type: n.subgraph ? "graph" : "runnable",
          data: { id: ["langgraph", n.id], name: n.label },
        })),
        edges: drawing.edges.map((e) => ({ source: e.source, target: e.target, ...(e.conditional ? { conditional: true } : {}) })),
      });
    }),
  );
  app.get(
    "/assistants/:id/schemas",
    route(async (c) => {
      const graph = await graphOf(param(c, "id"));
      const { schemas } = await tl.graphs.get({ graphId: graph.id });
      return c.json({
        graph_id: graph.id,
        input_schema: schemas.input ?? null,
        output_schema: schemas.state ?? null,
        state_schema: schemas.state ?? null,
        config_schema: null,
        context_schema: null,
      });
    }),
  );
  app.get(
    "/assistants/:id/subgraphs/:namespace?",
    route(async (c) => {
      await graphOf(param(c, "id"));
      return c.json({});
    }),
  );

  // -- threads

  app.post(
    "/threads",
    route(async (c) => {
      const payload = await body(c);
      const metadata = (fromApiValue(obj(payload.metadata) ?? {}) ?? {}) as Record<string, JsonValue>;
      const threadId = str(payload.thread_id);
      const ifExists = payload.if_exists === "do_nothing" ? "do_nothing" : "raise";
      const graphId = str(metadata.graph_id);
      // The SDK always sends graph_id (undefined when not given, which JSON drops).
      const thread = await tl.threads.create({
        metadata,
        ifExists,
        ...(threadId ? { threadId } : {}),
        ...(graphId && (await graphs()).some((g) => g.id === graphId) ? { graphId } : {}),
      });
      if (Array.isArray(payload.supersteps) && payload.supersteps.length > 0) {
        for (const step of payload.supersteps as { updates?: { values?: unknown; as_node?: string }[] }[]) {
          for (const update of step.updates ?? []) {
            await tl.state.update({
              threadId: thread.threadId,
              values: fromApiValue(update.values ?? null),
              throughReducer: Object.keys(obj(update.values) ?? {}),
              ...(update.as_node ? { asNode: update.as_node } : {}),
            });
          }
        }
      }
      return c.json(await threadResource(await tl.threads.get({ threadId: thread.threadId })));
    }),
  );

  /**
   * Threads whose head state contains the given values, as the Agent Server's JSONB containment
   * does: nested objects are matched key by key. A thread with no state matches nothing.
   */
  async function filterByValues(threads: ThreadInfo[], values: Record<string, unknown>): Promise<ThreadInfo[]> {
    const heads = await Promise.all(threads.map((t) => (t.headCheckpointId ? head(t.threadId) : null)));
    return threads.filter((_, i) => {
      const state = heads[i];
      return state?.checkpoint ? contains(toApiValue(state.values), values) : false;
    });
  }

  async function searchArgs(payload: Record<string, unknown>) {
    const status = str(payload.status);
    if (status && !THREAD_STATUSES.includes(status as ThreadStatus)) throw new ApiError(422, `status must be one of ${THREAD_STATUSES.join(", ")}`);
    const metadata = metadataFilter(payload.metadata);
    return { ...(metadata ? { metadata } : {}), ...(status ? { status: status as ThreadStatus } : {}) };
  }

  app.post(
    "/threads/search",
    route(async (c) => {
      const payload = await body(c);
      const limit = clamp(int(payload.limit, 10), 1, 1000);
      const offset = Math.max(int(payload.offset, 0), 0);
      const filter = await searchArgs(payload);
      const ids = Array.isArray(payload.ids) ? new Set(payload.ids.map(String)) : null;
      const values = obj(payload.values);
      const sortBy = str(payload.sort_by) ?? "created_at";
      const order = (str(payload.sort_order) ?? "desc") === "asc" ? 1 : -1;
      let threads: ThreadInfo[];
      if (!ids && !values && sortBy === "updated_at" && order === -1) {
        // The engine's own order: it pages.
        threads = await tl.threads.search({ ...filter, limit, offset });
      } else {
        // Other orders and filters are applied here, over the most recently updated threads.
        let all = await tl.threads.search({ ...filter, limit: SEARCH_WINDOW, offset: 0 });
        if (ids) all = all.filter((t) => ids.has(t.threadId));
        if (values) all = await filterByValues(all, values);
        const key = (t: ThreadInfo) =>
          sortBy === "thread_id" ? t.threadId : sortBy === "status" ? t.status : sortBy === "updated_at" ? t.updatedAt : t.createdAt;
        threads = all.sort((a, b) => order * key(a).localeCompare(key(b))).slice(offset, offset + limit);
      }
      const select = Array.isArray(payload.select) ? new Set(payload.select.map(String)) : null;
      const resources = await Promise.all(threads.map(threadResource));
      c.header("x-pagination-total", String(offset + resources.length + (resources.length === limit ? 1 : 0)));
      if (resources.length === limit) c.header("x-pagination-next", String(offset + limit));
      return c.json(select ? resources.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => select.has(k)))) : resources);
    }),
  );
  app.post(
    "/threads/count",
    route(async (c) => {
      const payload = await body(c);
      const filter = await searchArgs(payload);
      const values = obj(payload.values);
      if (!values) return c.json(await tl.threads.count(filter));
      return c.json((await filterByValues(await tl.threads.search({ ...filter, limit: SEARCH_WINDOW, offset: 0 }), values)).length);
    }),
  );
  app.get(
    "/threads/:thread_id",
    route(async (c) => c.json(await threadResource(await tl.threads.get({ threadId: param(c, "thread_id") })))),
  );
  app.patch(
    "/threads/:thread_id",
    route(async (c) => {
      const payload = await body(c);
      const thread = await tl.threads.updateMetadata({
        threadId: param(c, "thread_id"),
        metadata: (fromApiValue(obj(payload.metadata) ?? {}) ?? {}) as Record<string, JsonValue>,
        mode: "merge",
      });
      return c.json(await threadResource(thread));
    }),
  );
  app.delete(
    "/threads/:thread_id",
    route(async (c) => {
      historyCache.forget(param(c, "thread_id"));
      await tl.threads.delete({ threadId: param(c, "thread_id") });
      return c.body(null, 204);
    }),
  );
  app.post(
    "/threads/:thread_id/copy",
    route(async (c) => {
      const copy = await tl.threads.copy({ threadId: param(c, "thread_id") });
      // As LangGraph's server does, the copy's metadata names the copy.
      return c.json(apiThread(await tl.threads.updateMetadata({ threadId: copy.threadId, metadata: { thread_id: copy.threadId } }), null));
    }),
  );

  // -- thread state and history

  async function stateAt(c: Context, threadId: string, checkpointId: string | undefined, checkpointNs: string, subgraphs: boolean) {
    const state = await tl.state.get({ threadId, checkpointNs, subgraphs, ...(checkpointId ? { checkpointId } : {}) });
    return c.json(apiThreadState(state, threadId));
  }

  app.get(
    "/threads/:thread_id/state",
    route(async (c) => stateAt(c, param(c, "thread_id"), undefined, "", bool(c.req.query("subgraphs")))),
  );
  app.post(
    "/threads/:thread_id/state/checkpoint",
    route(async (c) => {
      const payload = await body(c);
      const checkpoint = obj(payload.checkpoint) ?? {};
      return stateAt(c, param(c, "thread_id"), str(checkpoint.checkpoint_id), str(checkpoint.checkpoint_ns) ?? "", bool(payload.subgraphs));
    }),
  );
  app.get(
    "/threads/:thread_id/state/:checkpoint_id",
    route(async (c) => stateAt(c, param(c, "thread_id"), param(c, "checkpoint_id"), "", bool(c.req.query("subgraphs")))),
  );
  app.post(
    "/threads/:thread_id/state",
    route(async (c) => {
      const threadId = param(c, "thread_id");
      const payload = await body(c);
      const checkpoint = obj(payload.checkpoint) ?? {};
      const checkpointId = str(payload.checkpoint_id) ?? str(checkpoint.checkpoint_id);
      const values = payload.values === undefined ? null : payload.values;
      // LangGraph's updateState applies each key's reducer (messages merge by id, lists append).
      const result = await tl.state.update({
        threadId,
        values: fromApiValue(values),
        throughReducer: Object.keys(obj(values) ?? {}),
        checkpointNs: str(checkpoint.checkpoint_ns) ?? "",
        ...(checkpointId ? { checkpointId } : {}),
        ...(str(payload.as_node) ? { asNode: str(payload.as_node)! } : {}),
      });
      const ref = result.checkpoint;
      return c.json({ checkpoint: { thread_id: ref.threadId, checkpoint_ns: ref.checkpointNs, checkpoint_id: ref.checkpointId } });
    }),
  );

  async function history(c: Context, threadId: string, payload: Record<string, unknown>) {
    const before = checkpointIdOf(payload.before);
    const metadata = metadataFilter(payload.metadata);
    const checkpointNs = str(obj(payload.checkpoint)?.checkpoint_ns) ?? "";
    const limit = clamp(int(payload.limit, 10), 1, 1000);
    const page = { threadId, checkpointNs, ...(before ? { before } : {}) };
    if (metadata) return historyBody(c, { ...page, limit, metadata }, null);
    // Which checkpoints the page holds, and whether each state in memory is still what it reads.
    const { items } = await tl.history.revisions({ ...page, limit });
    const cached = historyCache.lookup(threadId, checkpointNs, items);
    if (cached.every((json) => json !== undefined)) return c.body(jsonArrayBytes(cached as string[]), 200, JSON_TYPE);
    // After a run only its new checkpoints, at the top of the page, are missing: build just those.
    const missing = cached.findIndex((json) => json !== undefined);
    if (missing > 0 && cached.slice(missing).every((json) => json !== undefined)) {
      const { states } = await tl.history.apiStates({ ...page, limit: missing });
      if (states.every((state, i) => state.checkpointId === items[i]!.checkpointId)) {
        historyCache.put(threadId, states);
        return c.body(jsonArrayBytes([...states.map((s) => s.json), ...(cached.slice(missing) as string[])]), 200, JSON_TYPE);
      }
      // The thread moved on meanwhile: read the whole page.
    }
    return historyBody(c, { ...page, limit }, (states) => historyCache.put(threadId, states));
  }

  /** Builds every state of a page; streamed as it is built when the engine can. */
  async function historyBody(
    c: Context,
    args: { threadId: string; checkpointNs: string; limit: number; before?: string; metadata?: Record<string, JsonValue> },
    remember: ((states: readonly ApiStateText[]) => void) | null,
  ) {
    if (!engine.stream) {
      const { states } = await tl.history.apiStates(args);
      remember?.(states);
      return c.body(jsonArrayBytes(states.map((s) => s.json)), 200, JSON_TYPE);
    }
    // The engine writes each state's JSON as soon as it has read it, and the body goes out as it
    // comes: a long page is on the wire while the rest of it is being read.
    const body = new StateStream();
    const done = engine
      .stream("history.apiStates", args, (part) => body.push((part as { states: ApiStateText[] }).states))
      .then((result) => body.push((result as { states: ApiStateText[] }).states));
    // An error before the first state (no such thread, a bad cursor) answers with its status.
    await Promise.race([body.started, done]);
    done.then(
      () => {
        body.end();
        remember?.(body.states);
      },
      (error: unknown) => body.fail(error),
    );
    return c.body(body.readable, 200, JSON_TYPE);
  }

  app.get(
    "/threads/:thread_id/history",
    route(async (c) => history(c, param(c, "thread_id"), { limit: c.req.query("limit"), before: c.req.query("before") })),
  );
  app.post(
    "/threads/:thread_id/history",
    route(async (c) => history(c, param(c, "thread_id"), await body(c))),
  );

  // -- runs

  const contentLocation = (run: RunInfo, stateless: boolean) => (stateless ? `/runs/${run.runId}` : `/threads/${run.threadId}/runs/${run.runId}`);

  for (const scope of ["thread", "stateless"] as const) {
    const base = scope === "thread" ? "/threads/:thread_id/runs" : "/runs";
    const threadOf = (c: Context) => (scope === "thread" ? param(c, "thread_id") : null);
    const stateless = scope === "stateless";

    app.post(
      base,
      route(async (c) => {
        const { run, temporary } = await createRun(threadOf(c), await body(c));
        if (temporary) dropWhenDone(run);
        c.header("content-location", contentLocation(run, stateless));
        return c.json(apiRun(run, kwargsOf.get(run.runId)));
      }),
    );
    app.post(
      `${base}/stream`,
      route(async (c) => {
        const payload = await body(c);
        const { run, temporary } = await createRun(threadOf(c), payload);
        if (temporary) dropWhenDone(run);
        c.header("content-location", contentLocation(run, stateless));
        return sse(c, run.runId, requestOf(payload), { cancelOnDisconnect: payload.on_disconnect === "cancel" });
      }),
    );
    app.post(
      `${base}/wait`,
      route(async (c) => {
        const payload = await body(c);
        const { run, temporary } = await createRun(threadOf(c), payload);
        c.header("content-location", contentLocation(run, stateless));
        const result = await runResult(await tl.runs.join({ runId: run.runId }));
        // A stateless run's thread goes once its result is read.
        if (temporary) await tl.threads.delete({ threadId: run.threadId }).catch(() => undefined);
        return c.json(result);
      }),
    );
  }

  app.post(
    "/runs/batch",
    route(async (c) => {
      const text = await c.req.text();
      const payloads: unknown = JSON.parse(text || "[]");
      if (!Array.isArray(payloads)) throw new ApiError(422, "expected a JSON array of runs");
      const runs = [];
      for (const payload of payloads) {
        const { run, temporary } = await createRun(str(obj(payload)?.thread_id) ?? null, obj(payload) ?? {});
        if (temporary) dropWhenDone(run);
        runs.push(apiRun(run, kwargsOf.get(run.runId)));
      }
      return c.json(runs);
    }),
  );

  async function runOn(threadId: string | null, runId: string): Promise<RunInfo> {
    const run = await tl.runs.get({ runId }).catch((error: unknown) => {
      throw ThreadlineError.from(error).code === "NOT_FOUND" ? new ApiError(404, "Run not found") : error;
    });
    if (threadId !== null && run.threadId !== threadId) throw new ApiError(404, "Run not found");
    return run;
  }

  app.get(
    "/threads/:thread_id/runs",
    route(async (c) => {
      const threadId = param(c, "thread_id");
      const status = c.req.query("status");
      const limit = clamp(int(c.req.query("limit"), 10), 1, 1000);
      const offset = Math.max(int(c.req.query("offset"), 0), 0);
      const runs = await tl.runs.list({ threadId, limit: status ? 1000 : limit, offset: status ? 0 : offset });
      const selected = status ? runs.filter((r) => r.status === status).slice(offset, offset + limit) : runs;
      return c.json(selected.map((r) => apiRun(r, kwargsOf.get(r.runId))));
    }),
  );
  app.post(
    "/runs/cancel",
    route(async (c) => {
      const payload = await body(c);
      const action = c.req.query("action") === "rollback" ? "rollback" : "interrupt";
      let runIds = Array.isArray(payload.run_ids) ? payload.run_ids.map(String) : [];
      const threadId = str(payload.thread_id);
      if (runIds.length === 0 && threadId) {
        runIds = (await tl.runs.list({ threadId, limit: 1000 })).filter((r) => r.status === "pending" || r.status === "running").map((r) => r.runId);
      }
      for (const runId of runIds) void tl.runs.cancel({ runId, action }).catch(() => undefined);
      return c.body(null, 204);
    }),
  );
  app.get(
    "/threads/:thread_id/runs/:run_id",
    route(async (c) => {
      const run = await runOn(param(c, "thread_id"), param(c, "run_id"));
      return c.json(apiRun(run, kwargsOf.get(run.runId)));
    }),
  );
  app.post(
    "/threads/:thread_id/runs/:run_id/cancel",
    route(async (c) => {
      const run = await runOn(param(c, "thread_id"), param(c, "run_id"));
      const action = c.req.query("action") === "rollback" ? "rollback" : "interrupt";
      const cancelled = tl.runs.cancel({ runId: run.runId, action });
      if (bool(c.req.query("wait"))) {
        await cancelled;
        return c.body(null, 204);
      }
      void cancelled.catch(() => undefined);
      return c.body(null, 202);
    }),
  );
  app.get(
    "/threads/:thread_id/runs/:run_id/join",
    route(async (c) => {
      const run = await runOn(param(c, "thread_id"), param(c, "run_id"));
      return c.json(await runResult(await tl.runs.join({ runId: run.runId })));
    }),
  );

  const joinStream = route(async (c) => {
    const run = await runOn(c.req.param("thread_id") ?? null, param(c, "run_id"));
    const modes = c.req.queries("stream_mode");
    const request = modes?.length
      ? { modes: new Set(modes), subgraphs: streamOf.get(run.runId)?.subgraphs ?? false }
      : (streamOf.get(run.runId) ?? { modes: new Set(["values"]), subgraphs: false });
    const finished = run.status !== "pending" && run.status !== "running";
    if (finished && !logs.has(run.runId)) return streamSSE(c, async () => undefined);
    const lastEventId = c.req.header("last-event-id");
    return sse(c, run.runId, request, { ...(lastEventId ? { lastEventId } : {}), cancelOnDisconnect: bool(c.req.query("cancel_on_disconnect")) });
  });
  app.get("/threads/:thread_id/runs/:run_id/stream", joinStream);
  app.get("/runs/:run_id/stream", joinStream);

  app.delete(
    "/threads/:thread_id/runs/:run_id",
    route(async (c) => {
      await runOn(param(c, "thread_id"), param(c, "run_id"));
      throw new ApiError(501, "Threadline keeps every run of a thread; delete the thread instead");
    }),
  );

  for (const pattern of LANGGRAPH_API_PATHS) {
    app.all(pattern, (c) => c.json({ error: "NotFound", message: `no route ${c.req.method} ${c.req.path}` }, 404));
  }
  return app;
}
