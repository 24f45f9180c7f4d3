/**
 * Timeline queries for the inspector (a thread's summaries page by page, its checkpoint tree): they
 * read only the summary columns that `put` derived, never the channel values, so a page costs the
 * same on a 10-step thread as on a 10,000-step one.
 */
import type Database from "better-sqlite3";
import { statement } from "./statements";
import { flushPendingSteps } from "./step-batch";

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
  /**
   * An update: the node its values were applied as (tl_as_node). A fork, LangGraph's copy of its
   * parent that a replay starts from: the nodes that wrote the copied checkpoint.
   */
  appliedAs: string[];
}

export interface SummaryPageOptions {
  checkpointNs?: string;
  /** No limit when absent. */
  limit?: number;
  /** Only checkpoints older than this checkpoint id: pass the last id of the previous page. */
  before?: string;
  /** The oldest `limit` checkpoints instead of the newest (still listed newest first); not with `before`. */
  oldest?: boolean;
}

/** The `tl_checkpoints` columns that say where a checkpoint sits and what made it: a summary reads them, a put writes them. */
export interface CheckpointSummaryColumns {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  step: number;
  source: string;
  nodes: string;
  created_at: string;
}

interface SummaryRow extends CheckpointSummaryColumns {
  as_node: string | null;
  copied_nodes: string | null;
}

/**
 * The summary columns of `c`, with the as-node record of an update and the writers of a fork's parent:
 * both joined by primary key, so a page still walks `c`'s key in order.
 */
const SUMMARY_FROM = `SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.step, c.source, c.nodes, c.created_at,
    a.as_node, p.nodes AS copied_nodes
  FROM tl_checkpoints c
  LEFT JOIN tl_as_node a ON a.thread_id = c.thread_id AND a.checkpoint_ns = c.checkpoint_ns AND a.checkpoint_id = c.checkpoint_id
  LEFT JOIN tl_checkpoints p ON c.source = 'fork' AND p.thread_id = c.thread_id AND p.checkpoint_ns = c.checkpoint_ns
    AND p.checkpoint_id = c.parent_checkpoint_id`;

/** The summary page query; exported so a test can check its plan walks the primary key. */
export const SUMMARY_PAGE_SQL = `${SUMMARY_FROM}
  WHERE c.thread_id = ? AND c.checkpoint_ns = ? AND c.checkpoint_id < ?
  ORDER BY c.checkpoint_id DESC LIMIT ?`;
const FIRST_SUMMARY_PAGE_SQL = `${SUMMARY_FROM}
  WHERE c.thread_id = ? AND c.checkpoint_ns = ?
  ORDER BY c.checkpoint_id DESC LIMIT ?`;
/** The oldest page, read up the primary key (exported so a test can check its plan). */
export const OLDEST_SUMMARY_PAGE_SQL = `${SUMMARY_FROM}
  WHERE c.thread_id = ? AND c.checkpoint_ns = ?
  ORDER BY c.checkpoint_id ASC LIMIT ?`;
export const TREE_SQL = `${SUMMARY_FROM} WHERE c.thread_id = ? ORDER BY c.checkpoint_id, c.checkpoint_ns`;

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
    appliedAs: row.as_node !== null ? [row.as_node] : row.copied_nodes !== null ? (JSON.parse(row.copied_nodes) as string[]) : [],
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

/** Newest first; page on with `before` = the last checkpoint id of the previous page, or read the oldest page. */
export function checkpointSummaries(db: Database.Database, threadId: string, options: SummaryPageOptions = {}): CheckpointSummary[] {
  flushPendingSteps(db);
  const ns = options.checkpointNs ?? "";
  const limit = options.limit ?? -1;
  if (options.oldest) {
    if (options.before !== undefined) throw new TypeError("checkpointSummaries: `oldest` pages have nothing before them");
    return (statement(db, OLDEST_SUMMARY_PAGE_SQL).all(threadId, ns, limit) as SummaryRow[]).reverse().map(toSummary);
  }
  const rows = (
    options.before === undefined
      ? statement(db, FIRST_SUMMARY_PAGE_SQL).all(threadId, ns, limit)
      : statement(db, SUMMARY_PAGE_SQL).all(threadId, ns, options.before, limit)
  ) as SummaryRow[];
  return rows.map(toSummary);
}

/** Every checkpoint of the thread in every namespace, oldest first, parents before children. */
export function checkpointTree(db: Database.Database, threadId: string): CheckpointSummary[] {
  flushPendingSteps(db);
  return parentsFirst(statement(db, TREE_SQL).all(threadId) as SummaryRow[]).map(toSummary);
}
