// One engine worker as EngineHost sees it: the thread, its owner id, whether it started, whether we
// stop it, and the stall watch that tells a worker held by synchronous code. The host has one
// primary worker (every call but a run's) and runner workers that execute runs (runner-pool.ts).

import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { WireError } from "../../shared/errors";
import { ownerId } from "../runs/runs-store";
import { activityClock } from "./process-activity";
import { StallWatch } from "./stall-watch";
import type { HostMessage, WorkerInit, WorkerMessage } from "./protocol";

export type WorkerRole = "primary" | "runner";

export interface WorkerHandle {
  readonly role: WorkerRole;
  readonly worker: Worker;
  readonly owner: string;
  readonly ready: Promise<void>;
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
  /** Set once the host acted on its stall (calls it held were sent elsewhere). */
  stallHandled: boolean;
}

export interface SpawnOptions {
  role: WorkerRole;
  entry: URL;
  init: Omit<WorkerInit, "owner">;
  execArgv?: string[];
  stallMs?: number;
  onMessage(handle: WorkerHandle, message: WorkerMessage): void;
  onExit(handle: WorkerHandle, code: number): void;
  /** Called from the ping timer while the worker is seen stalled (once per stall). */
  onStall(handle: WorkerHandle): void;
}

export function spawnWorker(options: SpawnOptions): WorkerHandle {
  const owner = ownerId(process.pid, randomUUID());
  const worker = new Worker(options.entry, {
    workerData: { ...options.init, owner, activity: activityClock() } satisfies WorkerInit,
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    // V8's young generation stays committed at its largest (up to 48 MB per isolate by default),
    // and the host runs two workers or more: a smaller one costs a few more scavenges in a run.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
    // The user's code may print a lot; it reaches our stdout only outside runs (see console-capture.ts).
    stdout: false,
    stderr: false,
  });
  let markReady!: () => void;
  const handle: WorkerHandle = {
    role: options.role,
    worker,
    owner,
    ready: new Promise<void>((resolve) => (markReady = resolve)),
    fatal: null,
    stopping: false,
    exited: false,
    exitCode: null,
    lastError: null,
    stall: null,
    stallHandled: false,
  };
  const ping = () => {
    if (handle.exited) return;
    if ((handle.stall?.stalledMs() ?? 0) > 0) {
      if (!handle.stallHandled) {
        handle.stallHandled = true;
        options.onStall(handle);
      }
    } else handle.stallHandled = false;
    worker.postMessage({ type: "ping" } satisfies HostMessage);
  };
  worker.on("message", (message: WorkerMessage) => {
    handle.stall?.answered();
    if (message.type === "ready") {
      // Watched from here on: loading the project may hold the thread legitimately.
      handle.stall = new StallWatch(ping, options.stallMs);
      markReady();
    } else if (message.type === "fatal") {
      handle.fatal = message.error;
      markReady();
    }
    options.onMessage(handle, message);
  });
  worker.on("error", (error) => {
    // Thrown at the worker's top level: it is about to exit, and its exit restarts it.
    handle.lastError = error.message;
  });
  worker.on("exit", (code) => {
    handle.stall?.stop();
    handle.exited = true;
    handle.exitCode = code;
    markReady();
    options.onExit(handle, code);
  });
  return handle;
}

/** How long it has not answered, when that counts as stalled; else 0. */
export function stalledMs(handle: WorkerHandle): number {
  return handle.stall?.stalledMs() ?? 0;
}

/** Whether calls may still be sent to it. */
export function usable(handle: WorkerHandle): boolean {
  return !handle.stopping && !handle.exited && handle.fatal === null;
}

/** Stops it; the caller has said why (stopping) and handles what it leaves behind. */
export async function stopWorker(handle: WorkerHandle): Promise<void> {
  handle.stopping = true;
  handle.stall?.stop();
  await handle.worker.terminate();
}
