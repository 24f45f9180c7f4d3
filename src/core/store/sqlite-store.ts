// The store itself: LangGraph's store operations (get, search, put, listNamespaces) over the
// tables of storage/store-migrations.ts, answering as LangGraph's InMemoryStore answers — the store `langgraph dev`
// gives graphs — down to order and pagination, so that a project sees the same memories here.
// It holds no LangGraph class: store-class.ts puts it behind the BaseStore of the project's line.
//
// A batch answers every read as of before the batch (as InMemoryStore does), then applies its
// writes in one transaction; a put that cannot be written (bad namespace, value that cannot be
// serialized, embeddings that failed) fails the batch before anything is written.

import type Database from "better-sqlite3";
import type { JsonValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import { matchesFilter } from "./filter";
import { textsAt } from "./field-text";
import {
  deleteItem,
  ensureNamespace,
  findItem,
  itemsUnder,
  refreshExpiry,
  sweepExpired,
  upsertItem,
  type ItemRow,
} from "./items-table";
import { checkNamespace, namespaceFromPath } from "./namespace";
import { listNamespaces } from "./namespace-listing";
import type {
  GetOp,
  ListNamespacesOp,
  PutOp,
  SearchOp,
  StoreItem,
  StoreOp,
  StoreOptions,
  StoreResult,
  StoreSearchItem,
  StoreWrite,
} from "./types";
import { encodeStoreValue, reviveStoreValue } from "./values";
import { itemsWithVectors, loadVectorExtension, rankVectors, replaceVectors, type FieldVector } from "./vectors-table";

const DEFAULT_SEARCH_LIMIT = 10;
const MINUTE = 60_000;

const isGet = (op: StoreOp): op is GetOp => "key" in op && !("value" in op) && "namespace" in op;
const isSearch = (op: StoreOp): op is SearchOp => "namespacePrefix" in op;
const isPut = (op: StoreOp): op is PutOp => "value" in op && "namespace" in op;
const isListNamespaces = (op: StoreOp): op is ListNamespacesOp => "limit" in op && !("namespacePrefix" in op) && !("namespace" in op);

/** A put ready to write: checked, encoded, with its texts embedded. */
interface PreparedPut {
  op: PutOp;
  text: string | null;
  vectors: FieldVector[] | null;
}

export class SqliteStoreEngine {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    readonly db: Database.Database,
    private readonly options: StoreOptions = {},
  ) {
    if (options.index) loadVectorExtension(db);
  }

  get indexed(): boolean {
    return this.options.index !== undefined;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async batch(ops: readonly StoreOp[]): Promise<StoreResult[]> {
    for (const op of ops) this.checkOp(op);
    const puts = this.latestPuts(ops);
    const prepared = await this.preparePuts(puts);
    const queries = await this.embedQueries(ops);

    const now = this.now();
    const writes: StoreWrite[] = [];
    const results = this.db.transaction(() => {
      const answers = ops.map((op) => this.read(op, now, queries));
      const updated = new Map<string, { text: string; at: string }>();
      for (const put of prepared) {
        const { write, update } = this.write(put, now);
        writes.push(write);
        if (update) updated.set(itemId(put.op), update);
      }
      // InMemoryStore's get answers with its live item, which a later put of the same batch updates in place.
      ops.forEach((op, i) => {
        const update = isGet(op) && answers[i] ? updated.get(itemId(op)) : undefined;
        if (update) answers[i] = { ...(answers[i] as StoreItem), value: reviveStoreValue(update.text), updatedAt: new Date(update.at) };
      });
      return answers;
    })();
    if (writes.length > 0) this.options.onWrite?.(writes);
    return results;
  }

  /** Starts deleting expired items every `sweep_interval_minutes` (langgraph.json `store.ttl`). */
  start(): void {
    const minutes = this.options.ttl?.sweepIntervalMinutes;
    if (!minutes || this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), minutes * MINUTE);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  sweep(): number {
    return sweepExpired(this.db, this.now());
  }

  // -- checks and preparation (nothing written yet)

  private checkOp(op: StoreOp): void {
    if (isPut(op)) {
      checkNamespace(op.namespace);
      if (typeof op.key !== "string" || op.key === "") throw new ThreadlineError("INVALID_ARGUMENT", "A store item's key must be a non-empty string");
    } else if (isGet(op)) {
      checkNamespace(op.namespace, { allowEmpty: true, allowReservedRoot: true });
    } else if (isSearch(op)) {
      checkNamespace(op.namespacePrefix, { allowEmpty: true, allowReservedRoot: true }, "namespace prefix");
    } else if (!isListNamespaces(op)) {
      throw new ThreadlineError("INVALID_ARGUMENT", `Unknown store operation: ${JSON.stringify(Object.keys(op))}`);
    }
  }

  /** The last put for each item, in the order items were first named (InMemoryStore applies puts so). */
  private latestPuts(ops: readonly StoreOp[]): PutOp[] {
    const byItem = new Map<string, PutOp>();
    for (const op of ops) if (isPut(op)) byItem.set(itemId(op), op);
    return [...byItem.values()];
  }

  private async preparePuts(puts: readonly PutOp[]): Promise<PreparedPut[]> {
    const prepared = puts.map((op) => ({ op, text: op.value === null ? null : encodeStoreValue(op.value), vectors: null as FieldVector[] | null }));
    const index = this.options.index;
    if (!index) return prepared;
    // One embedding per distinct text across the batch.
    const wanted = new Map<string, { put: PreparedPut; field: string }[]>();
    for (const put of prepared) {
      if (put.op.value === null || put.op.index === false) continue;
      put.vectors = [];
      for (const path of put.op.index ?? index.fields ?? ["$"]) {
        const texts = textsAt(put.op.value, path);
        texts.forEach((text, i) => {
          const uses = wanted.get(text) ?? [];
          uses.push({ put, field: texts.length > 1 ? `${path}.${i}` : path });
          wanted.set(text, uses);
        });
      }
    }
    if (wanted.size === 0) return prepared;
    const texts = [...wanted.keys()];
    const vectors = await this.embed(() => index.embeddings.embedDocuments(texts), texts.length);
    texts.forEach((text, i) => {
      for (const use of wanted.get(text)!) use.put.vectors!.push({ field: use.field, vector: vectors[i]! });
    });
    // The same field named twice keeps its last embedding, as a map by field would.
    for (const put of prepared) {
      if (put.vectors) put.vectors = [...new Map(put.vectors.map((v) => [v.field, v])).values()];
    }
    return prepared;
  }

  private async embedQueries(ops: readonly StoreOp[]): Promise<Map<string, number[]>> {
    const index = this.options.index;
    const queries = [...new Set(ops.filter(isSearch).map((op) => op.query).filter((q): q is string => !!q))];
    const vectors = new Map<string, number[]>();
    if (!index || queries.length === 0) return vectors;
    const embedded = await Promise.all(queries.map((q) => this.embed(async () => [await index.embeddings.embedQuery(q)], 1)));
    queries.forEach((q, i) => vectors.set(q, embedded[i]![0]!));
    return vectors;
  }

  private async embed(call: () => Promise<number[][]>, expected: number): Promise<number[][]> {
    const dims = this.options.index!.dims;
    let vectors: number[][];
    try {
      vectors = await call();
    } catch (error) {
      throw new ThreadlineError("UNAVAILABLE", `The store's embeddings failed: ${(error as Error).message}; nothing was written`);
    }
    const bad = !Array.isArray(vectors) || vectors.length !== expected ? "a wrong number of vectors" : vectors.find((v) => !Array.isArray(v) || v.length !== dims);
    if (bad) {
      const got = typeof bad === "string" ? bad : `a vector of ${Array.isArray(bad) ? bad.length : typeof bad} numbers`;
      throw new ThreadlineError("INVALID_ARGUMENT", `The store's embeddings returned ${got}; langgraph.json's store.index.dims is ${dims}`);
    }
    return vectors;
  }

  // -- reads, as of before the batch's writes

  private read(op: StoreOp, now: number, queries: Map<string, number[]>): StoreResult {
    if (isPut(op)) return null;
    if (isGet(op)) {
      const row = findItem(this.db, op.namespace, op.key, now);
      if (row) this.refresh([row], now);
      return row ? toItem(row) : null;
    }
    if (isSearch(op)) return this.search(op, now, queries.get(op.query ?? ""));
    return listNamespaces(this.db, op as ListNamespacesOp);
  }

  private refresh(rows: readonly ItemRow[], now: number): void {
    if (this.options.ttl?.refreshOnRead === false) return;
    const expiring = rows.filter((r) => r.ttl_minutes !== null).map((r) => r.seq);
    if (expiring.length > 0) refreshExpiry(this.db, expiring, now);
  }

  private search(op: SearchOp, now: number, query: number[] | undefined): StoreSearchItem[] {
    const offset = op.offset ?? 0;
    const limit = op.limit ?? DEFAULT_SEARCH_LIMIT;
    const matching = (function* (rows: IterableIterator<ItemRow>) {
      for (const row of rows) {
        // Without a filter a value is revived only when it is on the page.
        const value = op.filter ? reviveStoreValue(row.value) : undefined;
        if (!value || matchesFilter(value, op.filter)) yield { row, value };
      }
    })(itemsUnder(this.db, op.namespacePrefix, now));

    let found: { row: ItemRow; value?: Record<string, unknown>; score?: number }[];
    if (query) {
      found = this.rank([...matching], query, offset, limit);
    } else {
      found = [];
      let index = 0;
      for (const match of matching) {
        if (index++ < offset) continue;
        if (found.length >= limit) break;
        found.push(match);
      }
    }
    this.refresh(
      found.map((f) => f.row),
      now,
    );
    return found.map(({ row, value, score }) => ({ ...toItem(row, value), score }));
  }

  /**
   * Semantic ranking as InMemoryStore does it: each item scores by its best-matching field, the
   * page is cut from the ranked items, and items without embeddings fill a short page at the end.
   */
  private rank<T extends { row: ItemRow }>(candidates: T[], query: number[], offset: number, limit: number): (T & { score?: number })[] {
    const bySeq = new Map(candidates.map((c) => [c.row.seq, c]));
    const seqs = candidates.map((c) => c.row.seq);
    const kept: (T & { score?: number })[] = [];
    const seen = new Set<number>();
    for (const { seq, score } of rankVectors(this.db, seqs, query)) {
      if (seen.has(seq)) continue;
      if (seen.size >= offset + limit) break;
      const index = seen.size;
      seen.add(seq);
      if (index >= offset) kept.push({ ...bySeq.get(seq)!, score });
    }
    if (kept.length < limit) {
      const withVectors = itemsWithVectors(this.db, seqs, query.length);
      const scoreless = candidates.filter((c) => !withVectors.has(c.row.seq));
      for (const c of scoreless.slice(0, limit - kept.length)) kept.push({ ...c, score: undefined });
    }
    return kept;
  }

  // -- writes

  private write(put: PreparedPut, now: number): { write: StoreWrite; update?: { text: string; at: string } } {
    const { op } = put;
    const nsId = ensureNamespace(this.db, op.namespace);
    if (put.text === null) {
      deleteItem(this.db, nsId, op.key, now);
      return { write: { op: "delete", namespace: [...op.namespace], key: op.key } };
    }
    const ttlMinutes = op.ttl === undefined ? (this.options.ttl?.defaultTtl ?? null) : op.ttl;
    const at = new Date(now).toISOString();
    const expiresAt = ttlMinutes === null ? null : now + Math.round(ttlMinutes * MINUTE);
    const { seq, updated } = upsertItem(this.db, nsId, op.key, { value: put.text, at, ttlMinutes, expiresAt }, now);
    if (this.options.index) replaceVectors(this.db, seq, put.vectors ?? []);
    const write: StoreWrite = { op: "put", namespace: [...op.namespace], key: op.key, value: JSON.parse(put.text) as JsonValue };
    return updated ? { write, update: { text: put.text, at } } : { write };
  }
}

const itemId = (op: { namespace: readonly string[]; key: string }) => JSON.stringify([op.namespace, op.key]);

function toItem(row: ItemRow, value?: Record<string, unknown>): StoreItem {
  return {
    namespace: namespaceFromPath(row.path),
    key: row.key,
    value: value ?? reviveStoreValue(row.value),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
