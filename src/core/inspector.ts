// The one service object behind the contract: every call of src/shared/contract.ts
// lands on a method here, by its full name, with arguments already validated
// (see `dispatch`). Threads, state, history, diff and transfer live in
// ./threads; runs are delegated to the run manager (./runs).

import type Database from "better-sqlite3";
import { dispatch, type CallContext, type EngineServer, type ParsedArgs } from "../shared/contract";
import { invalidArgument, ThreadlineError } from "../shared/errors";
import type { EngineEvent, EventListener, Unsubscribe } from "../shared/events";
import type { Breakpoints, NodeSelection, ProjectInfo } from "../shared/types";
import { AgentApiHistory } from "./agent-api/history";
import { runRequests } from "./agent-api/run-requests";
import type { RunManager } from "./threads/context";
import { getBreakpoints, setBreakpoints } from "./storage/runs-table";
import { Checkpoints, type CheckpointStore } from "./threads/checkpoint-store";
import type { EngineContext, GraphSource } from "./threads/context";
import { StateService } from "./threads/state";
import { ThreadService } from "./threads/threads";
import { TransferService } from "./threads/transfer";
import { DataVersionWatcher } from "./threads/watch";
import { importLangGraphDatabase } from "./importers";
import { SqliteCheckpointer } from "./storage/checkpointer";
import type { StoreService } from "./store/store-service";

export const THREADLINE_VERSION = "0.1.0";

export interface InspectorOptions {
  checkpointer: CheckpointStore;
  /** Threadline's tables; the checkpointer's own database when omitted. */
  db?: Database.Database;
  graphs: GraphSource;
  runs?: RunManager;
  project?: { dir: string | null; dbFile?: string };
  /** Builds a fresh registry (graphs.reload); without it, reload lists the graphs already loaded. */
  reloadGraphs?: () => Promise<GraphSource>;
  /** LangGraph's store, shared by every graph (store/project-store.ts); store.* calls are UNAVAILABLE without it. */
  store?: StoreService;
  /** Opens another project (project.open); the host usually restarts the engine for it. */
  openProject?: (dir: string | null) => Promise<ProjectInfo>;
  /** Poll `PRAGMA data_version` for other writers; on unless false (checkExternalChanges still works). */
  watch?: boolean | { intervalMs: number };
  now?: () => string;
}

/**
 * ISO timestamps that never repeat or go back, so that "most recently
 * updated first" is the order things happened in, even within a millisecond.
 */
export function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

/**
 * Errors of the layers below as contract errors: a storage error keeps its
 * meaning (NOT_SQLITE), a database locked by another process past the busy
 * timeout is UNAVAILABLE (try again), anything else INTERNAL.
 */
