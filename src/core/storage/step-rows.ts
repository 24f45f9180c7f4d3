/**
 * The rows of `put` and `putWrites` as SQL parameters (one journal record each, journal-codec.ts),
 * and how a batch of them is written: one multi-row INSERT per table for all the batch's steps, and
 * the thread index row (tl_threads) once per thread per batch instead of once per put. Applying a
 * batch is idempotent (a value version or a write is kept once, a checkpoint put again is replaced
 * and not counted twice), so a journal applied before a crash can be replayed safely.
 */
import { WRITES_IDX_MAP } from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { recordAsNode } from "./as-node";
import { BLOB_DELTA, BLOB_WHOLE } from "./delta";
import type { Param, RecordReader, RecordWriter } from "./journal-codec";
import type { CheckpointRow, SerializedBlob, WritesTarget } from "./put-rows";
import { statement } from "./statements";

const CHECKPOINT = 0;
const WRITES = 1;

export interface CheckpointEntry {
  kind: typeof CHECKPOINT;
  threadId: string;
  /** The tl_checkpoints row: thread, ns, id, parent, step, source, nodes, created_at, type, checkpoint, metadata type, metadata. */
  checkpoint: Param[];
  /** tl_blobs rows, BLOB_WIDTH values each. */
  blobs: Param[];
  asNode: string | null;
  /** When it was put: the thread index's updated_at (readers compare it with runs' end times). */
  at: string;
  /** The blobs as the saver planned them (absent for a replayed record): what `WholeValue` reads. */
  source?: SerializedBlob[];
}

export interface WritesEntry {
  kind: typeof WRITES;
  threadId: string;
  keep: Param[];
  replace: Param[];
}

export type StepEntry = CheckpointEntry | WritesEntry;

const BLOB_WIDTH = 8;
const WRITE_WIDTH = 9;
const CHECKPOINT_WIDTH = 12;

/**
 * A blob's whole value serialized, for a delta whose base row another connection deleted before the
 * batch was written; undefined when it cannot be (the checkpoint is then left out).
 */
export type WholeValue = (blob: SerializedBlob) => [type: string, bytes: Uint8Array] | undefined;

export function checkpointEntry(row: CheckpointRow, blobs: SerializedBlob[], asNode: string | undefined): CheckpointEntry {
  const { thread_id, checkpoint_ns } = row;
  const params: Param[] = [];
  for (const blob of blobs) {
    const base = blob.plan.kind === BLOB_DELTA ? blob.plan.base : null;
    params.push(thread_id, checkpoint_ns, blob.channel, blob.version, blob.plan.kind, base, blob.type, blob.bytes);
  }
  const checkpoint: Param[] = [
    thread_id,
    checkpoint_ns,
    row.checkpoint_id,
    row.parent_checkpoint_id,
    row.step,
    row.source,
    row.nodes,
    row.created_at,
    row.type,
    row.checkpoint,
    row.metadata_type,
    row.metadata,
  ];
  return { kind: CHECKPOINT, threadId: thread_id, checkpoint, blobs: params, asNode: asNode ?? null, at: new Date().toISOString(), source: blobs };
}

function writeIndex(channel: string, position: number): number {
  return Object.prototype.hasOwnProperty.call(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel]! : position;
}

/**
 * A task's pending writes. Special writes (errors, interrupts, resumes) have fixed negative indexes
 * and replace an earlier one; ordinary writes keep the first value written, as in LangGraph's savers.
 */
export function writesEntry(target: WritesTarget, channels: readonly string[], serialized: readonly [string, Uint8Array, number][]): WritesEntry {
  const { threadId, ns, checkpointId, taskId, taskPath } = target;
  const keep: Param[] = [];
  const replace: Param[] = [];
  channels.forEach((channel, position) => {
    const idx = writeIndex(channel, position);
    const [type, bytes] = serialized[position]!;
    (idx < 0 ? replace : keep).push(threadId, ns, checkpointId, taskId, idx, channel, type, bytes, taskPath);
  });
  return { kind: WRITES, threadId, keep, replace };
}

export function encodeEntry(out: RecordWriter, entry: StepEntry): void {
  out.u32(entry.kind);
  if (entry.kind === CHECKPOINT) {
    out.params(entry.checkpoint);
    out.params(entry.blobs);
    out.param(entry.asNode);
    out.param(entry.at);
  } else {
    out.param(entry.threadId);
    out.params(entry.keep);
    out.params(entry.replace);
  }
}

/** How a log names an entry SQLite refused. */
export function describeEntry(entry: StepEntry): string {
  return entry.kind === CHECKPOINT
    ? `checkpoint ${String(entry.checkpoint[2])} of thread "${entry.threadId}"`
    : `pending writes of thread "${entry.threadId}"`;
}

