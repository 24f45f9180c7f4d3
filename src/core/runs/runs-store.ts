// What the run manager adds to the runs table of ../storage/runs-table.ts (its owner column is
// migration 5 of ../storage/engine-migrations.ts):
// which engine owns each active run, so that crash recovery fails only the
// runs whose engine is gone, never those of another live process (the
// desktop app and `threadline serve` may share one database file) or of
// another worker of this process.
//
// An owner is "<pid>:<uuid>", one uuid per worker start, and holds a lease it renews while it
// lives (run-lease.ts): the PID alone cannot say an owner is alive, since a new process may reuse it.

import type Database from "better-sqlite3";
import type { JsonValue } from "../../shared/encoding";
import type { RunInfo, UserError } from "../../shared/types";
import { activeRuns, insertRun } from "../storage/runs-table";
import { leaseUntil } from "./run-lease";

type Db = Database.Database;

export function ownerId(pid: number, instance: string): string {
  return `${pid}:${instance}`;
}

function ownerPid(owner: string): number | undefined {
  const pid = Number(owner.split(":")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether the process that owns a run still exists (on this machine). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type AdmitResult = { admitted: true; ahead: RunInfo[] } | { admitted: false; active: RunInfo[] };

/**
 * The busy-thread check and the insert, in one IMMEDIATE transaction so that
 * it holds across processes: SQLite's write lock is taken before the read.
 * `queue` inserts even when the thread is busy (enqueue, interrupt, rollback),
 * returning the active runs the new one waits behind.
 */
export function admitRun(db: Db, run: RunInfo, kwargs: JsonValue, owner: string, queue: boolean): AdmitResult {
  return db
    .transaction((): AdmitResult => {
      const active = activeRuns(db, run.threadId);
      if (active.length > 0 && !queue) return { admitted: false, active };
      insertRun(db, run, kwargs);
      db.prepare(`UPDATE tl_runs SET owner = ? WHERE run_id = ?`).run(owner, run.runId);
      return { admitted: true, ahead: active };
    })
    .immediate();
}

export function runOwner(db: Db, runId: string): string | null | undefined {
  const row = db.prepare(`SELECT owner FROM tl_runs WHERE run_id = ?`).get(runId) as { owner: string | null } | undefined;
  return row?.owner;
}

export function deleteRun(db: Db, runId: string): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM tl_run_console WHERE run_id = ?`).run(runId);
    db.prepare(`DELETE FROM tl_runs WHERE run_id = ?`).run(runId);
  })();
}

export interface RecoveryOptions {
  /** Owners known to be gone although their process lives (a worker of this process that was restarted). */
  deadOwners?: readonly string[];
  isAlive?: (pid: number) => boolean;
  now?: string;
  /** The clock leases are compared with (ms since the epoch). */
  nowMs?: number;
}

export interface RecoveredRun {
  runId: string;
  threadId: string;
  owner: string | null;
}

/**
 * Crash recovery: pending or running runs whose owner is gone can never end,
 * so they are marked as errored with `error`. Checkpoints are untouched.
 */
export function failOrphanedRunsOf(db: Db, error: UserError, options: RecoveryOptions = {}): RecoveredRun[] {
  const dead = new Set(options.deadOwners ?? []);
  const isAlive = options.isAlive ?? isProcessAlive;
  const now = options.now ?? new Date().toISOString();
  const nowMs = options.nowMs ?? Date.now();
  const gone = (owner: string | null): boolean => {
    if (owner === null || dead.has(owner)) return true;
    const pid = ownerPid(owner);
    if (pid === undefined || !isAlive(pid)) return true;
    // A live PID proves nothing on its own (it may be reused); an expired lease says the owner is gone.
    const until = leaseUntil(db, owner);
    return until !== undefined && until < nowMs;
  };
  return db
    .transaction(() => {
      const rows = db
        .prepare(`SELECT run_id, thread_id, owner FROM tl_runs WHERE status IN ('pending', 'running')`)
        .all() as { run_id: string; thread_id: string; owner: string | null }[];
      const orphans = rows.filter((r) => gone(r.owner));
      const fail = db.prepare(
        `UPDATE tl_runs SET status = 'error', finished_at = ?, error = ? WHERE run_id = ? AND status IN ('pending', 'running')`,
      );
      for (const r of orphans) fail.run(now, JSON.stringify(error), r.run_id);
      return orphans.map((r) => ({ runId: r.run_id, threadId: r.thread_id, owner: r.owner }));
    })
    .immediate();
}
