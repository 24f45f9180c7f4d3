// Thread metadata (tl_thread_meta) and the thread list. A thread exists when
// either the engine created it (a row here) or a checkpointer wrote to it (a
// row in the storage's index, tl_threads, which `put` keeps up to date even
// when the writer is a user's own app); the list is the union of both, so it
// never scans checkpoints.

import type Database from "better-sqlite3";
import type { Metadata } from "../../shared/types";
import { cutAtDepth, nestingExceeds } from "../../shared/nesting";
import { statement } from "./statements";
import { flushPendingSteps } from "./step-batch";

type Db = Database.Database;

export interface ThreadMetaRow {
  threadId: string;
  createdAt: string;
  updatedAt: string;
  metadata: Metadata;
  graphId: string | null;
}

/** One thread of the list: its metadata row and its checkpoint index row merged. */
export interface ThreadListRow extends ThreadMetaRow {
  /** The head checkpoint from the checkpointer's index; null when it has no checkpoint. */
  headCheckpointId: string | null;
  /** When the checkpointer last wrote to it (not counting metadata edits); null without checkpoints. */
  headUpdatedAt: string | null;
  /** Checkpoints in every namespace, from the checkpointer's index; 0 without checkpoints. */
  checkpointCount: number;
}

interface MetaRecord {
  thread_id: string;
  created_at: string;
  updated_at: string;
  metadata: string;
  graph_id: string | null;
}

interface ListRecord extends MetaRecord {
  head_checkpoint_id: string | null;
  head_updated_at: string | null;
  checkpoint_count: number | null;
}

/**
 * Stored metadata as it is listed: a value nested past the limit (stored before it existed, or by
 * another program) is cut there, and text that is not JSON reads as {}, so one row never breaks a listing.
 */
function readMetadata(text: string): Metadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  return (nestingExceeds(value) ? cutAtDepth(value) : value) as Metadata;
}

function toMeta(r: MetaRecord): ThreadMetaRow {
  return {
    threadId: r.thread_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    metadata: readMetadata(r.metadata),
    graphId: r.graph_id,
  };
}

function toListRow(r: ListRecord): ThreadListRow {
  return { ...toMeta(r), headCheckpointId: r.head_checkpoint_id, headUpdatedAt: r.head_updated_at, checkpointCount: r.checkpoint_count ?? 0 };
}

export function getThreadMeta(db: Db, threadId: string): ThreadMetaRow | undefined {
  const row = db.prepare(`SELECT * FROM tl_thread_meta WHERE thread_id = ?`).get(threadId) as MetaRecord | undefined;
  return row && toMeta(row);
}

export function putThreadMeta(db: Db, row: ThreadMetaRow): void {
  db.prepare(
    `INSERT INTO tl_thread_meta (thread_id, created_at, updated_at, metadata, graph_id)
     VALUES (@threadId, @createdAt, @updatedAt, @metadata, @graphId)
     ON CONFLICT (thread_id) DO UPDATE SET
       updated_at = excluded.updated_at, metadata = excluded.metadata, graph_id = excluded.graph_id`,
  ).run({ ...row, metadata: JSON.stringify(row.metadata) });
}

export function deleteThreadMeta(db: Db, threadId: string): void {
  db.prepare(`DELETE FROM tl_thread_meta WHERE thread_id = ?`).run(threadId);
}

/** Connections known to have the index: a table is never dropped, so a yes is kept (a no is asked again). */
const withIndex = new WeakSet<Db>();

function hasCheckpointIndex(db: Db): boolean {
  if (withIndex.has(db)) return true;
  const found = statement(db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tl_threads'`).get() !== undefined;
  if (found) withIndex.add(db);
  return found;
}

/** The upper bound of ids starting with `prefix`: a key range, since LIKE would read `%` and `_` in ids as wildcards. */
function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

function listSql(db: Db, where: string): string {
  const meta = `SELECT thread_id, created_at, updated_at, metadata, graph_id,
                  NULL AS head_checkpoint_id, NULL AS head_updated_at, NULL AS checkpoint_count
                FROM tl_thread_meta ${where}`;
  if (!hasCheckpointIndex(db)) return `${meta} ORDER BY updated_at DESC, thread_id`;
  // MAX() over a group picks the non-NULL side of the union for each column.
  return `SELECT thread_id, MIN(created_at) AS created_at, MAX(updated_at) AS updated_at,
            COALESCE(MAX(metadata), '{}') AS metadata, MAX(graph_id) AS graph_id,
            MAX(head_checkpoint_id) AS head_checkpoint_id, MAX(head_updated_at) AS head_updated_at,
            MAX(checkpoint_count) AS checkpoint_count
          FROM (
            ${meta}
            UNION ALL
            SELECT thread_id, created_at, updated_at, NULL, NULL, head_checkpoint_id, updated_at, checkpoint_count FROM tl_threads ${where}
          )
          GROUP BY thread_id
          ORDER BY updated_at DESC, thread_id`;
}

/** How many list rows one query of `iterateThreads` reads. */
const LIST_CHUNK = 256;

/**
 * Every thread, most recently updated first, lazily: the caller filters
 * (metadata, status) and stops once it has its page. Rows are read a chunk at
 * a time with no statement left open between chunks: callers await between
 * rows, and a statement still iterating would make every other query on the
 * connection (a write, another search) fail with "connection is busy".
 */
export function* iterateThreads(db: Db, options: { idPrefix?: string } = {}): Generator<ThreadListRow> {
  flushPendingSteps(db);
  const prefix = options.idPrefix ?? "";
  const where = prefix ? `WHERE thread_id >= @from AND thread_id < @to` : "";
  const params = prefix ? { from: prefix, to: prefixEnd(prefix) } : {};
  const chunk = db.prepare(`${listSql(db, where)} LIMIT @limit OFFSET @offset`);
  for (let offset = 0; ; offset += LIST_CHUNK) {
    const rows = chunk.all({ ...params, limit: LIST_CHUNK, offset }) as ListRecord[];
    for (const r of rows) yield toListRow(r);
    if (rows.length < LIST_CHUNK) return;
  }
}

/** One thread of the list, or undefined when neither table knows it. */
export function getThreadListRow(db: Db, threadId: string): ThreadListRow | undefined {
  flushPendingSteps(db);
  // Prepared once per connection: every history page and state read looks its thread up (issue 15).
  const sql = listSql(db, `WHERE thread_id = @id`);
  const r = statement(db, sql).get({ id: threadId }) as ListRecord | undefined;
  return r && toListRow(r);
}

/**
 * Threads updated after `since` (ISO), for the live watch: which threads
 * another process wrote. Returns the ids and the newest update seen.
 */
export function threadsUpdatedSince(db: Db, since: string): { threadIds: string[]; newest: string } {
  flushPendingSteps(db);
  const sql = listSql(db, `WHERE updated_at > @since`);
  const rows = db.prepare(sql).all({ since }) as ListRecord[];
  const newest = rows.reduce((max, r) => (r.updated_at > max ? r.updated_at : max), since);
  return { threadIds: rows.map((r) => r.thread_id), newest };
}

export function newestThreadUpdate(db: Db): string {
  flushPendingSteps(db);
  const sql = `SELECT MAX(updated_at) AS newest FROM (${listSql(db, "")})`;
  return (db.prepare(sql).get() as { newest: string | null }).newest ?? "";
}
