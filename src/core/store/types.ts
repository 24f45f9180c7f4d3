// The store's operations and results, in LangGraph's own shapes (structurally the same as
// `@langchain/langgraph-checkpoint`'s types in every supported line), plus what Threadline adds:
// a TTL per put, and the writes a batch made, for a run's event log.

import type { JsonValue } from "../../shared/encoding";

export interface StoreItem {
  namespace: string[];
  key: string;
  value: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoreSearchItem extends StoreItem {
  score?: number;
}

export interface GetOp {
  namespace: string[];
  key: string;
}

export interface SearchOp {
  namespacePrefix: string[];
  filter?: Record<string, unknown>;
  limit?: number;
  offset?: number;
  query?: string;
}

export interface PutOp {
  namespace: string[];
  key: string;
  /** null deletes the item. */
  value: Record<string, unknown> | null;
  /** false: not indexed; a list of field paths: these instead of langgraph.json's `fields`. */
  index?: false | string[] | null;
  /** Minutes until the item expires; null never; absent: langgraph.json's `store.ttl.default_ttl`. */
  ttl?: number | null;
}

export interface MatchCondition {
  matchType: "prefix" | "suffix";
  path: (string | "*")[];
}

export interface ListNamespacesOp {
  matchConditions?: MatchCondition[];
  maxDepth?: number;
  limit: number;
  offset: number;
}

export type StoreOp = GetOp | SearchOp | PutOp | ListNamespacesOp;
export type StoreResult = StoreItem | null | StoreSearchItem[] | string[][] | undefined;

/** What LangGraph's embeddings interface offers (an `Embeddings` of @langchain/core, or the project's own). */
export interface EmbeddingsLike {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

export interface StoreIndex {
  dims: number;
  embeddings: EmbeddingsLike;
  /** Field paths embedded by default; the whole value ("$") when absent. */
  fields?: string[];
}

export interface StoreTtl {
  /** Minutes an item lives when its put names no TTL; null: forever. */
  defaultTtl: number | null;
  /** Reading an item (get, search) restarts its TTL; on unless turned off. */
  refreshOnRead: boolean;
  /** How often expired items are deleted; expired items are invisible at once either way. */
  sweepIntervalMinutes: number | null;
}

/** One write of a batch: the value as Threadline's encoding, for the event log. */
export type StoreWrite =
  | { op: "put"; namespace: string[]; key: string; value: JsonValue }
  | { op: "delete"; namespace: string[]; key: string };

export interface StoreOptions {
  index?: StoreIndex;
  ttl?: StoreTtl;
  /** Told after each batch that wrote something (a run's writes land in its event log). */
  onWrite?: (writes: StoreWrite[]) => void;
  /** Milliseconds since the epoch (tests move time for TTLs). */
  now?: () => number;
}
