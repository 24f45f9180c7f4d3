// Owns one engine worker (one open project + database) for the Electron main
// process or the serve process: starts it, forwards calls and events, and
// restarts it when the project changes, when a run ignores cancellation (a
// node stuck in synchronous code blocks the whole worker) and when the worker
// dies. Runs in flight at a restart end with an error status.

import { randomUUID } from "node:crypto";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { callFacts, isCallName, parseArgs, type CallArgs, type CallFacts, type CallName, type CallResult } from "../../shared/contract";
import { ThreadlineError, type WireError } from "../../shared/errors";
import { isRunEvent, type EngineEvent, type EventListener, type Unsubscribe } from "../../shared/events";
import type { RunInfo } from "../../shared/types";
import { ownerId } from "../runs/runs-store";
import { watchProject } from "./project-watcher";
import { StallWatch } from "./stall-watch";
import type { CallOutcome, HostMessage, WorkerInit, WorkerMessage } from "./protocol";

export interface EngineHostOptions {
  dbFile: string;
  /** A folder with a langgraph.json; null for the built-in examples only. */
  projectDir?: string | null;
  /** List the built-in examples although a project is open (`--examples`). */
  examples?: boolean;
  /** Restart the worker when a file under projectDir changes (default: on when there is a project). */
  watch?: boolean;
  watchDebounceMs?: number;
  /** How long a cancelled run may take to stop before its worker is restarted. */
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
  /** Give up restarting after this many unexpected exits within a minute. */
  maxCrashesPerMinute?: number;
  /** How long the worker may leave pings unanswered before it counts as stalled (stall-watch.ts). */
  stallMs?: number;
}

type RestartFacts = NonNullable<CallFacts["restartsEngine"]>;

interface PendingCall {
  name: string;
  args: unknown;
  resolve(outcome: CallOutcome): void;
  /** Takes parts of the result ahead of it (see CallContext); such a call is never retried. */
  partial?: (value: unknown) => void;
  timer?: NodeJS.Timeout;
}

interface WorkerState {
  worker: Worker;
  owner: string;
  ready: Promise<void>;
  /** The engine failed to start (bad database, engine module failed): restarting would fail the same way. */
  fatal: WireError | null;
  /** Set once we stop it ourselves, so its exit is not taken for a crash. */
  stopping: boolean;
  /** Set when the thread has ended: nothing posted to it would ever be answered. */
  exited: boolean;
  exitCode: number | null;
  /** What the worker threw at its top level before it ended, for the restart reason. */
  lastError: string | null;
  /** Pings it once ready; tells a worker held by synchronous code. */
  stall: StallWatch | null;
}

interface InFlightRun {
  threadId: string;
  lastSeq: number;
  /** The node it runs now, as its events tell. */
  node: string | null;
}

function defaultEntry(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? "./dev-entry.mjs" : "./worker-entry.js", import.meta.url);
}

export class EngineHost {
  private current: WorkerState | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall & { owner: string }>();
  private readonly listeners = new Set<EventListener>();
  private readonly inFlight = new Map<string, InFlightRun>();
  private readonly crashes: number[] = [];
  private stopWatching: (() => void) | null = null;
  private restarting: Promise<void> | null = null;
  private closed = false;
  private gaveUp: WireError | null = null;
  private projectDir: string | null;

  private constructor(private readonly options: EngineHostOptions) {
    this.projectDir = options.projectDir ?? null;
  }

  /** Starts the worker and waits until its engine is ready (or failed to start: see `call`). */
  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const host = new EngineHost(options);
    host.current = host.spawn([], null);
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
  async callRaw(name: string, args: unknown, partial?: (value: unknown) => void): Promise<CallOutcome> {
    if (this.closed) return { ok: false, error: { code: "UNAVAILABLE", message: "the engine is closed" } };
    while (this.restarting) await this.restarting;
    const restarts = isCallName(name) ? callFacts(name).restartsEngine : undefined;
    if (restarts) return this.restartFor(name as CallName, args, restarts);
    const state = this.current;
    if (!state) return { ok: false, error: { code: "UNAVAILABLE", message: "the engine is not running" } };
    return this.send(state, name, args, partial);
  }

  /** The user asked for a fresh start: earlier crashes no longer count against it. */
  private forgetCrashes(): void {
    this.crashes.length = 0;
    this.gaveUp = null;
  }

