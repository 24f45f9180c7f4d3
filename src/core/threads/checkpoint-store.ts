// What the engine reads from the checkpointer beyond LangGraph's
// BaseCheckpointSaver: on Threadline's own database, the storage layer's
// timeline and revision queries, which read only summary columns. Any other
// saver (MemorySaver in tests) still works through the generic `list`, only
// slower.

import type { BaseCheckpointSaver, CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import type { CheckpointSummary, CheckpointTreeNode } from "../../shared/types";
import { unpack } from "../storage/compress";
import { loadValue } from "../storage/delta";
import { appliedAsOfMetadata, copyAsNodes, recordAsNode } from "../storage/as-node";
import { pageRevisions } from "../storage/revisions";
import { statement } from "../storage/statements";
import { checkpointSummaries, checkpointTree, type CheckpointSummary as StorageSummary } from "../storage/timeline";
import { firstHumanText, summarizeWrites, type WriteForSummary } from "./change-summary";
import { compareIds, withParentRoots } from "./parent-roots";

export { latestBefore } from "./parent-roots";

/** A row of the storage layer's timeline. */
export type StoredSummary = StorageSummary;

/**
 * The checkpointer as the engine uses it: SqliteCheckpointer (whose `db` holds Threadline's tables,
 * read directly by the fast paths), or any saver without them. A store opened in place
 * (src/core/stores) answers the timeline from its own summary columns instead.
 */
export type CheckpointStore = BaseCheckpointSaver & {
  db?: Database.Database;
  timeline?: TimelineReads;
  /** Commits writes the saver has queued (SqliteCheckpointer's group commit) before `db` is read directly. */
  flushWrites?(): void;
};

/** The timeline from summary columns, without reading channel values. */
export interface TimelineReads {
  /** Newest first; `before` is exclusive. */
  summaries(threadId: string, options: { checkpointNs: string; limit: number; before?: string }): Promise<StoredSummary[]>;
  /** Every namespace, oldest first. */
  tree(threadId: string): Promise<StoredSummary[]>;
  /** The channels of the pending writes of a thread's checkpoints with ids from `fromId` to `toId`. */
  writeChannelsBetween(threadId: string, fromId: string, toId: string): Promise<{ checkpointNs: string; checkpointId: string; channel: string }[]>;
}

export const INTERRUPT_CHANNEL = "__interrupt__";
export const ERROR_CHANNEL = "__error__";

export function configFor(threadId: string, checkpointNs = "", checkpointId?: string) {
  return {
    configurable: {
      thread_id: threadId,
      checkpoint_ns: checkpointNs,
      ...(checkpointId === undefined ? {} : { checkpoint_id: checkpointId }),
    },
  };
}

export function tupleRef(tuple: CheckpointTuple): { threadId: string; checkpointNs: string; checkpointId: string } {
  const c = tuple.config.configurable ?? {};
  return {
    threadId: String(c.thread_id),
    checkpointNs: String(c.checkpoint_ns ?? ""),
    checkpointId: String(c.checkpoint_id ?? tuple.checkpoint.id),
  };
}

function summaryOfTuple(tuple: CheckpointTuple): StoredSummary {
  const ref = tupleRef(tuple);
  const metadata = (tuple.metadata ?? {}) as { step?: number; source?: string; writes?: Record<string, unknown> | null };
  return {
    ...ref,
    parentCheckpointId: (tuple.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null,
    step: metadata.step ?? -1,
    source: metadata.source ?? "",
    nodes: Object.keys(metadata.writes ?? {}).sort(),
    createdAt: tuple.checkpoint.ts,
    appliedAs: appliedAsOfMetadata(metadata),
  };
}

/**
 * Every checkpoint tuple of a thread in every namespace, oldest first (ids
 * are time-ordered), parents before their children.
 */
export async function allTuples(store: BaseCheckpointSaver, threadId: string): Promise<CheckpointTuple[]> {
  const tuples: CheckpointTuple[] = [];
  // No checkpoint_ns: every namespace.
  for await (const tuple of store.list({ configurable: { thread_id: threadId } })) tuples.push(tuple);
  tuples.sort((a, b) => compareIds(a.checkpoint.id, b.checkpoint.id));
  return tuples;
}

export class Checkpoints {
  constructor(readonly store: CheckpointStore) {}

  head(threadId: string, checkpointNs = ""): Promise<CheckpointTuple | undefined> {
    return this.store.getTuple(configFor(threadId, checkpointNs));
  }

  at(threadId: string, checkpointNs: string, checkpointId: string): Promise<CheckpointTuple | undefined> {
    return this.store.getTuple(configFor(threadId, checkpointNs, checkpointId));
  }

  /** Whether a checkpoint exists, without reading its values when SQL can tell. */
  async exists(threadId: string, checkpointNs: string, checkpointId: string): Promise<boolean> {
    const db = this.tables();
    if (db) {
      return (
        db
          .prepare(`SELECT 1 FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`)
          .get(threadId, checkpointNs, checkpointId) !== undefined
      );
    }
    return (await this.at(threadId, checkpointNs, checkpointId)) !== undefined;
  }

  /** Threadline's tables when the store is SqliteCheckpointer (or shares its file). */
  private tables(): Database.Database | undefined {
    this.store.flushWrites?.();
    const db = this.store.db;
    return db && hasTable(db, "tl_checkpoints") ? db : undefined;
  }

  /** Remembers the node an update was applied as (storage/as-node.ts); a saver without Threadline's tables cannot. */
  recordAsNode(threadId: string, checkpointNs: string, checkpointId: string, asNode: string): void {
    const db = this.tables();
    if (db && hasTable(db, "tl_as_node")) recordAsNode(db, threadId, checkpointNs, checkpointId, asNode);
  }

  /** Copies those records to a copy of the thread (same checkpoint ids), for its checkpoints that exist there. */
  copyAsNodes(fromThreadId: string, toThreadId: string): void {
    const db = this.tables();
    if (db && hasTable(db, "tl_as_node")) copyAsNodes(db, fromThreadId, toThreadId);
  }

  /**
   * A page's checkpoint ids, newest first as `summaries` lists them, each with its revision (see
   * storage/revisions.ts; null for a saver that cannot tell).
   */
  async pageRevisions(
    threadId: string,
    options: { checkpointNs: string; limit: number; before?: string },
  ): Promise<{ checkpointId: string; revision: string | null }[]> {
    const db = this.tables();
    if (db) return pageRevisions(db, threadId, options);
    return (await this.summaries(threadId, options)).map((s) => ({ checkpointId: s.checkpointId, revision: null }));
  }

  /** Newest first; `before` is exclusive; `oldest`: the oldest page (what End shows) instead of the newest. */
  async summaries(
    threadId: string,
    options: { checkpointNs: string; limit: number; before?: string; oldest?: boolean },
  ): Promise<CheckpointSummary[]> {
    const db = this.tables();
    const rows = db
      ? checkpointSummaries(db, threadId, options)
      : options.oldest
        ? await this.oldestBySaver(threadId, options)
        : await this.summariesOf(threadId, options);
    return this.withInterrupts(threadId, rows);
  }

  /** A page of summary rows from an opened store's summary columns, or from any saver's `list`. */
  private async summariesOf(threadId: string, options: { checkpointNs: string; limit: number; before?: string }): Promise<StoredSummary[]> {
    if (this.store.timeline) return this.store.timeline.summaries(threadId, options);
    const rows: StoredSummary[] = [];
    const listOptions = {
      limit: options.limit,
      ...(options.before ? { before: configFor(threadId, options.checkpointNs, options.before) } : {}),
    };
    for await (const tuple of this.store.list(configFor(threadId, options.checkpointNs), listOptions)) {
      rows.push(summaryOfTuple(tuple));
    }
    return rows;
  }

  /** The oldest page where no SQL reads it directly: every page in turn, keeping the last `limit` rows. */
  private async oldestBySaver(threadId: string, options: { checkpointNs: string; limit: number }): Promise<StoredSummary[]> {
    let kept: StoredSummary[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.summariesOf(threadId, { checkpointNs: options.checkpointNs, limit: 1000, before });
      kept = [...kept, ...page].slice(-options.limit);
      if (page.length < 1000) return kept;
      before = page[page.length - 1]!.checkpointId;
    }
  }

  /** Every checkpoint of the thread, oldest first, parents before children. */
  async tree(threadId: string): Promise<CheckpointTreeNode[]> {
    const db = this.tables();
    const rows = db
      ? checkpointTree(db, threadId)
      : this.store.timeline
        ? await this.store.timeline.tree(threadId)
        : (await allTuples(this.store, threadId)).map(summaryOfTuple);
    const summaries = await this.withInterrupts(threadId, rows);
    return withParentRoots(summaries, await this.subgraphStarts(threadId));
  }

  /**
   * For each subgraph checkpoint, the root checkpoint its step started from, as LangGraph records it
   * (`metadata.parents[""]`); empty for a saver without SQL, where the ids' time order stands in.
   */
  private async subgraphStarts(threadId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const db = this.store.db;
    if (!db || !hasTable(db, "tl_checkpoints")) return out;
    const rows = db
      .prepare(`SELECT checkpoint_ns, checkpoint_id, metadata_type, metadata FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns != ''`)
      .all(threadId) as { checkpoint_ns: string; checkpoint_id: string; metadata_type: string; metadata: Buffer }[];
    for (const row of rows) {
      const metadata = (await loadValue(this.store.serde, row.metadata_type, row.metadata)) as { parents?: Record<string, unknown> } | null;
      const start = metadata?.parents?.[""];
      if (typeof start === "string") out.set(`${row.checkpoint_ns}\0${row.checkpoint_id}`, start);
    }
    return out;
  }

  /** Marks the summaries whose checkpoint has a pending interrupt write, and says what each step changed. */
  private async withInterrupts(threadId: string, rows: StoredSummary[]): Promise<CheckpointSummary[]> {
    const interrupted = await this.interruptedIds(threadId, rows);
    const changes = await this.changesOf(threadId, rows);
    const appliedAs = forksNamedByParents(rows);
    return rows.map((r) => ({
      checkpointId: r.checkpointId,
      checkpointNs: r.checkpointNs,
      parentCheckpointId: r.parentCheckpointId,
      step: r.step,
      source: r.source,
      nodes: r.nodes,
      createdAt: r.createdAt,
      ...(appliedAs.get(r)?.length ? { appliedAs: appliedAs.get(r) } : {}),
      hasInterrupts: interrupted.has(`${r.checkpointNs}\0${r.checkpointId}`),
      // A fork is a copy of its parent: the parent's writes belong to the parent's own child, not to it.
      changes: (r.source !== "fork" && r.parentCheckpointId && changes.get(`${r.checkpointNs}\0${r.parentCheckpointId}`)) || "",
    }));
  }

  /**
   * What each step wrote, by the checkpoint it started from: the tasks' writes stay on that checkpoint,
   * so a page reads the writes of its rows' parents (no channel values of the states). One key lookup per
   * parent: a range from the oldest to the newest parent would read every write between, and a page
   * that holds a branch replayed from an old checkpoint spans most of the thread.
   */
  private async changesOf(threadId: string, rows: StoredSummary[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const db = this.store.db;
    if (!db || !hasTable(db, "tl_writes")) return out;
    const select = statement(
      db,
      `SELECT channel, type, value FROM tl_writes
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ORDER BY task_path, task_id, idx`,
    );
    const parents = new Set(rows.filter((r) => r.parentCheckpointId).map((r) => `${r.checkpointNs}\0${r.parentCheckpointId}`));
    for (const key of parents) {
      const [ns, checkpointId] = key.split("\0") as [string, string];
      const found = select.all(threadId, ns, checkpointId) as { channel: string; type: string; value: Buffer | null }[];
      if (found.length === 0) continue;
      const writes: WriteForSummary[] = [];
      for (const w of found) {
        // JSON as stored (inflated when compressed) is enough to name message classes and show short values:
        // reviving each write into LangChain objects is not needed.
        const stored = unpack(w.type, w.value);
        const value = w.channel.startsWith("__") ? null : stored.type === "json" && stored.value ? JSON.parse(stored.value.toString("utf8")) : await loadValue(this.store.serde, w.type, w.value);
        writes.push({ channel: w.channel, value });
      }
      out.set(key, summarizeWrites(writes));
    }
    return out;
  }

  /**
   * What the thread was started with, for a title: the first human message written to its root graph,
   * else the first text value of its first input ("topic: tidal energy"); null when neither.
   */
  async firstInputText(threadId: string): Promise<string | null> {
    const db = this.store.db;
    if (!db || !hasTable(db, "tl_writes")) return null;
    const rows = db
      .prepare(
        `SELECT checkpoint_id, channel, type, value FROM tl_writes WHERE thread_id = ? AND checkpoint_ns = ''
         AND substr(channel, 1, 2) != '__' AND substr(channel, 1, 7) != 'branch:' ORDER BY checkpoint_id, task_id, idx LIMIT 8`,
      )
      .all(threadId) as { checkpoint_id: string; channel: string; type: string; value: Buffer | null }[];
    const firstInput = rows[0]?.checkpoint_id;
    let fallback: string | null = null;
    for (const row of rows) {
      const value = await loadValue(this.store.serde, row.type, row.value);
      if (row.channel === "messages") {
        const text = firstHumanText(value);
        if (text) return text;
      } else if (fallback === null && row.checkpoint_id === firstInput && typeof value === "string" && value.trim()) {
        fallback = `${row.channel}: ${value.trim().replace(/\s+/g, " ")}`;
      }
    }
    return fallback;
  }

  private async interruptedIds(threadId: string, rows: StoredSummary[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (rows.length === 0) return found;
    const db = this.tables();
    if (db && hasTable(db, "tl_writes")) {
      // The id range of the rows keeps a history page from reading the whole thread's writes.
      const ids = rows.map((r) => r.checkpointId).sort(compareIds);
      const hits = db
        .prepare(
          `SELECT DISTINCT checkpoint_ns, checkpoint_id FROM tl_writes
           WHERE thread_id = ? AND checkpoint_id BETWEEN ? AND ? AND channel = ?`,
        )
        .all(threadId, ids[0], ids[ids.length - 1], INTERRUPT_CHANNEL) as { checkpoint_ns: string; checkpoint_id: string }[];
      for (const h of hits) found.add(`${h.checkpoint_ns}\0${h.checkpoint_id}`);
      return found;
    }
    if (this.store.timeline) {
      const ids = rows.map((r) => r.checkpointId).sort(compareIds);
      for (const w of await this.store.timeline.writeChannelsBetween(threadId, ids[0]!, ids[ids.length - 1]!)) {
        if (w.channel === INTERRUPT_CHANNEL) found.add(`${w.checkpointNs}\0${w.checkpointId}`);
      }
      return found;
    }
    for (const r of rows) {
      const tuple = await this.at(threadId, r.checkpointNs, r.checkpointId);
      if (tuple?.pendingWrites?.some(([, channel]) => channel === INTERRUPT_CHANNEL)) {
        found.add(`${r.checkpointNs}\0${r.checkpointId}`);
      }
    }
    return found;
  }

  /** Channels of the pending writes at a checkpoint (interrupt, error…), without reading values when SQL can. */
  async writeChannels(threadId: string, checkpointNs: string, checkpointId: string): Promise<Set<string>> {
    const db = this.tables();
    if (db && hasTable(db, "tl_writes")) {
      const rows = db
        .prepare(
          `SELECT DISTINCT channel FROM tl_writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
        )
        .all(threadId, checkpointNs, checkpointId) as { channel: string }[];
      return new Set(rows.map((r) => r.channel));
    }
    if (this.store.timeline) {
      const rows = await this.store.timeline.writeChannelsBetween(threadId, checkpointId, checkpointId);
      return new Set(rows.filter((r) => r.checkpointNs === checkpointNs).map((r) => r.channel));
    }
    const tuple = await this.at(threadId, checkpointNs, checkpointId);
    return new Set((tuple?.pendingWrites ?? []).map(([, channel]) => channel));
  }
}

/**
 * What each row was applied as; a fork that its source could not name (a store opened in place, a
 * saver without SQL) gets the writers of its parent when the parent is among the rows.
 */
function forksNamedByParents(rows: StoredSummary[]): Map<StoredSummary, string[]> {
  const byKey = new Map(rows.map((r) => [`${r.checkpointNs}\0${r.checkpointId}`, r]));
  const out = new Map<StoredSummary, string[]>();
  for (const r of rows) {
    const parent = r.source === "fork" && r.appliedAs.length === 0 && r.parentCheckpointId ? byKey.get(`${r.checkpointNs}\0${r.parentCheckpointId}`) : undefined;
    out.set(r, parent ? parent.nodes : r.appliedAs);
  }
  return out;
}

const tableCache = new WeakMap<Database.Database, Set<string>>();

function hasTable(db: Database.Database, name: string): boolean {
  let known = tableCache.get(db);
  if (!known) tableCache.set(db, (known = new Set()));
  if (known.has(name)) return true;
  const found = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  if (found) known.add(name);
  return found;
}
