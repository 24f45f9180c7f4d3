/**
 * The thread index `put` keeps in tl_threads (head checkpoint, count, last update), so that a list
 * of threads never reads checkpoints.
 */
import type Database from "better-sqlite3";
import { statement } from "./statements";
import { flushPendingSteps } from "./step-batch";

export interface ThreadIndexRow {
  threadId: string;
  createdAt: string;
  updatedAt: string;
  /** The newest checkpoint of the root namespace (of any namespace while the root has none). */
  headCheckpointId: string;
  /** Checkpoints of the thread in all namespaces. */
  checkpointCount: number;
}

export interface ThreadIndexOptions {
  limit?: number;
  offset?: number;
  idPrefix?: string;
}

interface ThreadRow {
  thread_id: string;
  created_at: string;
  updated_at: string;
  head_checkpoint_id: string;
  checkpoint_count: number;
}

const THREAD_COLUMNS = "thread_id, created_at, updated_at, head_checkpoint_id, checkpoint_count";
const THREADS_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads ORDER BY updated_at DESC, thread_id LIMIT ? OFFSET ?`;
// A range on the primary key rather than LIKE, which would treat `%` and `_` in ids as wildcards.
const THREADS_BY_PREFIX_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads
  WHERE thread_id >= ? AND thread_id < ? ORDER BY updated_at DESC, thread_id LIMIT ? OFFSET ?`;
const THREAD_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads WHERE thread_id = ?`;

function toThread(row: ThreadRow): ThreadIndexRow {
  return {
    threadId: row.thread_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    headCheckpointId: row.head_checkpoint_id,
    checkpointCount: row.checkpoint_count,
  };
}

/** Threads most recently updated first. */
export function listThreadIndex(db: Database.Database, options: ThreadIndexOptions = {}): ThreadIndexRow[] {
  flushPendingSteps(db);
  const limit = options.limit ?? -1;
  const offset = options.offset ?? 0;
  const rows = (
    options.idPrefix
      ? statement(db, THREADS_BY_PREFIX_SQL).all(options.idPrefix, `${options.idPrefix}\u{10FFFF}`, limit, offset)
      : statement(db, THREADS_SQL).all(limit, offset)
  ) as ThreadRow[];
  return rows.map(toThread);
}

export function getThreadIndex(db: Database.Database, threadId: string): ThreadIndexRow | undefined {
  flushPendingSteps(db);
  const row = statement(db, THREAD_SQL).get(threadId) as ThreadRow | undefined;
  return row ? toThread(row) : undefined;
}
