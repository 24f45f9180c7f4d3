// The thread list of an opened store, kept in memory. Savers keep no thread table, so one pass over
// the primary key finds each thread's head (index-only: ids, no values); the list is sorted by the
// heads' times, and a page or a count then costs nothing. Metadata (the head checkpoint's) is read
// only for the threads a page shows, or for all of them once a search filters by it.

import type { JsonObject } from "../../shared/encoding";
import { jsonContains as contains } from "../../shared/json-contains";
import type { StoreThread, ThreadQuery } from "./types";
import { uuid6Time } from "./uuid6";

/** One thread's head, found by the backend's pass over the primary key. */
export interface HeadRow {
  threadId: string;
  headId: string;
  headNs: string;
  /** Writes at the head: a change here (an interrupt, a resume) changes the thread without a new checkpoint. */
  headWrites: number;
}

interface Entry {
  head: HeadRow;
  updatedAt: string;
  /** Read with the metadata: the thread's first checkpoint, and the head's metadata. */
  details: ThreadDetails | undefined;
}

/** What a page shows beyond the heads: the head's metadata and when the thread began (its first checkpoint's id). */
export interface ThreadDetails {
  metadata: JsonObject;
  firstId: string;
}

export type MetadataLoader = (heads: HeadRow[]) => Promise<Map<string, ThreadDetails>>;

const BATCH = 1000;
const signature = (h: HeadRow) => `${h.headNs}\0${h.headId}\0${h.headWrites}`;

export class ThreadIndex {
  private entries: Entry[] = [];
  private byId = new Map<string, Entry>();

  constructor(private readonly loadMetadata: MetadataLoader) {}

  /** Replaces the heads; answers the threads that are new, gone, or whose head or head writes changed. */
  replace(heads: HeadRow[], first: boolean): string[] {
    const before = this.byId;
    const changed: string[] = [];
    const entries = heads.map((head): Entry => {
      const old = before.get(head.threadId);
      if (!old || signature(old.head) !== signature(head)) changed.push(head.threadId);
      const updatedAt = uuid6Time(head.headId) ?? "";
      const keep = old && old.head.headId === head.headId && old.head.headNs === head.headNs;
      return { head, updatedAt, details: keep ? old.details : undefined };
    });
    // Newest first: by the head's time, then by id for a stable order.
    entries.sort((a, b) =>
      a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a.head.threadId < b.head.threadId ? -1 : 1,
    );
    this.entries = entries;
    this.byId = new Map(entries.map((e) => [e.head.threadId, e]));
    for (const id of before.keys()) if (!this.byId.has(id)) changed.push(id);
    return first ? [] : changed;
  }

  private async withMetadata(entries: Entry[]): Promise<void> {
    const missing = entries.filter((e) => e.details === undefined);
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const loaded = await this.loadMetadata(batch.map((e) => e.head));
      for (const e of batch) e.details = loaded.get(e.head.threadId) ?? { metadata: {}, firstId: e.head.headId };
    }
  }

  private thread(e: Entry): StoreThread {
    const createdAt = (e.details && uuid6Time(e.details.firstId)) ?? e.updatedAt;
    return { threadId: e.head.threadId, headCheckpointId: e.head.headId, createdAt, updatedAt: e.updatedAt, metadata: e.details?.metadata ?? {} };
  }

  private async matching(query: Omit<ThreadQuery, "limit" | "offset">): Promise<Entry[]> {
    let entries = query.idPrefix ? this.entries.filter((e) => e.head.threadId.startsWith(query.idPrefix!)) : this.entries;
    if (query.metadata) {
      await this.withMetadata(entries);
      entries = entries.filter((e) => contains(e.details?.metadata, query.metadata!));
    }
    return entries;
  }

  async page(query: ThreadQuery): Promise<StoreThread[]> {
    const page = (await this.matching(query)).slice(query.offset, query.offset + query.limit);
    await this.withMetadata(page);
    return page.map((e) => this.thread(e));
  }

  async count(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number> {
    return (await this.matching(query)).length;
  }

  async get(threadId: string): Promise<StoreThread | undefined> {
    const entry = this.byId.get(threadId);
    if (!entry) return undefined;
    await this.withMetadata([entry]);
    return this.thread(entry);
  }
}
