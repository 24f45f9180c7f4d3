// The thread list of an opened store. Savers keep no thread table, and their only index is the
// primary key (thread_id, checkpoint_ns, checkpoint_id), so threads are listed in that order: a page
// is the next few distinct thread ids after a cursor (a skip-scan, a few index probes per thread),
// and only those threads are summarised (head, first checkpoint, metadata). No page costs more than
// the threads it shows, however many threads or checkpoints the store holds.
//
// The contract pages by offset; the cursor where each page ended is kept, so the next page resumes
// there (keyset) instead of walking past the threads before it. A thread written meanwhile in
// between is not shown twice nor shifts the pages after it.

import type { JsonObject } from "../../shared/encoding";
import { jsonContains as contains } from "../../shared/json-contains";
import type { StoreThread, ThreadQuery } from "./types";
import { uuid6Time } from "./uuid6";

/** One thread's head, found by the backend's walk over the primary key. */
export interface HeadRow {
  threadId: string;
  headId: string;
  headNs: string;
  /** Writes at the head: a change here (an interrupt, a resume) changes the thread without a new checkpoint. */
  headWrites: number;
  /** Read with the head when asked for (`details`): one round trip for a page. */
  details?: ThreadDetails;
}

/** What a page shows beyond the heads: the head's metadata and when the thread began (its first checkpoint's id). */
export interface ThreadDetails {
  metadata: JsonObject;
  firstId: string;
  /** Checkpoints in every namespace. */
  checkpointCount: number;
}

export interface ThreadsOptions {
  after?: string;
  from?: string;
  limit: number;
  /** The watcher's walk: on its own session where there is one. */
  background?: boolean;
  /** Each thread's details with its head (what a page shows). */
  details?: boolean;
}

/** What the list reads from the store. */
export interface ThreadSource {
  /**
   * Up to `limit` threads in primary-key order: after `after` (exclusive) or from `from`
   * (inclusive, only when `bytewise`), with their heads.
   */
  readThreads(options: ThreadsOptions): Promise<HeadRow[]>;
  readThread(threadId: string): Promise<HeadRow | undefined>;
  details(heads: HeadRow[]): Promise<Map<string, ThreadDetails>>;
  /** Distinct thread ids (a skip-scan over the key). */
  countThreads(): Promise<number>;
  /** Whether ids compare byte by byte (SQLite's BINARY, PostgreSQL's C): then a prefix's threads are one range. */
  bytewise: boolean;
}

const BATCH = 500;
// Small steps: a page asked for meanwhile waits for one at most (SQLite answers each one synchronously).
const WALK = 250;
const QUERIES_KEPT = 16;
const CURSORS_KEPT = 2000;

interface Found {
  head: HeadRow;
  details?: ThreadDetails;
}

export class ThreadList {
  /** Per query: offset → the id of the thread just before it. */
  private cursors = new Map<string, Map<number, string>>();
  private counts = new Map<string, number>();
  private single = new Map<string, StoreThread | null>();

  constructor(private readonly source: ThreadSource) {}

  /** The store changed: counts and single threads are read again; cursors still hold (keys stay ordered). */
  changed(): void {
    this.counts.clear();
    this.single.clear();
  }

  private cursorsFor(key: string): Map<number, string> {
    let map = this.cursors.get(key);
    if (!map) {
      if (this.cursors.size >= QUERIES_KEPT) this.cursors.delete(this.cursors.keys().next().value!);
      this.cursors.set(key, (map = new Map()));
    }
    return map;
  }

