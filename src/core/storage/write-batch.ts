/**
 * Group commit for the saver's writes. LangGraph calls `putWrites` once per task and `put` once per
 * superstep; committing each in its own transaction makes SQLite lock, append the same hot pages
 * (the thread's index row, the tables' last pages) to the WAL and unlock several times per step.
 * Pending writes are queued instead (`add`) and committed with the next checkpoint (`commit`), or at
 * the end of the event loop's turn if none comes: one IMMEDIATE transaction per superstep. Should
 * one of a batch fail, the transaction is rolled back and each is committed on its own (jobs are
 * plain SQL, so running one again after a rollback is safe), so that it fails alone.
 *
 * A checkpoint is committed at once rather than at the end of the turn: LangGraph runs a graph's
 * steps without yielding to the event loop and waits for each `put` before calling the next, so a
 * deferred checkpoint would land long after the run had moved on (after a cancelled run's rollback,
 * too); measured, both cost the same CPU time.
 *
 * A write's promise resolves only once its transaction has committed: what LangGraph has been told
 * is saved is saved (the SIGKILL test holds this). Readers of the same saver flush first, so they
 * never miss a write queued before them.
 */
import type Database from "better-sqlite3";

interface Job {
  apply(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class WriteBatch {
  private jobs: Job[] = [];
  private scheduled = false;
  private readonly commitAll: (jobs: Job[]) => Outcome[];

  constructor(db: Database.Database) {
    const together = db.transaction((jobs: Job[]) => jobs.map((job) => job.apply()));
    const alone = db.transaction((job: Job) => job.apply());
    this.commitAll = (jobs) => {
      if (jobs.length > 1) {
        try {
          return together.immediate(jobs).map((value) => ({ ok: true, value }));
        } catch {
          // One of them failed and the transaction was rolled back: find which, one at a time.
        }
      }
      return jobs.map((job): Outcome => {
        try {
          return { ok: true, value: alone.immediate(job) };
        } catch (error) {
          return { ok: false, error };
        }
      });
    };
  }

  /** Runs `apply` (synchronous SQL) in the next batch's transaction; resolves with its result once committed. */
  add<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits `apply` now, with every write queued before it (a checkpoint and its step's writes). */
  commit<T>(apply: () => T): Promise<T> {
    const done = this.add(apply);
    this.flush();
    return done;
  }

  /**
   * `commit` without a promise: returns `apply`'s result once committed, or throws its error. A put
   * runs inside LangGraph's run, where every promise is hooked by LangChain's AsyncLocalStorage.
   */
  commitNow<T>(apply: () => T): T {
    let outcome: Outcome | undefined;
    this.jobs.push({ apply, resolve: (value) => (outcome = { ok: true, value }), reject: (error) => (outcome = { ok: false, error }) });
    this.flush();
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value as T;
  }

  get pending(): boolean {
    return this.jobs.length > 0;
  }

  /** Commits every queued write now (a read, a delete or close needs them on disk first). */
  flush(): void {
    this.scheduled = false;
    const jobs = this.jobs;
    if (jobs.length === 0) return;
    this.jobs = [];
    const outcomes = this.commitAll(jobs);
    outcomes.forEach((outcome, i) => (outcome.ok ? jobs[i]!.resolve(outcome.value) : jobs[i]!.reject(outcome.error)));
  }
}