export function engineError(error: unknown): ThreadlineError {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  for (const candidate of [error, cause]) {
    if (candidate instanceof ThreadlineError) return candidate;
    const { name, code, message } = (candidate ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : String(candidate);
    if (name === "StorageError") {
      if (code === "NOT_SQLITE") return new ThreadlineError("NOT_SQLITE", text);
      if (code === "UNSUPPORTED_SCHEMA" || code === "CANNOT_OPEN") return new ThreadlineError("INVALID_ARGUMENT", text);
      return new ThreadlineError("INTERNAL", text);
    }
    if (name === "SqliteError" && (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")) {
      return new ThreadlineError("UNAVAILABLE", `The database is busy (another process is writing); try again. ${text}`);
    }
  }
  return ThreadlineError.from(error);
}

export class Inspector implements EngineServer {
  readonly db: Database.Database;
  readonly threads: ThreadService;
  private readonly state: StateService;
  private readonly agentApi: AgentApiHistory;
  private readonly transfer: TransferService;
  private readonly listeners = new Set<EventListener>();
  private readonly watcher: DataVersionWatcher;
  private graphSource: GraphSource;
  private runManager: RunManager | undefined;

  constructor(private readonly options: InspectorOptions) {
    const db = options.db ?? options.checkpointer.db;
    if (!db) throw new ThreadlineError("INTERNAL", "Inspector needs a database: pass db or a SqliteCheckpointer");
    this.db = db;
    this.graphSource = options.graphs;
    this.runManager = options.runs;
    const ctx: EngineContext = {
      db,
      store: options.checkpointer,
      checkpoints: new Checkpoints(options.checkpointer),
      graphs: () => this.graphSource,
      runs: () => this.runManager,
      emit: (event) => this.emit(event),
      now: options.now ?? monotonicClock(),
    };
    this.threads = new ThreadService(ctx);
    this.state = new StateService(ctx, this.threads);
    this.agentApi = new AgentApiHistory(ctx, this.threads, this.state);
    this.transfer = new TransferService(ctx, this.threads);
    const interval = typeof options.watch === "object" ? options.watch.intervalMs : undefined;
    this.watcher = new DataVersionWatcher(db, (event) => this.emit(event), interval);
    if (options.watch !== false) this.watcher.start();
  }

  /**
   * One call from a transport: validated, run, and any failure turned into a
   * ThreadlineError with a code the caller can act on.
   */
  async call(name: unknown, rawArgs: unknown, context?: CallContext): Promise<unknown> {
    return dispatch(this, name, rawArgs, engineError, context);
  }

  /** The run manager is built after the Inspector (it needs `emit`); the lead wires it here. */
  setRunManager(runs: RunManager): void {
    this.runManager = runs;
  }

  subscribe(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands an event to every subscriber; one failing listener does not starve the others. */
  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A transport's listener failing (a closed window) is that transport's problem.
      }
    }
  }

  /** Checks for other writers now instead of at the next poll. */
  checkExternalChanges(): boolean {
    return this.watcher.check();
  }

  async close(): Promise<void> {
    this.watcher.stop();
    await this.runManager?.close();
    this.listeners.clear();
  }

  private runs(): RunManager {
    if (!this.runManager) throw new ThreadlineError("UNAVAILABLE", "Runs are not available in this engine");
    return this.runManager;
  }

  // -- project and graphs

  "project.info"(): ProjectInfo {
    return {
      dir: this.options.project?.dir ?? null,
      dbFile: this.options.project?.dbFile ?? this.db.name,
      version: THREADLINE_VERSION,
    };
  }

  async "project.open"(args: ParsedArgs<"project.open">): Promise<ProjectInfo> {
    if (!this.options.openProject) throw new ThreadlineError("UNAVAILABLE", "This engine cannot open another project");
    return this.options.openProject(args.dir);
  }

  "graphs.list"() {
    const missingEnv = this.graphSource.missingEnv ?? null;
    return { graphs: this.graphSource.list(), failures: this.graphSource.failures(), ...(missingEnv ? { missingEnv } : {}) };
  }

  "graphs.get"(args: ParsedArgs<"graphs.get">) {
    const { info } = this.graphSource.get(args.graphId);
    return {
      graph: info,
      drawing: this.graphSource.drawing(args.graphId),
      schemas: this.graphSource.schemas(args.graphId),
      reducers: this.graphSource.reducerKinds(args.graphId),
    };
  }

  async "graphs.reload"() {
    if (this.options.reloadGraphs) this.graphSource = await this.options.reloadGraphs();
    return this["graphs.list"]();
  }

  // -- threads

  "threads.create"(args: ParsedArgs<"threads.create">) {
    return this.threads.create(args);
  }

  "threads.get"(args: ParsedArgs<"threads.get">) {
    return this.threads.get(args.threadId);
  }

  "threads.search"(args: ParsedArgs<"threads.search">) {
    return this.threads.search(args);
  }

  "threads.count"(args: ParsedArgs<"threads.count">) {
    return this.threads.count(args);
  }

  "threads.updateMetadata"(args: ParsedArgs<"threads.updateMetadata">) {
    return this.threads.updateMetadata(args);
  }

  "threads.delete"(args: ParsedArgs<"threads.delete">) {
    return this.threads.delete(args.threadId);
  }

  "threads.copy"(args: ParsedArgs<"threads.copy">) {
    return this.threads.copy(args.threadId, args.newThreadId);
  }

  "threads.fork"(args: ParsedArgs<"threads.fork">) {
    return this.threads.fork(args);
  }

  "threads.export"(args: ParsedArgs<"threads.export">) {
    return this.transfer.export(args.threadId);
  }

  async "threads.importLangGraph"(args: ParsedArgs<"threads.importLangGraph">) {
    const target = this.options.checkpointer;
    if (!(target instanceof SqliteCheckpointer)) throw invalidArgument("importing needs Threadline's SQLite database");
    const { flavour, threads, skipped } = await importLangGraphDatabase(args.file, target, {
      threadIds: args.threadIds,
      onConflict: args.onConflict,
    });
    if (threads.length) {
      this.emit({ type: "threads.changed", threadIds: threads.map((t) => t.threadId), source: "engine", at: new Date().toISOString() });
    }
    return { flavour, threads, skipped };
  }

  "threads.import"(args: ParsedArgs<"threads.import">) {
    return this.transfer.import(args.data, args.newThreadId);
  }

  // -- state, history, diff

  "state.get"(args: ParsedArgs<"state.get">) {
    return this.state.get(args);
  }

  "state.update"(args: ParsedArgs<"state.update">) {
    return this.state.update(args);
  }

  "history.page"(args: ParsedArgs<"history.page">) {
    return this.state.historyPage(args);
  }

  "history.states"(args: ParsedArgs<"history.states">) {
    return this.state.historyStates(args);
  }

  // The Agent Server API's own calls (src/core/agent-api).

  "history.revisions"(args: ParsedArgs<"history.revisions">) {
    return this.agentApi.revisions(args);
  }

  "history.apiStates"(args: ParsedArgs<"history.apiStates">, context?: CallContext) {
    return this.agentApi.apiStates(args, context);
  }

  "history.tree"(args: ParsedArgs<"history.tree">) {
    return this.state.tree(args.threadId);
  }

  "diff.get"(args: ParsedArgs<"diff.get">) {
    return this.state.diff(args);
  }

  // -- runs

  async "runs.start"(args: ParsedArgs<"runs.start">) {
    this.graphSource.get(args.graphId);
    if (args.ifNotExists === "create" && !this.threads.exists(args.threadId)) {
      await this.threads.create({ threadId: args.threadId, metadata: {}, graphId: args.graphId, ifExists: "do_nothing" });
    }
    this.threads.row(args.threadId);
    const run = await this.runs().start(args);
    if (this.threads.graphIdOf(this.threads.row(args.threadId)) !== args.graphId) {
      this.threads.setGraph(args.threadId, args.graphId);
    }
    this.threads.changed(args.threadId);
    return run;
  }

  "runs.get"(args: ParsedArgs<"runs.get">) {
    return this.runs().get(args.runId);
  }

  "runs.requests"(args: ParsedArgs<"runs.requests">) {
    return { requests: runRequests(this.db, args.runIds) };
  }

  "runs.list"(args: ParsedArgs<"runs.list">) {
    this.threads.row(args.threadId);
    return this.runs().list(args.threadId, args);
  }

  "runs.cancel"(args: ParsedArgs<"runs.cancel">) {
    return this.runs().cancel(args.runId, args.action);
  }

  "runs.join"(args: ParsedArgs<"runs.join">) {
    return this.runs().join(args.runId);
  }

  "runs.console"(args: ParsedArgs<"runs.console">) {
    return this.runs().console(args.runId);
  }

  // -- store

  private store(): StoreService {
    if (!this.options.store) throw new ThreadlineError("UNAVAILABLE", "This engine has no store");
    return this.options.store;
  }

  "store.info"() {
    return this.store().info();
  }

  "store.get"(args: ParsedArgs<"store.get">) {
    return this.store().get(args);
  }

  "store.put"(args: ParsedArgs<"store.put">) {
    return this.store().put(args);
  }

  "store.delete"(args: ParsedArgs<"store.delete">) {
    return this.store().delete(args);
  }

  "store.search"(args: ParsedArgs<"store.search">) {
    return this.store().search(args);
  }

  "store.listNamespaces"(args: ParsedArgs<"store.listNamespaces">) {
    return this.store().listNamespaces(args);
  }

  // -- breakpoints

  "breakpoints.get"(args: ParsedArgs<"breakpoints.get">): Breakpoints {
    this.graphSource.get(args.graphId);
    return getBreakpoints(this.db, args.graphId);
  }

  "breakpoints.set"(args: ParsedArgs<"breakpoints.set">): Breakpoints {
    this.graphSource.get(args.graphId);
    const nodes = new Set(this.graphSource.drawing(args.graphId).nodes.map((n) => n.id));
    const check = (field: string, selection: NodeSelection) => {
      if (selection === "*") return;
      const unknown = selection.filter((n) => !nodes.has(n));
      if (unknown.length > 0) {
        throw invalidArgument(
          `breakpoints.set: ${field}: graph "${args.graphId}" has no node ${unknown.map((n) => `"${n}"`).join(", ")}`,
        );
      }
    };
    check("before", args.before);
    check("after", args.after);
    const breakpoints = { graphId: args.graphId, before: args.before, after: args.after };
    setBreakpoints(this.db, breakpoints);
    return breakpoints;
  }
}
