/**
 * Revision tokens for readers that cache something derived from a checkpoint (the Agent Server
 * API's history states): a token changes whenever what is stored for that checkpoint changes after
 * it was written.
 */
import type Database from "better-sqlite3";
import { statement } from "./statements";
import { flushPendingSteps } from "./step-batch";

const REVISION_COLUMNS = `SELECT c.checkpoint_id AS id, c.rowid AS r,
        (SELECT count(*) || '.' || ifnull(max(w.rowid), 0) FROM tl_writes w
          WHERE w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id) AS w
   FROM tl_checkpoints c`;
const REVISION_SQL = `${REVISION_COLUMNS} WHERE c.thread_id = ? AND c.checkpoint_ns = ? AND c.checkpoint_id = ?`;
/** A page newest first, as the timeline's summary pages walk the key (storage/timeline.ts). */
const FIRST_PAGE_SQL = `${REVISION_COLUMNS} WHERE c.thread_id = ? AND c.checkpoint_ns = ? ORDER BY c.checkpoint_id DESC LIMIT ?`;
const PAGE_SQL = `${REVISION_COLUMNS} WHERE c.thread_id = ? AND c.checkpoint_ns = ? AND c.checkpoint_id < ? ORDER BY c.checkpoint_id DESC LIMIT ?`;

type RevisionRow = { id: string; r: number; w: string };

/**
 * For each checkpoint id found, a token that changes when its row is rewritten, or pending writes
 * are added to it, replaced or removed (rowids only grow while rows are added).
 */
export function checkpointRevisions(
  db: Database.Database,
  threadId: string,
  checkpointNs: string,
  checkpointIds: readonly string[],
): Map<string, string> {
  flushPendingSteps(db);
  const out = new Map<string, string>();
  const select = statement(db, REVISION_SQL);
  for (const id of checkpointIds) {
    const row = select.get(threadId, checkpointNs, id) as RevisionRow | undefined;
    if (row) out.set(row.id, `${row.r}.${row.w}`);
  }
  return out;
}

/**
 * A page of checkpoint ids, newest first (`before` exclusive), each with its token as
 * checkpointRevisions gives it: one query, reading no summary, value or write.
 */
export function pageRevisions(
  db: Database.Database,
  threadId: string,
  options: { checkpointNs: string; limit: number; before?: string },
): { checkpointId: string; revision: string }[] {
  flushPendingSteps(db);
  const rows = (
    options.before === undefined
      ? statement(db, FIRST_PAGE_SQL).all(threadId, options.checkpointNs, options.limit)
      : statement(db, PAGE_SQL).all(threadId, options.checkpointNs, options.before, options.limit)
  ) as RevisionRow[];
  return rows.map((row) => ({ checkpointId: row.id, revision: `${row.r}.${row.w}` }));
}
