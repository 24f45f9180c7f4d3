/**
 * Timeline queries for the inspector: they read only the summary columns that `put` derived, never
 * the channel values, so a page costs the same on a 10-step thread as on a 10,000-step one.
 */
import type Database from "better-sqlite3";

export interface CheckpointSummary {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  step: number;
  source: string;
  /** The nodes whose run produced this checkpoint (their `versions_seen` changed); sorted. */
  nodes: string[];
  /** The checkpoint's `ts`. */
  createdAt: string;
}

export interface ThreadIndexRow {
  threadId: string;
  createdAt: string;
  updatedAt: string;
  /** The newest checkpoint of the root namespace (of any namespace while the root has none). */
  headCheckpointId: string;
  /** Checkpoints of the thread in all namespaces. */
  checkpointCount: number;
}

export interface SummaryPageOptions {
  checkpointNs?: string;
  /** No limit when absent. */
  limit?: number;
  /** Only checkpoints older than this checkpoint id: pass the last id of the previous page. */
  before?: string;
}

export interface ThreadIndexOptions {
  limit?: number;
  offset?: number;
  idPrefix?: string;
}

interface SummaryRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  step: number;
  source: string;
  nodes: string;
  created_at: string;
}

interface ThreadRow {
  thread_id: string;
  created_at: string;
  updated_at: string;
  head_checkpoint_id: string;
  checkpoint_count: number;
}

const SUMMARY_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step, source, nodes, created_at";
const THREAD_COLUMNS = "thread_id, created_at, updated_at, head_checkpoint_id, checkpoint_count";

/** The summary page query; exported so a test can check its plan walks the primary key. */
export const SUMMARY_PAGE_SQL = `SELECT ${SUMMARY_COLUMNS} FROM tl_checkpoints
  WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id < ?
  ORDER BY checkpoint_id DESC LIMIT ?`;
const FIRST_SUMMARY_PAGE_SQL = `SELECT ${SUMMARY_COLUMNS} FROM tl_checkpoints
  WHERE thread_id = ? AND checkpoint_ns = ?
  ORDER BY checkpoint_id DESC LIMIT ?`;
export const TREE_SQL = `SELECT ${SUMMARY_COLUMNS} FROM tl_checkpoints WHERE thread_id = ? ORDER BY checkpoint_id, checkpoint_ns`;
const THREADS_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads ORDER BY updated_at DESC, thread_id LIMIT ? OFFSET ?`;
// A range on the primary key rather than LIKE, which would treat `%` and `_` in ids as wildcards.
const THREADS_BY_PREFIX_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads
  WHERE thread_id >= ? AND thread_id < ? ORDER BY updated_at DESC, thread_id LIMIT ? OFFSET ?`;
const THREAD_SQL = `SELECT ${THREAD_COLUMNS} FROM tl_threads WHERE thread_id = ?`;

function toSummary(row: SummaryRow): CheckpointSummary {
  return {
    threadId: row.thread_id,
    checkpointNs: row.checkpoint_ns,
    checkpointId: row.checkpoint_id,
    parentCheckpointId: row.parent_checkpoint_id,
    step: row.step,
    source: row.source,
    nodes: JSON.parse(row.nodes) as string[],
    createdAt: row.created_at,
  };
}

function toThread(row: ThreadRow): ThreadIndexRow {
  return {
    threadId: row.thread_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    headCheckpointId: row.head_checkpoint_id,
    checkpointCount: row.checkpoint_count,
  };
}

/** Parents before children even if a clock step made a child's id sort first. */
function parentsFirst(rows: SummaryRow[]): SummaryRow[] {
  const byKey = new Map(rows.map((row) => [`${row.checkpoint_ns}\0${row.checkpoint_id}`, row]));
  const emitted = new Set<SummaryRow>();
  const ordered: SummaryRow[] = [];
  for (const row of rows) {
    const pending: SummaryRow[] = [];
    let cursor: SummaryRow | undefined = row;
    while (cursor && !emitted.has(cursor) && !pending.includes(cursor)) {
      pending.push(cursor);
      cursor = cursor.parent_checkpoint_id === null ? undefined : byKey.get(`${cursor.checkpoint_ns}\0${cursor.parent_checkpoint_id}`);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      emitted.add(pending[i]!);
      ordered.push(pending[i]!);
    }
  }
  return ordered;
}

export class Timeline {
  private readonly summaryPage: Database.Statement;
  private readonly firstSummaryPage: Database.Statement;
  private readonly tree: Database.Statement;
  private readonly threads: Database.Statement;
  private readonly threadsByPrefix: Database.Statement;
  private readonly thread: Database.Statement;

  constructor(db: Database.Database) {
    this.summaryPage = db.prepare(SUMMARY_PAGE_SQL);
    this.firstSummaryPage = db.prepare(FIRST_SUMMARY_PAGE_SQL);
    this.tree = db.prepare(TREE_SQL);
    this.threads = db.prepare(THREADS_SQL);
    this.threadsByPrefix = db.prepare(THREADS_BY_PREFIX_SQL);
    this.thread = db.prepare(THREAD_SQL);
  }

  /** Newest first; page on with `before` = the last checkpoint id of the previous page. */
  summaries(threadId: string, options: SummaryPageOptions = {}): CheckpointSummary[] {
    const ns = options.checkpointNs ?? "";
    const limit = options.limit ?? -1;
    const rows = (
      options.before === undefined
        ? this.firstSummaryPage.all(threadId, ns, limit)
        : this.summaryPage.all(threadId, ns, options.before, limit)
    ) as SummaryRow[];
    return rows.map(toSummary);
  }

  /** Every checkpoint of the thread in every namespace, oldest first, parents before children. */
  checkpointTree(threadId: string): CheckpointSummary[] {
    return parentsFirst(this.tree.all(threadId) as SummaryRow[]).map(toSummary);
  }

  /** Most recently updated first. */
  threadIndex(options: ThreadIndexOptions = {}): ThreadIndexRow[] {
    const limit = options.limit ?? -1;
    const offset = options.offset ?? 0;
    const rows = (
      options.idPrefix
        ? this.threadsByPrefix.all(options.idPrefix, `${options.idPrefix}\u{10FFFF}`, limit, offset)
        : this.threads.all(limit, offset)
    ) as ThreadRow[];
    return rows.map(toThread);
  }

  threadRow(threadId: string): ThreadIndexRow | undefined {
    const row = this.thread.get(threadId) as ThreadRow | undefined;
    return row ? toThread(row) : undefined;
  }
}
