// Owns the engine's workers (one open project + database) for the Electron main process or the
// serve process. The primary worker answers every call but a run's: reads, edits, graphs, the
// store. Runs execute in runner workers (runner-pool.ts), each over its own connection to the same
// database, so a node stuck in synchronous code holds only its runner: reads keep answering with
// data, other threads' runs keep going, and a cancel stops that runner alone (the primary then
// marks its runs as errored). All workers restart when the project changes (loaded ES modules
// cannot be unloaded); the primary restarts when it dies. Runs in flight at a restart end with an
// error status.

import { existsSync } from "node:fs";
import path from "node:path";
import { callFacts, isCallName, parseArgs, type CallArgs, type CallFacts, type CallName, type CallResult } from "../../shared/contract";
import { ThreadlineError, type WireError } from "../../shared/errors";
import { isRunEvent, type EngineEvent, type EventListener, type Unsubscribe } from "../../shared/events";
import { LOCAL_SOURCE_ID } from "../../shared/opened-sources";
import type { RunInfo } from "../../shared/types";
import { watchProject } from "./project-watcher";
import { RunnerPool, type TrackedRun } from "./runner-pool";
import { spawnWorker, stalledMs, stopWorker, type WorkerHandle, type WorkerRole } from "./worker-handle";
import type { CallOutcome, HostMessage, WorkerMessage } from "./protocol";
import { ValuesDeltaDecoder } from "./values-delta";
import { IdleCollector } from "./idle-collector";
import { bundledWorkerEntry } from "./source-bundle";

export interface EngineHostOptions {
  dbFile: string;
  /** A folder with a langgraph.json; null for the built-in examples only. */
  projectDir?: string | null;
  /** List the built-in examples although a project is open (`--examples`). */
  examples?: boolean;
  /** Restart the workers when a file under projectDir changes (default: on when there is a project). */
  watch?: boolean;
  watchDebounceMs?: number;
  /** How long a cancelled run may take to stop before its runner worker is stopped. */
  cancelGraceMs?: number;
  /** Module exporting `createEngine` (tests); the default engine otherwise. */
  engineModule?: URL | string;
  /**
   * The worker's entry file. By default, when running from source, dev-entry.mjs (which registers
   * tsx and imports worker-entry.ts); otherwise worker-entry.js next to the bundle, which the build
   * must emit as a separate entry.
   */
  workerEntry?: URL;
  execArgv?: string[];
  /** Give up restarting after this many unexpected exits of the primary worker within a minute. */
  maxCrashesPerMinute?: number;
  /** How long a worker may leave pings unanswered before it counts as stalled (stall-watch.ts). */
  stallMs?: number;
  /** How many runner workers run threads side by side (more threads share them); default 4. */
  maxRunners?: number;
  /** How long the runner kept warm for the next run may stay idle before it is stopped (runner-pool.ts). */
  runnerIdleStopMs?: number;
}

type RestartFacts = NonNullable<CallFacts["restartsEngine"]>;

interface PendingCall {
  name: string;
  args: unknown;
  handle: WorkerHandle;
  resolve(outcome: CallOutcome): void;
  /** Takes parts of the result ahead of it (see CallContext); such a call is never retried. */
  partial?: (value: unknown) => void;
  /** Answered from Threadline's own store, whichever source is active (see CallContext). */
  local?: boolean;
  timer?: NodeJS.Timeout;
}

/** How a call is made (see CallContext). */
export interface CallOptions {
  partial?: (value: unknown) => void;
  local?: boolean;
}

/** A pending call's options for sending it again: the same source, never its partial results. */
const scopeOf = (call: PendingCall): CallOptions => (call.local ? { local: true } : {});

const unavailable = (message: string): CallOutcome => ({ ok: false, error: { code: "UNAVAILABLE", message } });
const retryable = (call: PendingCall) => !call.partial && isCallName(call.name) && callFacts(call.name).retryAfterRestart === true;

const DEV_ENTRY = new URL("./dev-entry.mjs", import.meta.url);

/**
 * The built app's worker-entry.js; from source, a bundle of worker-entry.ts (source-bundle.ts), or
 * tsx (dev-entry.mjs) for an engine module in TypeScript, which imports the sources itself.
 */
