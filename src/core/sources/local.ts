// Today's engine as a source: Threadline's own SQLite store, the graphs of the open project and
// the run manager. Everything is available here; a thread another app wrote into the same file
// shows up live (PRAGMA data_version).

import type Database from "better-sqlite3";
import type { ParsedArgs } from "../../shared/contract";
import { invalidArgument, ThreadlineError } from "../../shared/errors";
import type { EngineEvent, EventListener, Unsubscribe } from "../../shared/events";
import type { Breakpoints, NodeSelection } from "../../shared/types";
import { available, unavailable, type SourceInfo } from "../../shared/sources";
import { AgentApiAssistants } from "../agent-api/assistants";
import { apiGraph, apiSubgraphs } from "../agent-api/graph";
import { AgentApiHistory } from "../agent-api/history";
import { runRequests } from "../agent-api/run-requests";
import { warmUpHistory, type WarmUpRuntime } from "../agent-api/warm-up";
import { importLangGraphDatabase } from "../importers";
import type { RunManager } from "../threads/context";
import { SqliteCheckpointer } from "../storage/checkpointer";
import { getBreakpoints, setBreakpoints } from "../storage/runs-table";
import { Checkpoints, type CheckpointStore } from "../threads/checkpoint-store";
import type { EngineContext, GraphSource } from "../threads/context";
import { StateService } from "../threads/state";
import { ThreadService } from "../threads/threads";
import { TransferService } from "../threads/transfer";
import { DataVersionWatcher } from "../threads/watch";
import type { Source, SourcePart } from "./source";

export interface LocalSourceOptions {
  checkpointer: CheckpointStore;
  /** Threadline's tables; the checkpointer's own database when omitted. */
  db?: Database.Database;
  graphs: GraphSource;
  runs?: RunManager;
  /** Builds a fresh registry (graphs.reload); without it, reload lists the graphs already loaded. */
  reloadGraphs?: () => Promise<GraphSource>;
  /** LangGraph's store, shared by every graph (store/project-store.ts); the store capability without it is off. */
  store?: SourcePart<"memory">;
  /** Poll `PRAGMA data_version` for other writers; on unless false (checkExternalChanges still works). */
  watch?: boolean | { intervalMs: number };
  /** What the history warm-up reads its synthetic pages with: the project's LangGraph and serializer. */
  warmUp?: WarmUpRuntime;
  now: () => string;
}

export class LocalSource implements Source {
  readonly db: Database.Database;
  readonly threads: ThreadService;
  private readonly state: StateService;
  private readonly agentApiHistory: AgentApiHistory;
  private readonly assistants: AgentApiAssistants;
  private readonly transfer: TransferService;
  private readonly listeners = new Set<EventListener>();
  private readonly watcher: DataVersionWatcher;
  private graphSource: GraphSource;
  private runManager: RunManager | undefined;

