// What the Inspector needs from the run manager (implemented in this folder by
// its own module). The Inspector validates arguments and delegates every
// `runs.*` call here; thread status asks `isBusy`.
//
// Persistence: runs and console lines live in the tables of
// ../storage/runs-table.ts (insertRunIfIdle takes the cross-process lock that
// the multitask strategies need; failOrphanedRuns is the crash recovery).

import type { ParsedArgs } from "../../shared/contract";
import type { EngineEvent } from "../../shared/events";
import type { ConsoleLine, RunInfo } from "../../shared/types";

export interface RunManager {
  /** Starts (or enqueues) a run; CONFLICT on a busy thread under "reject"; NOT_FOUND for an unknown graph or checkpoint. */
  start(args: ParsedArgs<"runs.start">): Promise<RunInfo>;
  /** NOT_FOUND when unknown. */
  get(runId: string): RunInfo;
  /** Newest first. */
  list(threadId: string, page: { limit: number; offset: number }): RunInfo[];
  cancel(runId: string, action: "interrupt" | "rollback"): Promise<RunInfo>;
  /** Resolves when the run has ended, with its final state. */
  join(runId: string): Promise<RunInfo>;
  console(runId: string): ConsoleLine[];
  /** True while the thread has a pending or running run, in this or any process. */
  isBusy(threadId: string): boolean;
  /** Cancels the thread's active runs and waits for them (before a thread is deleted). */
  cancelThread?(threadId: string): Promise<void>;
  /** Cancels everything (engine shutdown). */
  close(): Promise<void>;
}

/** How the engine hands events to whoever listens (the transports). */
export type EmitEvent = (event: EngineEvent) => void;