export function decodeEntry(input: RecordReader): StepEntry {
  const kind = input.u32();
  if (kind === CHECKPOINT) {
    const checkpoint = input.params();
    const blobs = input.params();
    const asNode = input.param();
    const at = String(input.param());
    if (checkpoint.length !== CHECKPOINT_WIDTH || blobs.length % BLOB_WIDTH !== 0) throw new RangeError("journal: a checkpoint record has the wrong shape");
    return { kind, threadId: String(checkpoint[0]), checkpoint, blobs, asNode: asNode === null ? null : String(asNode), at };
  }
  if (kind !== WRITES) throw new RangeError(`journal: unknown record kind ${kind}`);
  const threadId = String(input.param());
  const keep = input.params();
  const replace = input.params();
  if (keep.length % WRITE_WIDTH !== 0 || replace.length % WRITE_WIDTH !== 0) throw new RangeError("journal: a writes record has the wrong shape");
  return { kind, threadId, keep, replace };
}

const CHECKPOINT_COLUMNS = `(thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step, source, nodes, created_at, type, checkpoint, metadata_type, metadata)`;
const CHECKPOINT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_CHECKPOINTS = `INSERT OR IGNORE INTO tl_checkpoints ${CHECKPOINT_COLUMNS}`;
const REPLACE_CHECKPOINT = `INSERT OR REPLACE INTO tl_checkpoints ${CHECKPOINT_COLUMNS} VALUES ${CHECKPOINT_ROW}`;
const BASE_EXISTS = "SELECT 1 FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?";
// A version's value never changes once written, so a second put of it keeps the first row.
const INSERT_BLOBS = "INSERT OR IGNORE INTO tl_blobs (thread_id, checkpoint_ns, channel, version, kind, base_version, type, value)";
const BLOB_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)";
const REPLACE_WRITES = "INSERT OR REPLACE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)";
const KEEP_WRITES = "INSERT OR IGNORE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)";
const WRITE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The head is the newest root-namespace checkpoint; a subgraph's only while the root has none.
const TOUCH_THREAD = `INSERT INTO tl_threads
  (thread_id, created_at, updated_at, head_checkpoint_ns, head_checkpoint_id, checkpoint_count)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (thread_id) DO UPDATE SET
    updated_at = excluded.updated_at,
    checkpoint_count = checkpoint_count + excluded.checkpoint_count,
    head_checkpoint_ns = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
      THEN excluded.head_checkpoint_ns ELSE head_checkpoint_ns END,
    head_checkpoint_id = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
      THEN excluded.head_checkpoint_id ELSE head_checkpoint_id END`;

/** Rows per statement at most; more are split (SQLite allows 32766 parameters). */
const MAX_ROWS = 64;

/** Whether checkpoint (ns, id) a comes after b as the thread's head (root namespace first, then id). */
function laterHead(ns: string, id: string, than: [string, string]): boolean {
  const a = ns === "" ? 1 : 0;
  const b = than[0] === "" ? 1 : 0;
  return a !== b ? a > b : id > than[1];
}

interface ThreadBatch {
  checkpoints: Param[];
  head: [string, string];
  first: string;
  last: string;
}

/**
 * Whether SQLite refused a row itself (a constraint, a value it cannot bind): retrying cannot help,
 * unlike a busy database or a full disk.
 */
