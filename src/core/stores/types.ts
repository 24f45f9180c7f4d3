// What a checkpoint store opened in place (a LangGraph saver's SQLite file or
// PostgreSQL database) answers: LangGraph's saver interface for reading (the
// engine's snapshot, tree and diff code reads through it), the timeline's
// summary queries, the thread list, and a cheap signal of change. Writing is
// refused: nothing is ever written to an opened store.

import type { CheckpointStore, StoredSummary } from "../threads/checkpoint-store";
import type { JsonObject } from "../../shared/encoding";

export type StoreKind = "sqlite" | "postgres";

/** A thread of an opened store, as its checkpoints tell it (savers keep no thread table). */
export interface StoreThread {
  threadId: string;
  /** The newest checkpoint of the root namespace. */
  headCheckpointId: string;
  /** ISO 8601, from the first and the newest checkpoint's ids (uuid6). */
  createdAt: string;
  updatedAt: string;
  /** The head checkpoint's metadata without LangGraph's own keys (source, step, parents, writes). */
  metadata: JsonObject;
  /** Pending writes at the head (none: the thread is idle, nothing more to read for its status). */
  headWrites: number;
  /** Checkpoints in every namespace. */
  checkpointCount: number;
}

export interface ThreadQuery {
  idPrefix?: string;
  metadata?: JsonObject;
  limit: number;
  offset: number;
}

export type OpenedStore = CheckpointStore & {
  readonly kind: StoreKind;
  /** What the user opened: the file, or the connection string without its password. */
  readonly label: string;
  listCheckpointSummaries(threadId: string, options?: { checkpointNs?: string; limit?: number; before?: string }): Promise<StoredSummary[]>;
  getCheckpointTree(threadId: string): Promise<StoredSummary[]>;
  /** By thread id, in the store's primary-key order (savers keep no thread table to sort by time). */
  threads(query: ThreadQuery): Promise<StoreThread[]>;
  countThreads(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number>;
  thread(threadId: string): Promise<StoreThread | undefined>;
  /** Checkpoints of a thread in every namespace. */
  countCheckpoints(threadId: string): Promise<number>;
  /**
   * Looks for changes (cheap when there are none) and answers the threads that changed since the
   * last call: new checkpoints, new writes, new threads.
   */
  poll(): Promise<string[]>;
  close(): Promise<void>;
};

/** Thrown by every writing method of an opened store. */
export class ReadOnlyStoreError extends Error {
  constructor(label: string) {
    super(`${label} is opened read-only: Threadline never writes to an opened checkpoint store. Copy the thread into Threadline to change it.`);
    this.name = "ReadOnlyStoreError";
  }
}
