/**
 * The node a state update was applied as. LangGraph 1.x records nothing that names it (the update's
 * metadata is `{source: "update", step, parents}`, and its `versions_seen` changes only for a node
 * that had never run), so the engine keeps it beside the checkpoint (table tl_as_node, migration 10): written by `state.update`, and
 * by `put` when older LangGraph lines name it in `metadata.writes` (`{[asNode]: values}`).
 */
import type Database from "better-sqlite3";
import { statement } from "./statements";
import { flushPendingSteps } from "./step-batch";

export function recordAsNode(db: Database.Database, threadId: string, checkpointNs: string, checkpointId: string, asNode: string): void {
  statement(db, `INSERT OR REPLACE INTO tl_as_node (thread_id, checkpoint_ns, checkpoint_id, as_node) VALUES (?, ?, ?, ?)`).run(
    threadId,
    checkpointNs,
    checkpointId,
    asNode,
  );
}

/** The as-node an update's metadata names (older LangGraph lines: `writes: {[asNode]: values}`), if exactly one. */
export function asNodeOfMetadata(metadata: { source?: unknown; writes?: unknown } | undefined | null): string | undefined {
  if (metadata?.source !== "update" || !metadata.writes || typeof metadata.writes !== "object") return undefined;
  const keys = Object.keys(metadata.writes);
  return keys.length === 1 ? keys[0] : undefined;
}

/** Copies a thread's records to the same checkpoints (same ids) of another thread. */
export function copyAsNodes(db: Database.Database, fromThreadId: string, toThreadId: string): void {
  flushPendingSteps(db);
  statement(
    db,
    `INSERT OR REPLACE INTO tl_as_node (thread_id, checkpoint_ns, checkpoint_id, as_node)
     SELECT ?, a.checkpoint_ns, a.checkpoint_id, a.as_node FROM tl_as_node a
     JOIN tl_checkpoints c ON c.thread_id = ? AND c.checkpoint_ns = a.checkpoint_ns AND c.checkpoint_id = a.checkpoint_id
     WHERE a.thread_id = ?`,
  ).run(toThreadId, toThreadId, fromThreadId);
}

/** A summary's `appliedAs` from metadata alone (a store opened in place, a saver without SQL). */
export function appliedAsOfMetadata(metadata: { source?: unknown; writes?: unknown } | undefined | null): string[] {
  const asNode = asNodeOfMetadata(metadata);
  return asNode === undefined ? [] : [asNode];
}
