// Messages between EngineHost (the thread that serves the window or HTTP) and
// the engine's worker. Everything is plain JSON: results and events are
// already encoded by the engine, errors are {code, message}.

import type { CallName, CallOutcome, EngineServer } from "../../shared/contract";
import type { WireError } from "../../shared/errors";
import type { EngineEvent } from "../../shared/events";
import type { EmitEvent } from "../threads/context";
import type { ValuesDelta } from "./values-delta";

export interface WorkerInit {
  dbFile: string;
  projectDir: string | null;
  /** List the built-in examples although a project is open (`--examples`). */
  examples?: boolean;
  /** This worker's owner id for its runs ("<pid>:<uuid>"). */
  owner: string;
  /** Owners of the workers this one replaces: their active runs are failed at start. */
  deadOwners: string[];
  /** Why the previous worker stopped, recorded on the runs it left behind. */
  restartReason: string | null;
  /** Module (file URL) exporting `createEngine: CreateEngine`; the default engine when null. */
  engineModule: string | null;
  /** The spawning thread's activity clock (process-activity.ts), which the worker's collector shares. */
  activity?: SharedArrayBuffer;
}

/** `partial`: the host takes parts of the result ahead of it; `local`: answered from Threadline's own store (see CallContext). */
export type HostMessage =
  | { type: "call"; id: number; name: string; args: unknown; partial?: boolean; local?: boolean }
  | { type: "close" }
  /** Fail the active runs of these owners (runner workers the host stopped), answered as a call result. */
  | { type: "recover"; id: number; owners: string[]; reason: string }
  /** Answered with "pong" from the worker's event loop: silence means synchronous code holds it (stall-watch.ts). */
  | { type: "ping" };

export type WorkerMessage =
  | { type: "ready" }
  | { type: "fatal"; error: WireError }
  | { type: "partial"; id: number; value: unknown }
  | { type: "result"; id: number; ok: true; result: unknown }
  | { type: "result"; id: number; ok: false; error: WireError }
  /** `valuesDelta`: a values event's values, as what changed since its run's previous one (values-delta.ts). */
  | { type: "event"; event: EngineEvent; valuesDelta?: ValuesDelta }
  | { type: "closed" }
  | { type: "pong" };

export interface EngineOptions {
  dbFile: string;
  projectDir: string | null;
  /** List the built-in examples although a project is open. */
  examples?: boolean;
  owner: string;
  deadOwners: string[];
  restartReason: string | null;
}

/** What a worker runs: the contract's calls (any subset; others answer INVALID_ARGUMENT) over one database. */
export interface Engine {
  server: Partial<EngineServer>;
  /** Ends the active runs of engines known to be gone (see LocalRunManager.recover); runs' threads are reported changed. */
  recover?(deadOwners: string[], reason: string): void;
  close(): Promise<void>;
}

export type CreateEngine = (options: EngineOptions, emit: EmitEvent) => Promise<Engine>;

export type { CallName, CallOutcome };
