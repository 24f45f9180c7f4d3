// The store's SQL (tables in storage/store-migrations.ts), `db` first. Expired items are treated as absent by every
// read here, whether or not the sweeper has deleted them yet.

import type Database from "better-sqlite3";
import { descendantRange, namespaceFromPath, namespacePath, type Namespace } from "./namespace";

type Db = Database.Database;

export interface ItemRow {
  seq: number;
  path: string;
  key: string;
  value: string;
  created_at: string;
  updated_at: string;
  ttl_minutes: number | null;
  expires_at: number | null;
}

const COLUMNS = `i.seq, n.path, i.key, i.value, i.created_at, i.updated_at, i.ttl_minutes, i.expires_at`;
const LIVE = `(i.expires_at IS NULL OR i.expires_at > @now)`;

/** Statements prepared once per connection: a batch of puts would otherwise re-prepare each. */
const cache = new WeakMap<Db, Map<string, Database.Statement>>();
function sql(db: Db, text: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = db.prepare(text)));
  return statement;
}

export function ensureNamespace(db: Db, namespace: Namespace): number {
  const path = namespacePath(namespace);
  sql(db, `INSERT OR IGNORE INTO tl_store_namespaces (path, depth) VALUES (?, ?)`).run(path, namespace.length);
  return (sql(db, `SELECT ns_id FROM tl_store_namespaces WHERE path = ?`).get(path) as { ns_id: number }).ns_id;
}

export function findItem(db: Db, namespace: Namespace, key: string, now: number): ItemRow | undefined {
  return sql(
    db,
    `SELECT ${COLUMNS} FROM tl_store_items i JOIN tl_store_namespaces n ON n.ns_id = i.ns_id
     WHERE n.path = @path AND i.key = @key AND ${LIVE}`,
  ).get({ path: namespacePath(namespace), key, now }) as ItemRow | undefined;
}

/** Every live item in `prefix` and below, namespaces in the order they first appeared, items in put order. */
export function itemsUnder(db: Db, prefix: Namespace, now: number): IterableIterator<ItemRow> {
  const order = `ORDER BY i.ns_id, i.seq`;
  const from = `FROM tl_store_items i JOIN tl_store_namespaces n ON n.ns_id = i.ns_id`;
  if (prefix.length === 0) {
    return sql(db, `SELECT ${COLUMNS} ${from} WHERE ${LIVE} ${order}`).iterate({ now }) as IterableIterator<ItemRow>;
  }
  const [low, high] = descendantRange(prefix);
  return sql(
    db,
    `SELECT ${COLUMNS} ${from} WHERE (n.path = @path OR (n.path >= @low AND n.path < @high)) AND ${LIVE} ${order}`,
  ).iterate({ path: namespacePath(prefix), low, high, now }) as IterableIterator<ItemRow>;
}

export interface ItemWrite {
  value: string;
  at: string;
  ttlMinutes: number | null;
  expiresAt: number | null;
}

/** Puts one item; an update keeps the item's place (seq) and creation time. */
export function upsertItem(db: Db, nsId: number, key: string, write: ItemWrite, now: number): { seq: number; updated: boolean } {
  const existing = sql(db, `SELECT seq, expires_at FROM tl_store_items WHERE ns_id = ? AND key = ?`).get(nsId, key) as
    | { seq: number; expires_at: number | null }
    | undefined;
  if (existing && (existing.expires_at === null || existing.expires_at > now)) {
    sql(db, `UPDATE tl_store_items SET value = ?, updated_at = ?, ttl_minutes = ?, expires_at = ? WHERE seq = ?`).run(
      write.value,
      write.at,
      write.ttlMinutes,
      write.expiresAt,
      existing.seq,
    );
    return { seq: existing.seq, updated: true };
  }
  // An expired item is gone: the new one starts afresh, at the end of the order.
  if (existing) deleteBySeq(db, existing.seq);
  const result = sql(
    db,
    `INSERT INTO tl_store_items (ns_id, key, value, created_at, updated_at, ttl_minutes, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(nsId, key, write.value, write.at, write.at, write.ttlMinutes, write.expiresAt);
  return { seq: Number(result.lastInsertRowid), updated: false };
}

/** Deletes one item and its embeddings; returns whether a live item was there. */
export function deleteItem(db: Db, nsId: number, key: string, now: number): boolean {
  const existing = sql(db, `SELECT seq, expires_at FROM tl_store_items WHERE ns_id = ? AND key = ?`).get(nsId, key) as
    | { seq: number; expires_at: number | null }
    | undefined;
  if (!existing) return false;
  deleteBySeq(db, existing.seq);
  return existing.expires_at === null || existing.expires_at > now;
}

function deleteBySeq(db: Db, seq: number): void {
  sql(db, `DELETE FROM tl_store_vectors WHERE item_seq = ?`).run(seq);
  sql(db, `DELETE FROM tl_store_items WHERE seq = ?`).run(seq);
}

/** Every namespace ever written to (see storage/store-migrations.ts for why emptied ones stay). */
export function allNamespaces(db: Db, prefixRoot?: string): string[][] {
  const rows = (
    prefixRoot === undefined
      ? sql(db, `SELECT path FROM tl_store_namespaces`).all()
      : sql(db, `SELECT path FROM tl_store_namespaces WHERE path = ? OR (path >= ? AND path < ?)`).all(
          prefixRoot,
          `${prefixRoot}.`,
          `${prefixRoot}/`,
        )
  ) as { path: string }[];
  return rows.map((row) => namespaceFromPath(row.path));
}

/** Pushes the expiry of items read back by their own TTL (langgraph.json's `store.ttl.refresh_on_read`). */
export function refreshExpiry(db: Db, seqs: readonly number[], now: number): void {
  const refresh = sql(
    db,
    `UPDATE tl_store_items SET expires_at = @now + CAST(ttl_minutes * 60000 AS INTEGER)
     WHERE seq = @seq AND ttl_minutes IS NOT NULL AND expires_at > @now`,
  );
  for (const seq of seqs) refresh.run({ seq, now });
}

/** Deletes expired items and their embeddings; returns how many. */
export function sweepExpired(db: Db, now: number): number {
  return db.transaction(() => {
    sql(db, `DELETE FROM tl_store_vectors WHERE item_seq IN (SELECT seq FROM tl_store_items WHERE expires_at <= ?)`).run(now);
    return sql(db, `DELETE FROM tl_store_items WHERE expires_at <= ?`).run(now).changes;
  })();
}
