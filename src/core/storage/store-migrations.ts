// The tables of LangGraph's store (src/core/store), numbered after the engine's (migrations.ts appends them). Append-only
// like every migration: a shipped step is never edited.

import type { Migration } from "./migrations";

export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 7,
    name: "store: namespaces, items, embeddings",
    up(db) {
      db.exec(`
        -- A namespace stays once written to, even when its last item goes: LangGraph's own store
        -- (and so langgraph dev) keeps listing it, and its id keeps the order searches list items in
        -- (namespaces in the order they first appeared, then items in the order they were put).
        CREATE TABLE tl_store_namespaces (
          ns_id INTEGER PRIMARY KEY,
          path  TEXT NOT NULL UNIQUE,        -- labels joined with "." (labels never contain ".")
          depth INTEGER NOT NULL
        );

        CREATE TABLE tl_store_items (
          -- put order: an update keeps it; a new item gets max + 1 (no AUTOINCREMENT, whose sqlite_sequence
          -- table would be the one table in the file without our prefix), so it always sorts last
          seq        INTEGER PRIMARY KEY,
          ns_id      INTEGER NOT NULL REFERENCES tl_store_namespaces (ns_id),
          key        TEXT NOT NULL,
          value      TEXT NOT NULL,          -- Threadline's value encoding (JSON)
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          ttl_minutes REAL,                  -- null: never expires
          expires_at INTEGER,                -- ms since the epoch; refreshed on read when configured
          UNIQUE (ns_id, key)
        );
        CREATE INDEX tl_store_items_in_order ON tl_store_items (ns_id, seq);
        CREATE INDEX tl_store_items_expiring ON tl_store_items (expires_at) WHERE expires_at IS NOT NULL;

        -- One embedding per indexed text of an item; searched with sqlite-vec's distance functions.
        CREATE TABLE tl_store_vectors (
          item_seq  INTEGER NOT NULL,
          field     TEXT NOT NULL,           -- the field path, with ".i" when it yielded several texts
          ord       INTEGER NOT NULL,        -- the order the fields were extracted in
          dims      INTEGER NOT NULL,
          embedding BLOB NOT NULL,           -- float32, little-endian
          PRIMARY KEY (item_seq, field)
        ) WITHOUT ROWID;
      `);
    },
  },
];