  /**
   * A call the contract marks as answered by a fresh worker: the modules of the old one cannot be
   * unloaded, so another project (`opensProject`) or reloaded graphs need a new worker.
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

  private async send(state: WorkerState, name: string, args: unknown, partial?: (value: unknown) => void): Promise<CallOutcome> {
    await state.ready;
    if (this.gaveUp) return { ok: false, error: this.gaveUp };
    if (state.fatal) return { ok: false, error: state.fatal };
    if (state !== this.current) return this.callRaw(name, args, partial);
    if (state.exited) {
      return { ok: false, error: { code: "UNAVAILABLE", message: "the engine's worker stopped; it is being restarted, try again" } };
    }
    const stopsRun = isCallName(name) && callFacts(name).stopsRun === true;
    const stalled = state.stall?.stalledMs() ?? 0;
    if (stalled > 0 && !stopsRun) return { ok: false, error: { code: "UNAVAILABLE", message: this.stallMessage(stalled) } };
    return new Promise<CallOutcome>((resolve) => {
      const id = this.nextId++;
      const call: PendingCall & { owner: string } = { name, args, resolve, owner: state.owner, ...(partial ? { partial } : {}) };
      this.pending.set(id, call);
      if (stopsRun) this.armCancelGrace(call, args);
      state.worker.postMessage({ type: "call", id, name, args, ...(partial ? { partial: true } : {}) } satisfies HostMessage);
    });
  }

  /** A contract call that rejects with a ThreadlineError: what the transports' `Invoke` needs. */
  async invoke(name: CallName, args: unknown): Promise<unknown> {
    const outcome = await this.callRaw(name, args);
    if (!outcome.ok) throw ThreadlineError.fromWire(outcome.error);
    return outcome.result;
  }

  /** `invoke`, with parts of the result delivered to `partial` ahead of it (see CallContext). */
  async stream(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown> {
    const outcome = await this.callRaw(name, args, partial);
    if (!outcome.ok) throw ThreadlineError.fromWire(outcome.error);
    return outcome.result;
  }

  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    return this.invoke(name, args) as Promise<CallResult<N>>;
  }

