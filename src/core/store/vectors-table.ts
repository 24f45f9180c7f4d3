// Embeddings of store items, kept in the store's own SQLite file and ranked there with sqlite-vec's
// distance function (the extension is loaded into the connection the store uses).

import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { ThreadlineError } from "../../shared/errors";

type Db = Database.Database;

const loaded = new WeakSet<Db>();

/**
 * Loads sqlite-vec into `db`. Its npm package ships the extension for each platform; inside a
 * packaged app the file sits in the unpacked copy of the archive (electron-builder.yml), since a
 * native library cannot load from inside an asar.
 */
export function loadVectorExtension(db: Db): void {
  if (loaded.has(db)) return;
  try {
    const sqliteVec = createRequire(import.meta.url)("sqlite-vec") as { getLoadablePath(): string };
    db.loadExtension(sqliteVec.getLoadablePath().replace("app.asar/", "app.asar.unpacked/"));
  } catch (error) {
    throw new ThreadlineError(
      "UNAVAILABLE",
      `Semantic search needs the sqlite-vec extension, which did not load on this machine: ${(error as Error).message}`,
    );
  }
  loaded.add(db);
}

export function toBlob(vector: readonly number[]): Buffer {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

export interface FieldVector {
  field: string;
  vector: readonly number[];
}

/** Replaces every embedding of the item `seq` (a put re-indexes the whole item). */
export function replaceVectors(db: Db, seq: number, vectors: readonly FieldVector[]): void {
  db.prepare(`DELETE FROM tl_store_vectors WHERE item_seq = ?`).run(seq);
  const insert = db.prepare(`INSERT INTO tl_store_vectors (item_seq, field, ord, dims, embedding) VALUES (?, ?, ?, ?, ?)`);
  vectors.forEach((v, ord) => insert.run(seq, v.field, ord, v.vector.length, toBlob(v.vector)));
}

export interface ScoredVector {
  seq: number;
  score: number;
}

/**
 * Cosine similarity of `query` with every embedding of the candidate items, best first; ties keep
 * the candidates' order, then the order their fields were indexed in. Embeddings of another size
 * (written under another `dims`) are not comparable and are left out.
 */
export function rankVectors(db: Db, candidates: readonly number[], query: readonly number[]): ScoredVector[] {
  if (candidates.length === 0) return [];
  loadVectorExtension(db);
  return db
    .prepare(
      `SELECT v.item_seq AS seq, 1.0 - vec_distance_cosine(v.embedding, @query) AS score
       FROM json_each(@candidates) c JOIN tl_store_vectors v ON v.item_seq = c.value
       WHERE v.dims = @dims
       ORDER BY score DESC, c.key, v.ord`,
    )
    .all({ candidates: JSON.stringify(candidates), query: toBlob(query), dims: query.length }) as ScoredVector[];
}

/** The items among `candidates` that have at least one embedding of this size. */
export function itemsWithVectors(db: Db, candidates: readonly number[], dims: number): Set<number> {
  const rows = db
    .prepare(
      `SELECT DISTINCT v.item_seq AS seq FROM json_each(?) c JOIN tl_store_vectors v ON v.item_seq = c.value WHERE v.dims = ?`,
    )
    .all(JSON.stringify(candidates), dims) as { seq: number }[];
  return new Set(rows.map((r) => r.seq));
}
