// Runs a graph on a thread and turns LangGraph's stream into RunEvents:
// queueing by multitask strategy, cancel and join, breakpoints, Continue and
// Step, replay from a checkpoint, console capture and user errors as data.
// One instance per engine (worker); rows live in tl_runs (runs-table.ts) with
// the owner column of runs-store.ts.

import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { ParsedArgs } from "../../shared/contract";
import { reviveValue, type JsonValue } from "../../shared/encoding";
import { conflict, notFound, ThreadlineError } from "../../shared/errors";
import type { RunEvent } from "../../shared/events";
import type { ConsoleLine, NodeSelection, RunInfo, RunStatus, UserError } from "../../shared/types";
import type { InspectableGraph } from "../graphs/graph-shape";
import { activeRuns, appendConsole, getConsole, getRun, listRuns, newRunInfo, updateRun } from "../storage/runs-table";
import { admitRun, deleteRun, failOrphanedRunsOf, ownerId, runOwner, type RecoveredRun } from "./runs-store";
import { holdLease } from "./run-lease";
import { runScope, type RunScope } from "./run-scope";
import { ChunkMapper, type EventBody } from "./chunk-mapper";
import { asModernChunk, commandFor, streamModesFor, type StreamChunk } from "./line-stream";
import { lineOf } from "../graphs/langgraph-line";
import type { EmitEvent, RunManager } from "../threads/context";
import { checkpointerOf, CONFIG_KEY_CHECKPOINTER } from "../threads/lent-saver";
import { NodeErrorTracker, toUserError } from "./user-error";
import { SqliteCheckpointer } from "../storage/checkpointer";

type Db = Database.Database;
type StartArgs = ParsedArgs<"runs.start">;

/** What the run manager needs from the graph registry. */
export interface RunGraphs {
  /**
   * The compiled graph, with Threadline's checkpointer; throws NOT_FOUND for an unknown id. A graph
   * factory is called with `config`, the run's own config.
   */
  graph(graphId: string, config?: Record<string, unknown>): InspectableGraph | Promise<InspectableGraph>;
  /** Revives an encoded value (input, resume, update) with the graph's own LangChain classes. */
  revive?(graphId: string, value: JsonValue): unknown;
  /** Saved breakpoints, used when a run names none. */
  breakpoints?(graphId: string): { before: NodeSelection; after: NodeSelection } | undefined;
}

export interface LocalRunManagerOptions {
  db: Db;
  graphs: RunGraphs;
  emit: EmitEvent;
  /** This engine's owner id (see runs-store.ts); one per worker start. */
  owner?: string;
  /** How often a run waiting behind another process's run checks the table. */
  pollMs?: number;
  /** The owner lease (run-lease.ts): how long it lasts and how often it is renewed. */
  leaseMs?: number;
  renewMs?: number;
  /** Console lines are written to the table in batches at most this far apart. */
  consoleFlushMs?: number;
  /**
   * A checkpointer to lend a run's graph in place of its own (LangGraph's per-run override,
   * which it lends on to subgraphs), or undefined to keep the graph's: the Agent Server adapter's,
   * which writes the run's config into every checkpoint's metadata as LangGraph's server does.
   */
  lendSaver?: (args: StartArgs, saver: BaseCheckpointSaver) => BaseCheckpointSaver | undefined;
}

const STREAM_MODES = ["updates", "values", "messages", "tasks", "checkpoints", "custom"] as const;
const MAX_CONSOLE_LINES = 10_000;

interface ActiveRun {
  info: RunInfo;
  args: StartArgs;
  controller: AbortController;
  seq: number;
  /** Set when the run was stopped by its own code (async throw, process.exit) or by a restart. */
  failure: UserError | null;
  cancelAction: "interrupt" | "rollback" | null;
  /** The thread's head when the run started: what a rollback restores. */
  startHead: string | null;
  /** The step of the checkpoint the run starts from (the head, or the one replayed). */
  startStep: number | null;
  createdCheckpoints: string[];
  consoleBuffer: ConsoleLine[];
  consoleCount: number;
  flushTimer: NodeJS.Timeout | null;
  ended: boolean;
  done: Promise<RunInfo>;
  resolveDone(info: RunInfo): void;
}

