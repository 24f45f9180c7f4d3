// The store (LangGraph's long-term memory) as the contract carries it: items with their values in
// Threadline's encoding, and the writes a run made, for its event log.

import type { JsonValue } from "./encoding";

export interface StoreItemInfo {
  namespace: string[];
  key: string;
  /** Encoded (encoding.ts). */
  value: JsonValue;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** Semantic search only: how close the item is to the query (cosine similarity). */
  score?: number;
}

/** One put or delete, as a run's event log shows it. */
export type StoreWriteInfo =
  | { op: "put"; namespace: string[]; key: string; value: JsonValue }
  | { op: "delete"; namespace: string[]; key: string };

/** What the open project's store can do, for the UI. */
export interface StoreCapabilities {
  /** langgraph.json configures `store.index`: search by meaning works. */
  semanticSearch: boolean;
  /** The field paths embedded by default. */
  indexedFields: string[];
  /** langgraph.json's `store.ttl.default_ttl`, minutes. */
  defaultTtlMinutes: number | null;
}