  onEvent(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The runs the worker is executing or queueing, as seen from its events. */
  inFlightRunIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Stops the worker (whatever it is doing) and starts a fresh one. */
  restart(reason: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.restarting) return this.restarting;
    this.restarting = this.doRestart(reason).finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  /** Cancels running runs, closes the database and ends the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching?.();
    const state = this.current;
    this.current = null;
    if (!state) return;
    state.stopping = true;
    const closed = new Promise<void>((resolve) => {
      const onMessage = (m: WorkerMessage) => m.type === "closed" && resolve();
      state.worker.on("message", onMessage);
      state.worker.once("exit", () => resolve());
      setTimeout(resolve, this.options.cancelGraceMs ?? 5000).unref();
    });
    state.worker.postMessage({ type: "close" } satisfies HostMessage);
    await closed;
    await state.worker.terminate();
    this.failPending(state.owner, "the engine was closed");
  }

  // ---------------------------------------------------------------------------

  private spawn(deadOwners: string[], restartReason: string | null): WorkerState {
    const owner = ownerId(process.pid, randomUUID());
    const init: WorkerInit = {
      dbFile: this.options.dbFile,
      projectDir: this.projectDir,
      examples: this.options.examples === true,
      owner,
      deadOwners,
      restartReason,
      engineModule: this.options.engineModule ? String(this.options.engineModule) : null,
    };
    const worker = new Worker(this.options.workerEntry ?? defaultEntry(), {
      workerData: init,
      ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
      // The user's code may print a lot; it reaches our stdout only outside runs (see console-capture.ts).
      stdout: false,
      stderr: false,
    });
    let markReady!: () => void;
    const state: WorkerState = {
      worker,
      owner,
      ready: new Promise<void>((resolve) => (markReady = resolve)),
      fatal: null,
      stopping: false,
      exited: false,
      exitCode: null,
      lastError: null,
      stall: null,
    };
    worker.on("message", (message: WorkerMessage) => this.onMessage(state, message, markReady));
    worker.on("error", (error) => {
      // Thrown at the worker's top level: it is about to exit, and its exit restarts it.
      state.lastError = error.message;
    });
    worker.on("exit", (code) => {
      state.stall?.stop();
      state.exited = true;
      state.exitCode = code;
      markReady();
      if (state.stopping || this.closed || state !== this.current) return;
      void this.onUnexpectedExit(state, code);
    });
    return state;
  }

  private onMessage(state: WorkerState, message: WorkerMessage, markReady: () => void): void {
    state.stall?.answered();
    switch (message.type) {
      case "ready":
        // Watched from here on: loading the project may hold the thread legitimately.
        state.stall = new StallWatch(() => !state.exited && state.worker.postMessage({ type: "ping" } satisfies HostMessage), this.options.stallMs);
        markReady();
        return;
      case "pong":
        return;
      case "fatal":
        state.fatal = message.error;
        markReady();
        return;
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
      case "event":
        if (state === this.current) this.onEngineEvent(message.event);
        return;
      case "closed":
        return;
    }
  }

  private onEngineEvent(event: EngineEvent): void {
    if (isRunEvent(event)) {
      if (event.type === "run.finished") this.inFlight.delete(event.runId);
      else {
        let run = this.inFlight.get(event.runId);
        if (!run) this.inFlight.set(event.runId, (run = { threadId: event.threadId, lastSeq: event.seq, node: null }));
        run.lastSeq = Math.max(run.lastSeq, event.seq);
        if (event.type === "node.started") run.node = event.node;
        else if (event.type === "node.finished" && run.node === event.node) run.node = null;
      }
    }
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

  /** Why calls are refused while the worker is held: which run and node, if its events said. */
  private stallMessage(stalledMs: number): string {
    const runs = [...this.inFlight].map(([runId, run]) => `run ${runId} on thread ${run.threadId}${run.node ? ` (node "${run.node}")` : ""}`);
    const what = runs.length ? runs.join(", ") : "the engine";
    return `the engine has not answered for ${Math.round(stalledMs / 1000)} s: synchronous code in ${what} holds it; cancel that run to stop it, or try again later`;
  }

  /**
   * A worker blocked in synchronous user code cannot even answer a cancel: restart it as soon as it
   * is seen stalled, and at the latest after the grace period.
   */
  private armCancelGrace(call: PendingCall, args: unknown): void {
    const runId = (args as { runId?: unknown } | null)?.runId;
    const started = Date.now();
    const state = this.current;
    call.timer = setInterval(() => {
      const stalled = (state?.stall?.stalledMs() ?? 0) > 0;
      if (!stalled && Date.now() - started < this.graceMs()) return;
      clearInterval(call.timer);
      void this.restart(`run ${typeof runId === "string" ? runId : "?"} did not stop ${stalled ? "(synchronous code held the engine)" : `within ${this.graceMs()} ms`} after being cancelled`);
    }, 100);
  }

  private graceMs(): number {
    return this.options.cancelGraceMs ?? 5000;
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

  private async onUnexpectedExit(state: WorkerState, code: number): Promise<void> {
    if (state.fatal) {
      this.failPending(state.owner, state.fatal.message);
      return;
    }
    if (this.tooManyCrashes(code)) {
      this.failPending(state.owner, this.gaveUp!.message);
      return;
    }
    const why = state.lastError ? `: ${state.lastError}` : "";
    await this.restart(`the engine's worker exited with code ${code}${why}`);
  }

  private async doRestart(reason: string): Promise<void> {
    const old = this.current;
    const deadOwners = old ? [old.owner] : [];
    if (old) {
      old.stopping = true;
      await old.worker.terminate();
    }
    if (this.closed) return;
    const runs = new Map(this.inFlight);
    this.inFlight.clear();
    let next = this.spawn(deadOwners, reason);
    this.current = next;
    await next.ready;
    // A worker that dies while starting (a project module calling process.exit at import, say) gets no
    // restart of its own, since this restart is the one in progress: start another here, up to the limit.
    while (next.exited && !next.fatal && !this.closed && !this.tooManyCrashes(next.exitCode)) {
      next = this.spawn([...deadOwners, next.owner], `${reason}; its replacement exited while starting`);
      this.current = next;
      await next.ready;
    }

    // Calls the old worker never answered: reads go to the new one, the rest fail.
    for (const [id, call] of [...this.pending]) {
      if (!old || call.owner !== old.owner) continue;
      this.pending.delete(id);
      if (call.timer) clearTimeout(call.timer);
      if (next.fatal || next.exited || !(isCallName(call.name) && callFacts(call.name).retryAfterRestart) || call.partial) {
        call.resolve({ ok: false, error: { code: "UNAVAILABLE", message: `the engine restarted (${reason}) before answering ${call.name}` } });
      } else {
        const newId = this.nextId++;
        this.pending.set(newId, { ...call, owner: next.owner, timer: undefined });
        next.worker.postMessage({ type: "call", id: newId, name: call.name, args: call.args } satisfies HostMessage);
      }
    }

    this.emit({ type: "worker.restarted", reason, at: new Date().toISOString() });
    // The new worker marked the old one's runs as errored; tell those who followed them.
    for (const [runId, run] of runs) {
      const outcome = await this.send(next, "runs.get", { runId });
      if (!outcome.ok) continue;
      const info = outcome.result as RunInfo;
      this.emit({
        type: "run.finished",
        runId,
        threadId: run.threadId,
        seq: run.lastSeq + 1,
        at: new Date().toISOString(),
        status: info.status,
        error: info.error,
        run: info,
      });
    }
  }

  private failPending(owner: string, message: string): void {
    for (const [id, call] of [...this.pending]) {
      if (call.owner !== owner) continue;
      this.pending.delete(id);
      if (call.timer) clearTimeout(call.timer);
      call.resolve({ ok: false, error: { code: "UNAVAILABLE", message } });
    }
  }
}