async function defaultEntry(engineModule: EngineHostOptions["engineModule"]): Promise<URL> {
  if (!import.meta.url.endsWith(".ts")) return new URL("./worker-entry.js", import.meta.url);
  return (engineModule === undefined && (await bundledWorkerEntry())) || DEV_ENTRY;
}

/** A string field of a call's (not yet validated) argument. */
function field(args: unknown, key: "runId" | "threadId"): string | undefined {
  const value = typeof args === "object" && args !== null ? (args as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

export class EngineHost {
  /** The primary worker. */
  private current: WorkerHandle | null = null;
  private readonly pool: RunnerPool;
  private readonly dropped = new WeakSet<WorkerHandle>();
  private readonly deltas = new WeakMap<WorkerHandle, ValuesDeltaDecoder>();
  /** This thread holds what the transports keep of runs' events: collected once quiet, as the workers are. */
  private readonly collector = new IdleCollector();
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Set<EventListener>();
  private readonly crashes: number[] = [];
  private stopWatching: (() => void) | null = null;
  private restarting: Promise<void> | null = null;
  private closed = false;
  private gaveUp: WireError | null = null;
  private projectDir: string | null;
  /** Whether the primary serves Threadline's own store (runs go to runners) or a store opened in place. */
  private localActive = true;

  private constructor(
    private readonly options: EngineHostOptions,
    private readonly entry: URL,
  ) {
    this.projectDir = options.projectDir ?? null;
    this.pool = new RunnerPool(options.maxRunners ?? 4, () => this.spawn("runner", [], null), options.runnerIdleStopMs);
  }

  /** Starts the primary worker and waits until its engine is ready (or failed to start: see `call`). */
  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const host = new EngineHost(options, options.workerEntry ?? (await defaultEntry(options.engineModule)));
    host.current = host.spawn("primary", [], null);
    await host.current.ready;
    host.watch();
    return host;
  }

  private watch(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    const dir = this.projectDir;
    if (!dir || !(this.options.watch ?? true)) return;
    // A changed file is a fresh start: crashes of the code it replaces no longer count against it.
    const onChange = (file: string) => {
      this.forgetCrashes();
      void this.restart(`${path.relative(dir, file) || file} changed`);
    };
    this.stopWatching = watchProject(dir, onChange, {
      debounceMs: this.options.watchDebounceMs,
      ignoreFiles: [this.options.dbFile],
    });
  }

  /**
   * One contract call; `{ok:false}` carries Threadline's `{code, message}`. With `partial`, a call
   * that can (see CallContext) delivers parts of its result to it before it answers.
   */
  async callRaw(name: string, args: unknown, options: CallOptions = {}): Promise<CallOutcome> {
    if (this.closed) return unavailable("the engine is closed");
    while (this.restarting) await this.restarting;
    const restarts = isCallName(name) ? callFacts(name).restartsEngine : undefined;
    if (restarts) return this.restartFor(name as CallName, args, restarts);
    const primary = this.current;
    if (!primary) return unavailable("the engine is not running");
    const target = this.route(name, args, primary, options.local === true);
    const outcome = await this.send(target, name, args, options);
    if (target.role === "runner" && name === "runs.start") this.pool.started(field(args, "threadId")!);
    if (outcome.ok && name.startsWith("sources.")) this.noteSource(name, outcome.result);
    return outcome;
  }

  /**
   * Which worker answers a call. A run's calls go to the runner executing it while that runner
   * answers; everything else, and what a stalled runner cannot answer, goes to the primary (the
   * run tables are shared, so it answers runs.get/list/join for any run).
   */
  private route(name: string, args: unknown, primary: WorkerHandle, local: boolean): WorkerHandle {
    if (!this.localActive && !local) return primary;
    const answering = (h: WorkerHandle | undefined) => (h && stalledMs(h) === 0 ? h : undefined);
    const runId = field(args, "runId");
    const threadId = field(args, "threadId");
    switch (name) {
      case "runs.start":
        return threadId === undefined ? primary : this.pool.forStart(threadId);
      // Sent even to a stalled runner: the host stops it when the run does not stop (armCancelGrace).
      case "runs.cancel":
        return (runId && this.pool.runnerOf(runId)) || primary;
      case "runs.get":
      case "runs.join":
      case "runs.console":
        return (runId && answering(this.pool.runnerOf(runId))) || primary;
      // threads.delete cancels the thread's runs first, which only their runner can.
      case "runs.list":
      case "threads.delete":
        return (threadId && answering(this.pool.runnerOfThread(threadId))) || primary;
      default:
        return primary;
    }
  }

  /** The UI switched sources: runs go to runners only while Threadline's own store is served. */
  private noteSource(name: string, result: unknown): void {
    const activeId = (result as { activeId?: unknown } | null)?.activeId;
    if (typeof activeId === "string") this.localActive = activeId === LOCAL_SOURCE_ID;
    else if (name === "sources.copyToLocal") this.localActive = true;
  }

  /** The user asked for a fresh start: earlier crashes no longer count against it. */
  private forgetCrashes(): void {
    this.crashes.length = 0;
    this.gaveUp = null;
  }

  /**
   * A call the contract marks as answered by fresh workers: the modules of the old ones cannot be
   * unloaded, so another project (`opensProject`) or reloaded graphs need new workers.
   */
  private async restartFor(name: CallName, args: unknown, restarts: RestartFacts): Promise<CallOutcome> {
    let reason = restarts.reason ?? name;
    if (restarts.opensProject) {
      let dir: string | null;
      try {
        dir = (parseArgs(name, args) as { dir: string | null }).dir;
      } catch (error) {
        return { ok: false, error: ThreadlineError.from(error).toWire() };
      }
      this.projectDir = dir === null ? null : path.resolve(dir);
      this.watch();
      reason = dir === null ? "project closed" : `project ${this.projectDir} opened`;
    }
    this.forgetCrashes();
    await this.restart(reason);
    return this.callRaw(restarts.answer, {});
  }

  private async send(handle: WorkerHandle, name: string, args: unknown, options: CallOptions): Promise<CallOutcome> {
    await handle.ready;
    if (this.gaveUp) return { ok: false, error: this.gaveUp };
    if (handle.role === "runner") {
      if (handle.fatal) {
        void this.dropRunner(handle, handle.fatal.message);
        return { ok: false, error: handle.fatal };
      }
      if (handle.exited && handle.stall === null && !handle.stopping) {
        return unavailable(`the run's worker exited with code ${handle.exitCode} while starting${handle.lastError ? `: ${handle.lastError}` : ""}`);
      }
      // Stopped before it answered anything: the call goes where it would go now.
      if (handle.stopping || handle.exited) return this.callRaw(name, args, options);
    } else {
      if (handle.fatal) return { ok: false, error: handle.fatal };
      if (handle !== this.current) return this.callRaw(name, args, options);
      if (handle.exited) return unavailable("the engine's worker stopped; it is being restarted, try again");
    }
    const stopsRun = isCallName(name) && callFacts(name).stopsRun === true;
    const stalled = stalledMs(handle);
    if (stalled > 0 && !stopsRun) return unavailable(this.stallMessage(handle, stalled));
    return new Promise<CallOutcome>((resolve) => {
      const id = this.nextId++;
      const { partial, local } = options;
      const call: PendingCall = { name, args, resolve, handle, ...(partial ? { partial } : {}), ...(local ? { local } : {}) };
      this.pending.set(id, call);
      if (stopsRun) this.armCancelGrace(call, args, handle);
      handle.worker.postMessage({ type: "call", id, name, args, ...(partial ? { partial: true } : {}), ...(local ? { local } : {}) } satisfies HostMessage);
    });
  }

  /** A contract call that rejects with a ThreadlineError: what the transports' `Invoke` needs. */
  async invoke(name: CallName, args: unknown): Promise<unknown> {
    return this.answer(name, args);
  }

  /** `invoke`, with parts of the result delivered to `partial` ahead of it (see CallContext). */
  async stream(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown> {
    return this.answer(name, args, { partial });
  }

  private async answer(name: CallName, args: unknown, options: CallOptions = {}): Promise<unknown> {
    const outcome = await this.callRaw(name, args, options);
    if (!outcome.ok) throw ThreadlineError.fromWire(outcome.error);
    return outcome.result;
  }

  /**
   * This engine answering from Threadline's own store whichever source the UI has made active (see
   * CallContext): what the Agent Server API serves to every client.
   */
  ownStore(): Pick<EngineHost, "invoke" | "stream" | "onEvent"> {
    return {
      invoke: (name, args) => this.answer(name, args, { local: true }),
      stream: (name, args, partial) => this.answer(name, args, { local: true, partial }),
      onEvent: (listener) => this.onEvent(listener),
    };
  }

  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    return this.invoke(name, args) as Promise<CallResult<N>>;
  }

  onEvent(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The runs the runners are executing or queueing, as seen from their events. */
  inFlightRunIds(): string[] {
    return [...this.pool.runs.keys()];
  }

  /** Stops every worker (whatever it is doing) and starts a fresh primary. */
  restart(reason: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.restarting) return this.restarting;
    this.restarting = this.doRestart(reason).finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  /** Cancels running runs, closes the databases and ends the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching?.();
    this.collector.stop();
    const workers = [...this.pool.clear(), ...(this.current ? [this.current] : [])];
    this.current = null;
    await Promise.all(workers.map((handle) => this.closeWorker(handle)));
  }

  // ---------------------------------------------------------------------------

  private async closeWorker(handle: WorkerHandle): Promise<void> {
    handle.stopping = true;
    this.dropped.add(handle);
    const closed = new Promise<void>((resolve) => {
      handle.worker.on("message", (m: WorkerMessage) => m.type === "closed" && resolve());
      handle.worker.once("exit", () => resolve());
      setTimeout(resolve, this.graceMs()).unref();
    });
    if (!handle.exited) handle.worker.postMessage({ type: "close" } satisfies HostMessage);
    await closed;
    await stopWorker(handle);
    this.settlePending(handle, () => unavailable("the engine was closed"));
  }

  private spawn(role: WorkerRole, deadOwners: string[], restartReason: string | null): WorkerHandle {
    return spawnWorker({
      role,
      // A cached bundle removed meanwhile (source-bundle.ts prunes old ones): tsx still works.
      entry: this.entry.protocol === "file:" && !existsSync(this.entry) ? DEV_ENTRY : this.entry,
      init: {
        dbFile: this.options.dbFile,
        projectDir: this.projectDir,
        examples: this.options.examples === true,
        deadOwners,
        restartReason,
        engineModule: this.options.engineModule ? String(this.options.engineModule) : null,
      },
      ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
      ...(this.options.stallMs !== undefined ? { stallMs: this.options.stallMs } : {}),
      onMessage: (handle, message) => this.onMessage(handle, message),
      onExit: (handle, code) => this.onExit(handle, code),
      onStall: (handle) => this.onStall(handle),
    });
  }

  private onMessage(handle: WorkerHandle, message: WorkerMessage): void {
    if (message.type !== "pong") this.collector.touch();
    switch (message.type) {
      case "partial":
        this.pending.get(message.id)?.partial?.(message.value);
        return;
      case "result": {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (call.timer) clearTimeout(call.timer);
        call.resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
        return;
      }
      case "event": {
        let decoder = this.deltas.get(handle);
        if (!decoder) this.deltas.set(handle, (decoder = new ValuesDeltaDecoder()));
        const event = decoder.decode(message.event, message.valuesDelta);
        if (handle.role === "primary") {
          if (handle === this.current) this.emit(event);
        } else if (!handle.stopping) this.onRunnerEvent(handle, event);
        return;
      }
      default:
        return;
    }
  }

  /**
   * A runner's own runs' events and the threads its runs changed; what else it sees of the database
   * the primary reports too.
   */
  private onRunnerEvent(runner: WorkerHandle, event: EngineEvent): void {
    if (isRunEvent(event)) {
      if (event.type === "run.finished") this.pool.finished(event.runId);
      else {
        const run = this.pool.track(event.runId, event.threadId, runner, event.seq);
        if (event.type === "node.started") run.node = event.node;
        else if (event.type === "node.finished" && run.node === event.node) run.node = null;
      }
    } else if (!(event.type === "threads.changed" && event.source === "engine")) return;
    this.emit(event);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not starve the others.
      }
    }
  }

  private onExit(handle: WorkerHandle, code: number): void {
    if (this.closed) return;
    if (handle.role === "runner") {
      const why = handle.lastError ? `: ${handle.lastError}` : "";
      void this.dropRunner(handle, `the run's worker exited with code ${code}${why}`);
      return;
    }
    if (handle.stopping || handle !== this.current) return;
    void this.onUnexpectedExit(handle, code);
  }

  /**
   * A runner held by synchronous code: the calls waiting on it that the primary can answer as well
   * (a run's info, its console, a join, which the primary answers from the shared run table) go
   * there, so that no client hangs on code that may never end.
   */
  private onStall(handle: WorkerHandle): void {
    if (handle.role !== "runner") return;
    for (const [id, call] of [...this.pending]) {
      if (call.handle !== handle || (isCallName(call.name) && callFacts(call.name).stopsRun)) continue;
      if (retryable(call)) {
        this.pending.delete(id);
        void this.callRaw(call.name, call.args, scopeOf(call)).then(call.resolve);
      } else if (call.name === "runs.start") {
        // A run queued behind the stuck one: refused now, and cancelled should that code ever end and start it.
        call.resolve(unavailable(this.stallMessage(handle, stalledMs(handle))));
        call.resolve = (outcome) => {
          const runId = outcome.ok ? (outcome.result as RunInfo).runId : undefined;
          if (runId) void this.callRaw("runs.cancel", { runId }, scopeOf(call));
        };
      }
    }
  }

  /** Why calls are refused while a worker is held: which runs and nodes, if its events said. */
  private stallMessage(handle: WorkerHandle, stalled: number): string {
    const runs = [...this.pool.runsOf(handle)].map(([runId, run]) => `run ${runId} on thread ${run.threadId}${run.node ? ` (node "${run.node}")` : ""}`);
    const what = runs.length ? runs.join(", ") : "the engine";
    return `the engine has not answered for ${Math.round(stalled / 1000)} s: synchronous code in ${what} holds it; cancel that run to stop it, or try again later`;
  }

  /**
   * A worker blocked in synchronous user code cannot even answer a cancel: stop it as soon as it is
   * seen stalled, and at the latest after the grace period. A runner goes alone; the primary
   * (which runs no user nodes) restarts with everything.
   */
  private armCancelGrace(call: PendingCall, args: unknown, handle: WorkerHandle): void {
    const runId = field(args, "runId") ?? "?";
    const started = Date.now();
    call.timer = setInterval(() => {
      const stalled = stalledMs(handle) > 0;
      if (!stalled && Date.now() - started < this.graceMs()) return;
      clearInterval(call.timer);
      const reason = `run ${runId} did not stop ${stalled ? "(synchronous code held the engine)" : `within ${this.graceMs()} ms`} after being cancelled`;
      if (handle.role === "runner") void this.dropRunner(handle, reason);
      else void this.restart(reason);
    }, 100);
  }

  private graceMs(): number {
    return this.options.cancelGraceMs ?? 5000;
  }

  /**
   * Stops one runner: its runs are marked errored by the primary (with `reason`), the calls it held
   * go to where they would go now, and those who follow its runs are told they finished.
   */
  private async dropRunner(runner: WorkerHandle, reason: string): Promise<void> {
    if (this.dropped.has(runner)) return;
    this.dropped.add(runner);
    const runs = this.pool.remove(runner);
    await stopWorker(runner);
    // Always: besides failing its runs, the primary writes the checkpoints the runner had only
    // journaled (storage/journal.ts), even when none of its runs' events had reached us yet.
    await this.recoverOwners([runner.owner], reason);
    this.settlePending(runner, (call) =>
      retryable(call) ? this.callRaw(call.name, call.args, scopeOf(call)) : unavailable(`the run's worker stopped (${reason}) before answering ${call.name}`),
    );
    await this.reportFinished(runs);
  }

  /** Has the primary fail the active runs of engines that are gone. */
  private recoverOwners(owners: string[], reason: string): Promise<CallOutcome> {
    const primary = this.current;
    if (!primary || primary.exited) return Promise.resolve({ ok: true, result: null });
    return new Promise<CallOutcome>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { name: "recover", args: null, handle: primary, resolve });
      primary.worker.postMessage({ type: "recover", id, owners, reason } satisfies HostMessage);
    });
  }

  /** Answers the calls a gone worker held. */
  private settlePending(handle: WorkerHandle, answer: (call: PendingCall) => CallOutcome | Promise<CallOutcome>): void {
    for (const [id, call] of [...this.pending]) {
      if (call.handle !== handle) continue;
      this.pending.delete(id);
      if (call.timer) clearTimeout(call.timer);
      void Promise.resolve(answer(call)).then(call.resolve);
    }
  }

  /** The runs of a gone worker were marked errored: tell those who followed them. */
  private async reportFinished(runs: Map<string, TrackedRun>): Promise<void> {
    const primary = this.current;
    if (!primary) return;
    for (const [runId, run] of runs) {
      // Runners run Threadline's own threads, whichever source the UI shows.
      const outcome = await this.send(primary, "runs.get", { runId }, { local: true });
      if (!outcome.ok) continue;
      const info = outcome.result as RunInfo;
      this.emit({ type: "run.finished", runId, threadId: run.threadId, seq: run.lastSeq + 1, at: new Date().toISOString(), status: info.status, error: info.error, run: info });
    }
  }

  /** Counts a crash; true (and every call answered with why) once there were too many to keep restarting. */
  private tooManyCrashes(code: number | null): boolean {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0]! < now - 60_000) this.crashes.shift();
    if (this.crashes.length <= (this.options.maxCrashesPerMinute ?? 5)) return false;
    this.gaveUp = {
      code: "UNAVAILABLE",
      message: `the engine's worker stopped ${this.crashes.length} times within a minute (last exit code ${code}); reopen the project to try again`,
    };
    return true;
  }

  private async onUnexpectedExit(handle: WorkerHandle, code: number): Promise<void> {
    if (handle.fatal) {
      this.settlePending(handle, () => unavailable(handle.fatal!.message));
      return;
    }
    if (this.tooManyCrashes(code)) {
      this.settlePending(handle, () => ({ ok: false, error: this.gaveUp! }));
      return;
    }
    const why = handle.lastError ? `: ${handle.lastError}` : "";
    await this.restart(`the engine's worker exited with code ${code}${why}`);
  }

  private async doRestart(reason: string): Promise<void> {
    const old = this.current;
    const runs = new Map(this.pool.runs);
    const runners = this.pool.clear();
    const gone = [...(old ? [old] : []), ...runners];
    for (const handle of gone) this.dropped.add(handle);
    await Promise.all(gone.map(stopWorker));
    if (this.closed) return;
    this.localActive = true;
    const deadOwners = gone.map((h) => h.owner);
    let next = this.spawn("primary", deadOwners, reason);
    this.current = next;
    await next.ready;
    // A worker that dies while starting (a project module calling process.exit at import, say) gets no
    // restart of its own, since this restart is the one in progress: start another here, up to the limit.
    while (next.exited && !next.fatal && !this.closed && !this.tooManyCrashes(next.exitCode)) {
      next = this.spawn("primary", [...deadOwners, next.owner], `${reason}; its replacement exited while starting`);
      this.current = next;
      await next.ready;
    }

    // Calls the old workers never answered: reads go to the new primary, the rest fail.
    for (const handle of gone) {
      this.settlePending(handle, (call) =>
        next.fatal || next.exited || !retryable(call)
          ? unavailable(`the engine restarted (${reason}) before answering ${call.name}`)
          : this.send(next, call.name, call.args, scopeOf(call)),
      );
    }

    this.emit({ type: "worker.restarted", reason, at: new Date().toISOString() });
    // The new worker marked the old ones' runs as errored; tell those who followed them.
    await this.reportFinished(runs);
  }
}