  constructor(private readonly options: LocalSourceOptions) {
    const db = options.db ?? options.checkpointer.db;
    if (!db) throw new ThreadlineError("INTERNAL", "the local source needs a database: pass db or a SqliteCheckpointer");
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
      now: options.now,
    };
    this.threads = new ThreadService(ctx);
    this.state = new StateService(ctx, this.threads);
    this.agentApiHistory = new AgentApiHistory(ctx, this.threads, this.state);
    this.assistants = new AgentApiAssistants(ctx, this.threads);
    this.transfer = new TransferService(ctx, this.threads);
    const interval = typeof options.watch === "object" ? options.watch.intervalMs : undefined;
    this.watcher = new DataVersionWatcher(db, (event) => this.emit(event), interval);
    if (options.watch !== false) this.watcher.start();
  }

  info(): SourceInfo {
    const noRuns = unavailable("this engine has no run manager");
    return {
      kind: "local",
      label: this.db.name,
      capabilities: {
        graphs: available,
        edits: available,
        imports: available,
        runs: this.runManager ? available : noRuns,
        console: this.runManager ? available : noRuns,
        timings: this.runManager ? available : noRuns,
        live: available,
        memory: this.options.store ? available : unavailable("this engine has no store"),
      },
    };
  }

  /** The run manager is built after the source (it needs `emit`); the engine wires it here. */
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

  private runManagerOrFail(): RunManager {
    if (!this.runManager) throw new ThreadlineError("UNAVAILABLE", "Runs are not available in this engine");
    return this.runManager;
  }

  readonly reads: SourcePart<"reads"> = {
    "threads.get": async (args) => this.threads.get(args.threadId),
    "threads.search": async (args) => this.threads.search(args),
    "threads.count": async (args) => this.threads.count(args),
    "threads.export": async (args) => this.transfer.export(args.threadId),
    "state.get": async (args) => this.state.get(args),
    "history.page": async (args) => this.state.historyPage(args),
    "history.states": async (args) => this.state.historyStates(args),
    "history.tree": async (args) => this.state.tree(args.threadId),
  };

  readonly agentApi: SourcePart<"agentApi"> = {
    "history.revisions": async (args) => this.agentApiHistory.revisions(args),
    "history.apiStates": async (args, context) => this.agentApiHistory.apiStates(args, context),
    "history.warmUp": async (_args, context) => warmUpHistory(this.options.warmUp, context),
    "runs.requests": async (args) => ({ requests: runRequests(this.db, args.runIds, args.keys) }),
    "graphs.apiGraph": async (args) => apiGraph(this.graphSource.get(args.graphId).graph, args),
    "graphs.apiSubgraphs": async (args) => apiSubgraphs(this.graphSource.get(args.graphId).graph, args),
    "assistants.put": async (args) => this.assistants.put(args),
    "assistants.get": async (args) => this.assistants.get(args),
    "assistants.patch": async (args) => this.assistants.patch(args),
    "assistants.delete": async (args) => this.assistants.delete(args),
    "assistants.setLatest": async (args) => this.assistants.setLatest(args),
    "assistants.versions": async (args) => this.assistants.versions(args),
    "assistants.search": async (args) => this.assistants.search(args),
    "assistants.count": async (args) => this.assistants.count(args),
  };

  readonly edits: SourcePart<"edits"> = {
    "threads.create": async (args) => this.threads.create(args),
    "threads.updateMetadata": async (args) => this.threads.updateMetadata(args),
    "threads.delete": async (args) => this.threads.delete(args.threadId),
    "threads.copy": async (args) => this.threads.copy(args.threadId, args.newThreadId),
    "threads.fork": async (args) => this.threads.fork(args),
    "state.update": async (args) => this.state.update(args),
  };

  readonly imports: SourcePart<"imports"> = {
    "threads.import": async (args) => this.transfer.import(args.data, args.newThreadId),
    "threads.importLangGraph": async (args) => this.importLangGraph(args),
  };

  readonly graphs: SourcePart<"graphs"> = {
    "graphs.list": async () => this.listGraphs(),
    "graphs.get": async (args) => {
      const { info } = this.graphSource.get(args.graphId);
      return {
        graph: info,
        drawing: this.graphSource.drawing(args.graphId),
        schemas: this.graphSource.schemas(args.graphId),
        reducers: this.graphSource.reducerKinds(args.graphId),
      };
    },
    "graphs.reload": async () => {
      if (this.options.reloadGraphs) this.graphSource = await this.options.reloadGraphs();
      return this.listGraphs();
    },
    "breakpoints.get": async (args) => {
      this.graphSource.get(args.graphId);
      return getBreakpoints(this.db, args.graphId);
    },
    "breakpoints.set": async (args) => this.setBreakpoints(args),
  };

  readonly runs: SourcePart<"runs"> = {
    "runs.start": async (args) => this.startRun(args),
    "runs.get": async (args) => this.runManagerOrFail().get(args.runId),
    "runs.list": async (args) => {
      this.threads.row(args.threadId);
      return this.runManagerOrFail().list(args.threadId, args);
    },
    "runs.cancel": async (args) => this.runManagerOrFail().cancel(args.runId, args.action),
    "runs.join": async (args) => this.runManagerOrFail().join(args.runId),
  };

  readonly console: SourcePart<"console"> = {
    "runs.console": async (args) => this.runManagerOrFail().console(args.runId),
  };

  /** LangGraph's store (capability "memory"). */
  get memory(): SourcePart<"memory"> | undefined {
    return this.options.store;
  }

  private listGraphs() {
    const missingEnv = this.graphSource.missingEnv ?? null;
    return { graphs: this.graphSource.list(), failures: this.graphSource.failures(), ...(missingEnv ? { missingEnv } : {}) };
  }

  private async importLangGraph(args: ParsedArgs<"threads.importLangGraph">) {
    const target = this.options.checkpointer;
    if (!(target instanceof SqliteCheckpointer)) throw invalidArgument("importing needs Threadline's SQLite database");
    // Each thread shows up in lists as it is stored: a long import shows its progress.
    const { flavour, threads, skipped } = await importLangGraphDatabase(args.file, target, {
      threadIds: args.threadIds,
      onConflict: args.onConflict,
      onThread: (t) => this.emit({ type: "threads.changed", threadIds: [t.threadId], source: "engine", at: new Date().toISOString() }),
    });
    return { flavour, threads, skipped };
  }

  private async startRun(args: ParsedArgs<"runs.start">) {
    this.graphSource.get(args.graphId);
    if (args.ifNotExists === "create" && !this.threads.exists(args.threadId)) {
      await this.threads.create({ threadId: args.threadId, metadata: {}, graphId: args.graphId, ifExists: "do_nothing" });
    }
    this.threads.row(args.threadId);
    const run = await this.runManagerOrFail().start(args);
    if (this.threads.graphIdOf(this.threads.row(args.threadId)) !== args.graphId) {
      this.threads.setGraph(args.threadId, args.graphId);
    }
    this.threads.changed(args.threadId);
    return run;
  }

  private setBreakpoints(args: ParsedArgs<"breakpoints.set">): Breakpoints {
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