  /**
   * Walks the matching threads from the cursor nearest below `offset`, skipping up to `offset` and
   * keeping `limit` (all when Infinity).
   */
  private async walk(query: Omit<ThreadQuery, "limit" | "offset">, offset: number, limit: number): Promise<Found[]> {
    const key = JSON.stringify([query.idPrefix ?? "", query.metadata ?? null]);
    const cursors = this.cursorsFor(key);
    let at = 0;
    let after: string | undefined;
    for (const [o, id] of cursors) if (o <= offset && o > at) [at, after] = [o, id];
    const prefix = query.idPrefix ?? "";
    // Byte order puts every id with the prefix in one range: start there and stop at its end.
    let from = prefix && this.source.bytewise && after === undefined ? prefix : undefined;
    // Without a filter that drops threads, exactly the threads still wanted are read.
    const filtering = query.metadata !== undefined || (prefix !== "" && !this.source.bytewise);
    const kept: Found[] = [];
    for (;;) {
      const size = filtering ? BATCH : Math.min(BATCH, Math.max(1, offset - at + limit - kept.length));
      // Unfiltered and past the threads skipped, every thread read is shown: its details come with it.
      const shown = !filtering && at >= offset && Number.isFinite(limit);
      const rows = await this.source.readThreads({ after, from, limit: size, details: shown });
      from = undefined;
      let found: Found[] = rows.map(({ details, ...head }) => ({ head, details }));
      let end = rows.length < size;
      if (prefix) {
        const inRange = found.filter((f) => f.head.threadId.startsWith(prefix));
        if (this.source.bytewise && inRange.length < found.length) end = true;
        found = inRange;
      }
      if (query.metadata && found.length > 0) {
        const details = await this.source.details(found.map((f) => f.head));
        for (const f of found) f.details = details.get(f.head.threadId);
        found = found.filter((f) => f.details && contains(f.details.metadata, query.metadata!));
      }
      for (const f of found) {
        if (kept.length >= limit) break;
        if (at++ >= offset) kept.push(f);
        after = f.head.threadId;
      }
      if (rows.length > 0 && kept.length < limit) after = rows[rows.length - 1]!.threadId;
      if (kept.length >= limit || end) break;
    }
    if (after !== undefined && Number.isFinite(limit) && cursors.size < CURSORS_KEPT) cursors.set(at, after);
    return kept;
  }

  private thread(f: Found): StoreThread {
    const updatedAt = uuid6Time(f.head.headId) ?? "";
    const createdAt = (f.details && uuid6Time(f.details.firstId)) ?? updatedAt;
    return {
      threadId: f.head.threadId,
      headCheckpointId: f.head.headId,
      createdAt,
      updatedAt,
      metadata: f.details?.metadata ?? {},
      headWrites: f.head.headWrites,
      checkpointCount: f.details?.checkpointCount ?? 0,
    };
  }

  private async withDetails(found: Found[]): Promise<StoreThread[]> {
    const missing = found.filter((f) => !f.details);
    if (missing.length > 0) {
      const details = await this.source.details(missing.map((f) => f.head));
      for (const f of missing) f.details = details.get(f.head.threadId) ?? { metadata: {}, firstId: f.head.headId, checkpointCount: 0 };
    }
    return found.map((f) => this.thread(f));
  }

  async page(query: ThreadQuery): Promise<StoreThread[]> {
    if (query.limit <= 0) return [];
    return this.withDetails(await this.walk(query, query.offset, query.limit));
  }

  async count(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number> {
    const key = JSON.stringify([query.idPrefix ?? "", query.metadata ?? null]);
    let n = this.counts.get(key);
    if (n === undefined) {
      n = query.idPrefix || query.metadata ? (await this.walk(query, 0, Infinity)).length : await this.source.countThreads();
      this.counts.set(key, n);
    }
    return n;
  }

  async get(threadId: string): Promise<StoreThread | undefined> {
    let thread = this.single.get(threadId);
    if (thread === undefined) {
      const head = await this.source.readThread(threadId);
      thread = head ? (await this.withDetails([{ head }]))[0]! : null;
      if (this.single.size >= CURSORS_KEPT) this.single.clear();
      this.single.set(threadId, thread);
    }
    return thread ?? undefined;
  }
}

/** Every thread's head signature, to tell which threads a poll finds changed. */
export class HeadSignatures {
  private known: Map<string, string> | undefined;

  /** Answers the threads that are new, gone, or whose head or head writes changed (none the first time). */
  async diff(source: ThreadSource): Promise<string[]> {
    const now = new Map<string, string>();
    let after: string | undefined;
    for (;;) {
      const rows = await source.readThreads({ after, limit: WALK, background: true });
      for (const h of rows) now.set(h.threadId, `${h.headNs}\0${h.headId}\0${h.headWrites}`);
      if (rows.length < WALK) break;
      after = rows[rows.length - 1]!.threadId;
      // A synchronous backend (SQLite) answered at once: let the requests waiting meanwhile in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const before = this.known;
    this.known = now;
    if (!before) return [];
    const changed = [...now].filter(([id, sig]) => before.get(id) !== sig).map(([id]) => id);
    for (const id of before.keys()) if (!now.has(id)) changed.push(id);
    return changed;
  }
}