/** A copy that later progress of the run does not change. */
const snapshot = (info: RunInfo): RunInfo => ({ ...info, nodeTimings: [...info.nodeTimings] });
const now = () => new Date().toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LocalRunManager implements RunManager {
  readonly owner: string;
  private readonly db: Db;
  private readonly graphs: RunGraphs;
  private readonly emitEvent: EmitEvent;
  private readonly pollMs: number;
  private readonly consoleFlushMs: number;
  private readonly lendSaver: LocalRunManagerOptions["lendSaver"];
  private readonly runs = new Map<string, ActiveRun>();
  private closed = false;
  private readonly stopLease: () => void;

  constructor(options: LocalRunManagerOptions) {
    this.db = options.db;
    this.graphs = options.graphs;
    this.emitEvent = options.emit;
    this.owner = options.owner ?? ownerId(process.pid, randomUUID());
    this.pollMs = options.pollMs ?? 200;
    this.consoleFlushMs = options.consoleFlushMs ?? 100;
    this.lendSaver = options.lendSaver;
    // Each renewal also recovers runs whose owner's lease ran out since: a crashed engine's runs
    // must not keep their threads busy until the next start.
    this.stopLease = holdLease(this.db, this.owner, {
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.renewMs !== undefined ? { renewMs: options.renewMs } : {}),
      onTick: () => this.recoverExpired(),
    });
  }

  private recoverExpired(): RecoveredRun[] {
    const recovered = this.recover([], "the engine running it stopped answering (its lease expired)");
    if (recovered.length > 0) {
      this.emitEvent({ type: "threads.changed", threadIds: [...new Set(recovered.map((r) => r.threadId))], source: "engine", at: now() });
    }
    return recovered;
  }

  /**
   * Crash recovery, at engine start: runs whose engine is gone are marked as
   * errored. `deadOwners` names the engines known to be gone although their
   * process lives (the worker this one replaces).
   */
  recover(deadOwners: readonly string[] = [], reason = "Threadline stopped while this run was active"): RecoveredRun[] {
    const error: UserError = { node: null, className: "EngineStopped", message: reason, stack: null };
    return failOrphanedRunsOf(this.db, error, { deadOwners });
  }

  async start(args: StartArgs): Promise<RunInfo> {
    if (this.closed) throw new ThreadlineError("UNAVAILABLE", "the engine is shutting down");
    const graph = await this.graphs.graph(args.graphId, this.factoryConfig(args));
    if (args.checkpointId !== undefined) await this.assertCheckpoint(graph, args.threadId, args.checkpointId);
    // Refused before the run is admitted, in words, when the project's release has no Command.
    if (args.command !== undefined) commandFor(graph, {});

    const info = newRunInfo({
      runId: randomUUID(),
      threadId: args.threadId,
      graphId: args.graphId,
      multitaskStrategy: args.multitaskStrategy,
      createdAt: now(),
      checkpointId: args.checkpointId ?? null,
      metadata: args.metadata,
    });
    const strategy = args.multitaskStrategy;
    let admitted = admitRun(this.db, info, args as unknown as JsonValue, this.owner, strategy !== "reject");
    if (!admitted.admitted && this.recoverExpired().length > 0) {
      admitted = admitRun(this.db, info, args as unknown as JsonValue, this.owner, strategy !== "reject");
    }
    if (!admitted.admitted) {
      const ids = admitted.active.map((r) => r.runId).join(", ");
      throw conflict(`thread ${args.threadId} is busy with run ${ids}; start with multitaskStrategy "enqueue", "interrupt" or "rollback" to run anyway`);
    }

    const active = this.track(info, args);
    this.emit(active, { type: "run.created", run: snapshot(info) });
    if (strategy === "interrupt" || strategy === "rollback") {
      // Another process's run cannot be cancelled from here: the new run then waits for it, as if enqueued.
      for (const ahead of admitted.ahead) {
        if (this.runs.has(ahead.runId)) void this.cancel(ahead.runId, strategy === "rollback" ? "rollback" : "interrupt");
      }
    }
    void this.execute(active, graph);
    return snapshot(info);
  }

  get(runId: string): RunInfo {
    const active = this.runs.get(runId);
    if (active) return snapshot(active.info);
    const info = getRun(this.db, runId);
    if (!info) throw notFound(`no run ${runId}`);
    return info;
  }

  list(threadId: string, page: { limit: number; offset: number }): RunInfo[] {
    return listRuns(this.db, threadId, page).map((r) => (this.runs.has(r.runId) ? snapshot(this.runs.get(r.runId)!.info) : r));
  }

  console(runId: string): ConsoleLine[] {
    const active = this.runs.get(runId);
    if (active) this.flushConsole(active);
    else this.get(runId);
    return getConsole(this.db, runId);
  }

  isBusy(threadId: string): boolean {
    return activeRuns(this.db, threadId).length > 0;
  }

  async join(runId: string): Promise<RunInfo> {
    const active = this.runs.get(runId);
    if (active) return active.done;
    // Not ours: it ended, or another process runs it.
    for (;;) {
      const info = this.get(runId);
      if (info.status !== "pending" && info.status !== "running") return info;
      await sleep(this.pollMs);
    }
  }

  async cancel(runId: string, action: "interrupt" | "rollback"): Promise<RunInfo> {
    const active = this.runs.get(runId);
    if (!active) {
      const info = this.get(runId);
      if ((info.status === "pending" || info.status === "running") && this.recoverExpired().some((r) => r.runId === runId)) {
        return this.get(runId);
      }
      if (info.status === "pending" || info.status === "running") {
        throw conflict(`run ${runId} belongs to another process (${runOwner(this.db, runId) ?? "unknown"}); cancel it there`);
      }
      return info;
    }
    active.cancelAction ??= action;
    active.controller.abort(new Error("cancelled"));
    const info = await active.done;
    return info;
  }

  async cancelThread(threadId: string): Promise<void> {
    const mine = [...this.runs.values()].filter((r) => r.info.threadId === threadId);
    await Promise.all(mine.map((r) => this.cancel(r.info.runId, "interrupt")));
  }

  /** Ends a run with an error raised outside the graph's control (see run-scope.ts). */
  failRun(runId: string, error: UserError): void {
    const active = this.runs.get(runId);
    if (!active || active.ended) return;
    active.failure ??= error;
    active.controller.abort(new Error(error.message));
  }

  /** The runs this engine is executing or holding in its queue. */
  activeRunIds(): string[] {
    return [...this.runs.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.runs.keys()].map((id) => this.cancel(id, "interrupt").catch(() => undefined)));
    this.stopLease();
  }

  // -------------------------------------------------------------------------

  private track(info: RunInfo, args: StartArgs): ActiveRun {
    let resolveDone!: (info: RunInfo) => void;
    const done = new Promise<RunInfo>((resolve) => (resolveDone = resolve));
    const active: ActiveRun = {
      info,
      args,
      controller: new AbortController(),
      seq: 0,
      failure: null,
      cancelAction: null,
      startHead: null,
      startStep: null,
      createdCheckpoints: [],
      consoleBuffer: [],
      consoleCount: 0,
      flushTimer: null,
      ended: false,
      done,
      resolveDone,
    };
    this.runs.set(info.runId, active);
    return active;
  }

  private emit(active: ActiveRun, body: EventBody): void {
    const event = { ...body, runId: active.info.runId, threadId: active.info.threadId, seq: ++active.seq, at: now() } as RunEvent;
    try {
      this.emitEvent(event);
    } catch {
      // A listener's failure must not end the run.
    }
  }

  /** The run's config as a graph factory sees it (what `langgraph dev` passes to one). */
  private factoryConfig(args: StartArgs): Record<string, unknown> {
    const revived = this.graphs.revive ? this.graphs.revive(args.graphId, args.config as JsonValue) : reviveValue(args.config as JsonValue);
    const config = (revived ?? {}) as { configurable?: Record<string, unknown> } & Record<string, unknown>;
    return { ...config, configurable: { ...config.configurable, thread_id: args.threadId, graph_id: args.graphId } };
  }

  private async assertCheckpoint(graph: InspectableGraph, threadId: string, checkpointId: string): Promise<void> {
    const saver = checkpointerOf(graph);
    const tuple = await saver?.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: checkpointId } });
    if (!tuple) throw notFound(`no checkpoint ${checkpointId} on thread ${threadId}`);
  }

  /** Waits until every run ahead of this one on its thread (here or in another process) has ended. */
  private async waitForTurn(active: ActiveRun): Promise<void> {
    const cancelled = aborted(active.controller.signal);
    for (;;) {
      if (active.controller.signal.aborted) return;
      const queue = activeRuns(this.db, active.info.threadId);
      const mine = queue.findIndex((r) => r.runId === active.info.runId);
      const ahead = mine < 0 ? [] : queue.slice(0, mine);
      if (ahead.length === 0) return;
      const local = ahead.map((r) => this.runs.get(r.runId)).filter((r): r is ActiveRun => r !== undefined);
      if (local.length > 0) {
        await Promise.race([...local.map((r) => r.done), cancelled]);
      } else {
        await Promise.race([sleep(this.pollMs), cancelled]);
      }
    }
  }

  private async execute(active: ActiveRun, graph: InspectableGraph): Promise<void> {
    const { info } = active;
    let status: RunStatus = "success";
    let error: UserError | null = null;
    const tracker = new NodeErrorTracker();
    const scope: RunScope = {
      runId: info.runId,
      console: (line) => this.onConsole(active, line),
      fail: (e) => this.failRun(info.runId, e),
      storeWrites: (writes) => this.emit(active, { type: "store.write", writes }),
    };
    try {
      await this.waitForTurn(active);
      if (active.controller.signal.aborted) throw new Error("cancelled before it started");

      info.status = "running";
      info.startedAt = now();
      updateRun(this.db, info.runId, { status: "running", startedAt: info.startedAt });
      this.emit(active, { type: "run.started", run: snapshot(info) });

      const head = await checkpointAt(graph, info.threadId);
      active.startHead = head?.id ?? null;
      active.startStep = (info.checkpointId ? await checkpointAt(graph, info.threadId, info.checkpointId) : head)?.step ?? null;
      const sawInterrupt = await runScope.run(scope, () => this.stream(active, graph, tracker));
      status = sawInterrupt ? "interrupted" : "success";
    } catch (thrown) {
      if (active.failure) {
        status = "error";
        error = active.failure;
      } else if (active.controller.signal.aborted) {
        status = "interrupted";
        info.cancelled = true;
      } else {
        status = "error";
        error = toUserError(thrown, tracker.nodeOf(thrown));
      }
    }
    if (active.failure && status !== "error") {
      // The run's code failed after the graph had already returned.
      status = "error";
      error = active.failure;
    }
    await this.finish(active, graph, status, error);
  }

  /** Streams the graph; returns whether it stopped at an interrupt or breakpoint. */
  private async stream(active: ActiveRun, graph: InspectableGraph, tracker: NodeErrorTracker): Promise<boolean> {
    const { info, args } = active;
    const revive = (value: JsonValue) =>
      this.graphs.revive ? this.graphs.revive(info.graphId, value) : reviveValue(value);

    let input: unknown = null;
    if (args.command !== undefined) {
      const c = args.command;
      input = commandFor(graph, {
        ...(c.resume !== undefined ? { resume: revive(c.resume) } : {}),
        ...(c.update !== undefined ? { update: revive(c.update) as Record<string, unknown> } : {}),
        ...(c.goto !== undefined ? { goto: c.goto } : {}),
      });
    } else if (args.input !== undefined) {
      input = revive(args.input);
    }

    const userConfig = (revive(args.config as JsonValue) ?? {}) as Record<string, unknown>;
    const { configurable, recursion_limit, metadata: configMetadata, ...restConfig } = userConfig as {
      configurable?: Record<string, unknown>;
      recursion_limit?: number;
      metadata?: Record<string, unknown>;
    } & Record<string, unknown>;
    const saved = this.graphs.breakpoints?.(info.graphId);
    const interruptBefore = args.interruptBefore ?? saved?.before ?? [];
    const interruptAfter = args.step ? "*" : (args.interruptAfter ?? saved?.after ?? []);

    const saver = checkpointerOf(graph);
    const lent = saver && this.lendSaver?.(args, saver);
    const options = {
      ...restConfig,
      ...(recursion_limit !== undefined ? { recursionLimit: recursion_limit } : {}),
      configurable: {
        ...configurable,
        ...(lent ? { [CONFIG_KEY_CHECKPOINTER]: lent } : {}),
        thread_id: info.threadId,
        ...(args.checkpointId !== undefined ? { checkpoint_id: args.checkpointId } : {}),
      },
      metadata: { ...configMetadata, ...args.metadata, run_id: info.runId, graph_id: info.graphId },
      ...(args.context !== undefined ? { context: revive(args.context as JsonValue) } : {}),
      callbacks: [tracker],
      streamMode: streamModesFor(lineOf(graph), STREAM_MODES),
      subgraphs: true,
      interruptBefore: selection(interruptBefore),
      interruptAfter: selection(interruptAfter),
      signal: active.controller.signal,
    };

    const mapper = new ChunkMapper(
      { startHead: active.startHead, startStep: active.startStep, nodeTimings: info.nodeTimings, createdCheckpoints: active.createdCheckpoints },
      (body) => this.emit(active, body),
    );
    const stream = await graph.stream(input as never, options as never);
    const line = lineOf(graph);
    for await (const raw of stream as AsyncIterable<StreamChunk | [string, unknown]>) {
      const chunk = asModernChunk(line, raw);
      if (chunk) mapper.accept(chunk[0], chunk[1], chunk[2]);
    }
    if (mapper.interrupted || (options.interruptBefore === undefined && options.interruptAfter === undefined)) return mapper.interrupted;
    // The first 0.2 releases stop at a breakpoint without saying so in the stream: the thread then has tasks left.
    return stoppedWithTasksLeft(graph, info.threadId);
  }

  private async finish(active: ActiveRun, graph: InspectableGraph, status: RunStatus, error: UserError | null): Promise<void> {
    const { info } = active;
    active.ended = true;
    this.flushConsole(active);
    info.status = status;
    info.error = error;
    info.finishedAt = now();
    try {
      updateRun(this.db, info.runId, {
        status,
        error,
        finishedAt: info.finishedAt,
        cancelled: info.cancelled,
        nodeTimings: info.nodeTimings,
        ...(info.startedAt ? { startedAt: info.startedAt } : {}),
      });
    } catch {
      // The row is gone (thread deleted meanwhile): the events still tell listeners.
    }
    if (error) this.emit(active, { type: "error", error });
    if (active.cancelAction === "rollback") await this.rollback(active, graph);
    this.runs.delete(info.runId);
    this.emit(active, { type: "run.finished", status, error, run: snapshot(info) });
    this.emitThreadsChanged(info.threadId);
    active.resolveDone(snapshot(info));
  }

  /**
   * LangGraph's rollback deletes the run and what it wrote: the run's row and
   * the checkpoints it created, so that the thread's head is again where the
   * run started. A checkpointer other than ours cannot delete single
   * checkpoints: there the head goes back by a copy of the start checkpoint.
   */
  private async rollback(active: ActiveRun, graph: InspectableGraph): Promise<void> {
    const { info } = active;
    try {
      deleteRun(this.db, info.runId);
      if (active.createdCheckpoints.length === 0) return;
      const saver = checkpointerOf(graph);
      if (active.startHead === null) {
        await saver?.deleteThread(info.threadId);
      } else if (saver instanceof SqliteCheckpointer) {
        saver.deleteCheckpoints(info.threadId, active.createdCheckpoints);
      } else {
        await graph.updateState(
          { configurable: { thread_id: info.threadId, checkpoint_id: active.startHead } },
          null as never,
        );
      }
    } catch (e) {
      console.error(`rollback of run ${info.runId} could not restore the thread's head:`, e);
    }
  }

  private onConsole(active: ActiveRun, line: ConsoleLine): void {
    if (active.ended) return;
    if (active.consoleCount >= MAX_CONSOLE_LINES) return;
    active.consoleCount++;
    if (active.consoleCount === MAX_CONSOLE_LINES) {
      line = { ...line, line: `… console output truncated after ${MAX_CONSOLE_LINES} lines`, stream: "stderr" };
    }
    active.consoleBuffer.push(line);
    this.emit(active, { type: "console", stream: line.stream, line: line.line, node: line.node });
    active.flushTimer ??= setTimeout(() => this.flushConsole(active), this.consoleFlushMs);
  }

  private flushConsole(active: ActiveRun): void {
    if (active.flushTimer) clearTimeout(active.flushTimer);
    active.flushTimer = null;
    if (active.consoleBuffer.length === 0) return;
    const lines = active.consoleBuffer.splice(0);
    try {
      appendConsole(this.db, active.info.runId, lines);
    } catch {
      // The run's row may have been deleted with its thread.
    }
  }

  private emitThreadsChanged(threadId: string): void {
    try {
      this.emitEvent({ type: "threads.changed", threadIds: [threadId], source: "engine", at: now() });
    } catch {
      // as in emit()
    }
  }
}

// ---------------------------------------------------------------------------

function selection(nodes: NodeSelection): "*" | string[] | undefined {
  if (nodes === "*") return "*";
  return nodes.length > 0 ? nodes : undefined;
}


/** The head checkpoint of a thread's root graph, or the given one. */
async function stoppedWithTasksLeft(graph: InspectableGraph, threadId: string): Promise<boolean> {
  const state = (await graph.getState({ configurable: { thread_id: threadId } })) as { next?: readonly string[] };
  return (state.next?.length ?? 0) > 0;
}

async function checkpointAt(graph: InspectableGraph, threadId: string, checkpointId?: string): Promise<{ id: string; step: number | null } | null> {
  const configurable = { thread_id: threadId, checkpoint_ns: "", ...(checkpointId ? { checkpoint_id: checkpointId } : {}) };
  const tuple = await checkpointerOf(graph)?.getTuple({ configurable });
  const id = tuple?.config.configurable?.checkpoint_id as string | undefined;
  if (!tuple || !id) return null;
  const step = tuple.metadata?.step;
  return { id, step: typeof step === "number" ? step : null };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
