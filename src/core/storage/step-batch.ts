/**
 * The saver's write path (issue 18, sixth pass in the README): a put's rows are recorded in the
 * step journal (journal.ts, one `writeSync`) and the put resolves; the rows reach the tables in
 * batches, one transaction for up to MAX_PENDING_STEPS checkpoints with their writes (step-rows.ts).
 * A SQLite commit per step cost more than everything else the saver does.
 *
 * A batch is written when MAX_PENDING_STEPS checkpoints are pending, when the event loop turns
 * (setImmediate), and before anything that reads or changes the saver's rows: its own reads,
 * deletes and close all `flush` first, and code that reads the same file on another connection
 * waits for `whenFlushed` (the engine sends a run's events only once the rows they announce are
 * visible, runs/event-gate.ts). An in-memory database has no journal: its rows are batched the same
 * way (nothing in it survives the process anyway).
 */
import type Database from "better-sqlite3";
import { Journal } from "./journal";
import { RecordWriter } from "./journal-codec";
import { describeEntry, encodeEntry, StepRows, type StepEntry, type WholeValue } from "./step-rows";

/** The batches writing to each connection: code reading it directly flushes them first (flushPendingSteps). */
const byConnection = new WeakMap<Database.Database, Set<StepBatch>>();

/**
 * Writes the rows still pending for `db` (puts of savers on this connection): called by every reader
 * of the saver's tables that does not go through the saver (timeline.ts, thread-index.ts, …).
 */
export function flushPendingSteps(db: Database.Database): void {
  const batches = byConnection.get(db);
  if (batches) for (const batch of batches) batch.flush();
}

/** Checkpoints written per batch at most (measured: see the README's sixth pass). */
export const MAX_PENDING_STEPS = 48;

export class StepBatch {
  private pending: StepEntry[] = [];
  private steps = 0;
  private scheduled = false;
  private readonly out = new RecordWriter();
  /** Writes' promises waiting for their record to reach the journal (with the next put's) or the tables. */
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private readonly rows: StepRows;
  private readonly flushed = new Set<() => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly journal: Journal | null,
    wholeValue?: WholeValue,
    private readonly maxSteps = MAX_PENDING_STEPS,
  ) {
    this.rows = new StepRows(db, wholeValue);
    let batches = byConnection.get(db);
    if (!batches) byConnection.set(db, (batches = new Set()));
    batches.add(this);
  }

  /**
   * Records a checkpoint's rows: once this returns, they survive the process being killed (one
   * write to the journal, with the records of the writes queued before it).
   */
  addStep(entry: StepEntry): void {
    this.record(entry);
    this.writeJournal();
    this.schedule();
    if (++this.steps >= this.maxSteps) this.flush();
  }

  /**
   * Records a task's writes; resolves once they survive the process being killed: with the next
   * checkpoint's journal write, or when the batch is written. LangGraph does not wait for a task's
   * writes before its next checkpoint, so they share that one write.
   */
  addWrites(entry: StepEntry): Promise<void> {
    this.record(entry);
    this.schedule();
    if (!this.journal) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private record(entry: StepEntry): void {
    if (this.journal) {
      this.out.begin();
      encodeEntry(this.out, entry);
      this.out.end(this.journal.epoch);
    }
    this.pending.push(entry);
  }

  private writeJournal(): void {
    if (!this.journal) return;
    const [buf, length] = this.out.bytes();
    try {
      this.journal.append(buf, length);
    } catch {
      // The journal cannot be written (disk full, no file descriptor left): the rows are made
      // durable by writing them to the tables now instead, which throws if that fails too.
      this.flush();
      return;
    }
    this.out.clear();
    this.resolveWaiting();
  }

  private resolveWaiting(error?: unknown): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { resolve, reject } of waiting) {
      if (error === undefined) resolve();
      else reject(error);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flushLater());
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Writes every pending row to the tables now, in one transaction, and empties the journal. */
  flush(): void {
    this.write(false);
  }

  /** `flush`; `idle`: the event loop turned, so the journal file is removed rather than kept for the next batch. */
  private write(idle: boolean): void {
    // The turn's flush stays scheduled after an earlier one: it removes the journal file once idle.
    if (idle) this.scheduled = false;
    const entries = this.pending;
    if (entries.length === 0) {
      if (idle) this.journal?.reset();
      return;
    }
    // Kept pending until written: should the transaction fail, a later flush (or a replay of the
    // journal) writes them.
    this.rows.write(entries, (entry, error) =>
      console.error(`[threadline] SQLite refused the ${describeEntry(entry)}; it was left out of the database:`, error),
    );
    this.pending = [];
    this.steps = 0;
    this.out.clear();
    if (idle) this.journal?.reset();
    else this.journal?.recycle();
    this.resolveWaiting();
    for (const listener of [...this.flushed]) listener();
  }

  /** Calls `listener` after each batch is written; returns a function that stops it. */
  onFlushed(listener: () => void): () => void {
    this.flushed.add(listener);
    return () => this.flushed.delete(listener);
  }

  private flushLater(): void {
    if (!this.scheduled) return;
    try {
      this.write(true);
    } catch (error) {
      // Nobody waits on this flush: the rows stay pending for the next one (and the journaled ones
      // are replayed should the process end first); writes not yet journaled are reported failed.
      console.error("[threadline] writing checkpoints to the database failed; will retry:", error);
      this.resolveWaiting(error);
      this.scheduled = true;
      setTimeout(() => this.flushLater(), 1000).unref();
    }
  }

  /** Writes what is pending and closes the journal (the saver is closing). */
  close(): void {
    this.write(true);
    this.journal?.close();
    byConnection.get(this.db)?.delete(this);
  }
}