function isRefusal(error: unknown): boolean {
  if (error instanceof TypeError || error instanceof RangeError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

export class StepRows {
  /** Multi-row statements by head and row count, prepared on first use. */
  private readonly multi = new Map<string, Database.Statement[]>();
  private readonly inTransaction: (entries: readonly StepEntry[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly wholeValue?: WholeValue,
  ) {
    const apply = db.transaction((entries: readonly StepEntry[]) => this.apply(entries));
    this.inTransaction = (entries) => apply.immediate(entries);
  }

  /**
   * Writes `entries` in one transaction. Should SQLite refuse one of them, each is written in a
   * transaction of its own and the refused ones are left out (told to `refused`), so that one bad
   * row cannot hold back every later step; any other error (busy, disk full) is thrown, and
   * writing the same entries again later is safe (see the file comment).
   */
  write(entries: readonly StepEntry[], refused: (entry: StepEntry, error: unknown) => void): void {
    if (entries.length === 0) return;
    try {
      this.inTransaction(entries);
      return;
    } catch (error) {
      if (!isRefusal(error) || entries.length === 1) {
        if (isRefusal(error)) refused(entries[0]!, error);
        else throw error;
        return;
      }
    }
    for (const entry of entries) {
      try {
        this.inTransaction([entry]);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refused(entry, error);
      }
    }
  }

  /** Runs `head VALUES row, row, …` for `params` (each row `width` values), MAX_ROWS rows at a time. */
  private runRows(head: string, row: string, width: number, params: Param[]): number {
    let byCount = this.multi.get(head);
    if (!byCount) this.multi.set(head, (byCount = []));
    let changes = 0;
    for (let start = 0; start < params.length; start += MAX_ROWS * width) {
      const chunk = start === 0 && params.length <= MAX_ROWS * width ? params : params.slice(start, start + MAX_ROWS * width);
      const count = chunk.length / width;
      let prepared = byCount[count];
      if (!prepared) byCount[count] = prepared = this.db.prepare(`${head} VALUES ${new Array<string>(count).fill(row).join(", ")}`);
      changes += prepared.run(chunk).changes;
    }
    return changes;
  }

  /**
   * A delta's base must be stored (or be written earlier in this batch); when another connection
   * deleted it, the value is stored whole, or, for a replayed record, its checkpoint is left out.
   */
  private basesKept(entry: CheckpointEntry, written: Set<string>): boolean {
    const { blobs } = entry;
    for (let i = 0; i * BLOB_WIDTH < blobs.length; i++) {
      const at = i * BLOB_WIDTH;
      if (blobs[at + 4] !== BLOB_DELTA) continue;
      const key = `${String(blobs[at])}\0${String(blobs[at + 1])}\0${String(blobs[at + 2])}\0${String(blobs[at + 5])}`;
      if (written.has(key) || statement(this.db, BASE_EXISTS).get(blobs[at], blobs[at + 1], blobs[at + 2], blobs[at + 5])) continue;
      const blob = entry.source?.[i];
      const whole = blob && this.wholeValue?.(blob);
      if (!whole) return false;
      blobs[at + 4] = BLOB_WHOLE;
      blobs[at + 5] = null;
      blobs[at + 6] = whole[0];
      blobs[at + 7] = whole[1];
    }
    return true;
  }

  /** Writes a batch's rows; run inside a transaction. */
  private apply(entries: readonly StepEntry[]): void {
    const blobs: Param[] = [];
    const keep: Param[] = [];
    const replace: Param[] = [];
    const threads = new Map<string, ThreadBatch>();
    const asNodes: CheckpointEntry[] = [];
    const written = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === WRITES) {
        for (const value of entry.keep) keep.push(value);
        for (const value of entry.replace) replace.push(value);
        continue;
      }
      if (!this.basesKept(entry, written)) continue;
      for (let at = 0; at < entry.blobs.length; at += BLOB_WIDTH) {
        for (let k = 0; k < BLOB_WIDTH; k++) blobs.push(entry.blobs[at + k]!);
        written.add(`${String(entry.blobs[at])}\0${String(entry.blobs[at + 1])}\0${String(entry.blobs[at + 2])}\0${String(entry.blobs[at + 3])}`);
      }
      const ns = String(entry.checkpoint[1]);
      const id = String(entry.checkpoint[2]);
      const thread = threads.get(entry.threadId);
      if (!thread) threads.set(entry.threadId, { checkpoints: entry.checkpoint.slice(), head: [ns, id], first: entry.at, last: entry.at });
      else {
        for (const value of entry.checkpoint) thread.checkpoints.push(value);
        if (laterHead(ns, id, thread.head)) thread.head = [ns, id];
        thread.last = entry.at;
      }
      if (entry.asNode !== null) asNodes.push(entry);
    }
    if (blobs.length > 0) this.runRows(INSERT_BLOBS, BLOB_ROW, BLOB_WIDTH, blobs);
    for (const [threadId, { checkpoints, head, first, last }] of threads) {
      // A new checkpoint is one insert; a checkpoint put again is replaced (a new rowid, which the
      // revisions of revisions.ts rely on to see it changed), and the thread's count stays.
      const added = this.runRows(INSERT_CHECKPOINTS, CHECKPOINT_ROW, CHECKPOINT_WIDTH, checkpoints);
      if (added * CHECKPOINT_WIDTH < checkpoints.length) {
        const again = statement(this.db, REPLACE_CHECKPOINT);
        for (let at = 0; at < checkpoints.length; at += CHECKPOINT_WIDTH) again.run(checkpoints.slice(at, at + CHECKPOINT_WIDTH));
      }
      statement(this.db, TOUCH_THREAD).run(threadId, first, last, head[0], head[1], added);
    }
    for (const entry of asNodes) {
      recordAsNode(this.db, entry.threadId, String(entry.checkpoint[1]), String(entry.checkpoint[2]), entry.asNode!);
    }
    if (keep.length > 0) this.runRows(KEEP_WRITES, WRITE_ROW, WRITE_WIDTH, keep);
    if (replace.length > 0) this.runRows(REPLACE_WRITES, WRITE_ROW, WRITE_WIDTH, replace);
  }
}
