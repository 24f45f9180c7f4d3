/**
 * The SQL of SqliteCheckpointer's `put` and `putWrites`, run inside the step's transaction
 * (write-batch.ts). A step's rows of one table go in one multi-row INSERT with positional
 * parameters: inside a graph's run each statement execution cost far more than its SQLite work
 * (binding named parameters looks each one up on an object, and every `run` builds a result
 * object), so a step's three to five blob rows, or a task's writes, are one `run` each instead
 * of one per row (issue 18, fifth pass in the README).
 */
import { WRITES_IDX_MAP } from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { recordAsNode } from "./as-node";
import { BLOB_DELTA } from "./delta";
import type { CheckpointRow, SerializedBlob, WritesTarget } from "./put-rows";
import { statement } from "./statements";

/** Thrown inside a put's transaction when a delta's base row has been deleted meanwhile. */
export class BaseVersionGone extends Error {}

const CHECKPOINT_COLUMNS = `(thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step, source, nodes, created_at, type, checkpoint, metadata_type, metadata)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_CHECKPOINT = `INSERT OR IGNORE INTO tl_checkpoints ${CHECKPOINT_COLUMNS}`;
const REPLACE_CHECKPOINT = `INSERT OR REPLACE INTO tl_checkpoints ${CHECKPOINT_COLUMNS}`;
const BASE_EXISTS = "SELECT 1 FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?";
// The head is the newest root-namespace checkpoint; a subgraph's only while the root has none.
const TOUCH_THREAD = `INSERT INTO tl_threads
  (thread_id, created_at, updated_at, head_checkpoint_ns, head_checkpoint_id, checkpoint_count)
  VALUES (?, ?, ?, ?, ?, 1)
  ON CONFLICT (thread_id) DO UPDATE SET
    updated_at = excluded.updated_at,
    checkpoint_count = checkpoint_count + ?,
    head_checkpoint_ns = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
      THEN excluded.head_checkpoint_ns ELSE head_checkpoint_ns END,
    head_checkpoint_id = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
      THEN excluded.head_checkpoint_id ELSE head_checkpoint_id END`;

const BLOB_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)";
const WRITE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** Rows per statement at most; more are split (SQLite allows 32766 parameters). */
const MAX_ROWS = 64;

function rowsSql(head: string, row: string, count: number): string {
  return `${head} VALUES ${new Array<string>(count).fill(row).join(", ")}`;
}

// A version's value never changes once written, so a second put of it keeps the first row.
const INSERT_BLOBS = "INSERT OR IGNORE INTO tl_blobs (thread_id, checkpoint_ns, channel, version, kind, base_version, type, value)";
// Special writes (errors, interrupts, resumes) have fixed negative indexes and replace an earlier
// one; ordinary writes keep the first value written, as in LangGraph's own savers.
const REPLACE_WRITES = "INSERT OR REPLACE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)";
const KEEP_WRITES = "INSERT OR IGNORE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)";

function writeIndex(channel: string, position: number): number {
  return Object.prototype.hasOwnProperty.call(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel]! : position;
}

export class PutStatements {
  /** Multi-row statements by head and row count, prepared on first use. */
  private readonly multi = new Map<string, Database.Statement[]>();

  constructor(private readonly db: Database.Database) {}

  private sql(text: string): Database.Statement {
    return statement(this.db, text);
  }

  /** Runs `head VALUES row, row, …` for `params` (each row `width` values), MAX_ROWS rows at a time. */
  private runRows(head: string, row: string, width: number, params: unknown[]): void {
    let byCount = this.multi.get(head);
    if (!byCount) this.multi.set(head, (byCount = []));
    for (let start = 0; start < params.length; start += MAX_ROWS * width) {
      const chunk = start === 0 && params.length <= MAX_ROWS * width ? params : params.slice(start, start + MAX_ROWS * width);
      const count = chunk.length / width;
      let prepared = byCount[count];
      if (!prepared) byCount[count] = prepared = this.db.prepare(rowsSql(head, row, count));
      prepared.run(chunk);
    }
  }

  /** A checkpoint with its channel values, the thread's index row and the update's as-node. */
  commitCheckpoint(row: CheckpointRow, blobs: SerializedBlob[], asNode: string | undefined): void {
    const { thread_id, checkpoint_ns, checkpoint_id } = row;
    if (blobs.length > 0) {
      const baseExists = this.sql(BASE_EXISTS);
      const params: unknown[] = [];
      for (const blob of blobs) {
        const base = blob.plan.kind === BLOB_DELTA ? blob.plan.base : null;
        if (base !== null && !baseExists.get(thread_id, checkpoint_ns, blob.channel, base)) throw new BaseVersionGone();
        params.push(thread_id, checkpoint_ns, blob.channel, blob.version, blob.plan.kind, base, blob.type, blob.bytes);
      }
      this.runRows(INSERT_BLOBS, BLOB_ROW, 8, params);
    }
    // A new checkpoint is one insert; a checkpoint put again is replaced (a new rowid, which the
    // revisions of revisions.ts rely on to see it changed), and the thread's count stays.
    const values = [
      thread_id,
      checkpoint_ns,
      checkpoint_id,
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
    const added = this.sql(INSERT_CHECKPOINT).run(values).changes;
    if (added === 0) this.sql(REPLACE_CHECKPOINT).run(values);
    if (asNode !== undefined) recordAsNode(this.db, String(thread_id), String(checkpoint_ns), String(checkpoint_id), asNode);
    const now = new Date().toISOString();
    this.sql(TOUCH_THREAD).run(thread_id, now, now, checkpoint_ns, checkpoint_id, added);
  }

  /** A task's pending writes, from their serialized values (same order as `writes`). */
  insertWrites(target: WritesTarget, channels: readonly string[], serialized: readonly [string, Uint8Array, number][]): void {
    const { threadId, ns, checkpointId, taskId, taskPath } = target;
    const keep: unknown[] = [];
    const replace: unknown[] = [];
    channels.forEach((channel, position) => {
      const idx = writeIndex(channel, position);
      const [type, bytes] = serialized[position]!;
      (idx < 0 ? replace : keep).push(threadId, ns, checkpointId, taskId, idx, channel, type, bytes, taskPath);
    });
    if (keep.length > 0) this.runRows(KEEP_WRITES, WRITE_ROW, 9, keep);
    if (replace.length > 0) this.runRows(REPLACE_WRITES, WRITE_ROW, 9, replace);
  }
}
