import type Database from "better-sqlite3";
import { AGENT_API_MIGRATIONS } from "./agent-api-migrations";
import { ENGINE_MIGRATIONS } from "./engine-migrations";
import { STORE_MIGRATIONS } from "./store-migrations";
import { StorageError } from "./errors";

/**
 * Threadline's schema, one numbered step at a time. Append only: a released step is never edited,
 * because databases in the wild already ran it; change the schema by appending the next version.
 *
 * Every table starts with `tl_` and the version lives in `tl_meta`, not in `PRAGMA user_version`,
 * so Threadline can share a file with the user's own app and its tables.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "checkpoints, channel blobs, pending writes, thread index",
    up(db) {
      db.exec(`
        -- One row per checkpoint. The summary columns come first so that timeline queries read
        -- them without touching the blobs at the end of the row.
        CREATE TABLE tl_checkpoints (
          thread_id TEXT NOT NULL,
          checkpoint_ns TEXT NOT NULL,
          checkpoint_id TEXT NOT NULL,
          parent_checkpoint_id TEXT,
          step INTEGER NOT NULL,
          source TEXT NOT NULL,
          nodes TEXT NOT NULL,            -- JSON array: the nodes whose run produced this checkpoint
          created_at TEXT NOT NULL,       -- the checkpoint's own ts
          type TEXT NOT NULL,
          checkpoint BLOB NOT NULL,       -- the checkpoint without channel_values
          metadata_type TEXT NOT NULL,
          metadata BLOB NOT NULL,
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
        );
        -- Whole-thread reads across namespaces (tree, list without a namespace) in id order.
        CREATE INDEX tl_checkpoints_by_thread ON tl_checkpoints (thread_id, checkpoint_id, checkpoint_ns);

        -- Channel values, one row per channel version, shared by every checkpoint that has that
        -- version. kind 0: the whole value; 1: elements appended to the value at base_version;
        -- 2: the channel was emptied at this version.
        CREATE TABLE tl_blobs (
          thread_id TEXT NOT NULL,
          checkpoint_ns TEXT NOT NULL,
          channel TEXT NOT NULL,
          version NOT NULL,               -- untyped: LangGraph versions may be strings or numbers
          kind INTEGER NOT NULL,
          base_version,
          type TEXT,
          value BLOB,
          PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
        );

        CREATE TABLE tl_writes (
          thread_id TEXT NOT NULL,
          checkpoint_ns TEXT NOT NULL,
          checkpoint_id TEXT NOT NULL,
          task_id TEXT NOT NULL,
          idx INTEGER NOT NULL,
          channel TEXT NOT NULL,
          type TEXT NOT NULL,
          value BLOB,
          task_path TEXT NOT NULL DEFAULT '',
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
        );

        -- Kept up to date by put itself, so threads can be listed without scanning checkpoints.
        CREATE TABLE tl_threads (
          thread_id TEXT PRIMARY KEY,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          head_checkpoint_ns TEXT NOT NULL,
          head_checkpoint_id TEXT NOT NULL,
          checkpoint_count INTEGER NOT NULL
        );
        CREATE INDEX tl_threads_by_updated ON tl_threads (updated_at DESC, thread_id);
      `);
    },
  },
  ...ENGINE_MIGRATIONS,
  ...STORE_MIGRATIONS,
  {
    version: 8,
    name: "compressed values",
    up() {
      // No table changes: values may now be stored deflated, with "+deflate" after their type
      // (compress.ts). The version tells older builds, which cannot read them, to refuse the file.
    },
  },
  ...AGENT_API_MIGRATIONS,
  {
    version: 10,
    name: "the node a state update was applied as",
    up(db) {
      // LangGraph 1.x records nothing that names it; see as-node.ts.
      db.exec(`
        CREATE TABLE tl_as_node (
          thread_id     TEXT NOT NULL,
          checkpoint_ns TEXT NOT NULL,
          checkpoint_id TEXT NOT NULL,
          as_node       TEXT NOT NULL,
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 11,
    name: "channel values keyed by version before channel",
    up(db) {
      // LangGraph gives every channel a step updates the same new version, so with the version
      // before the channel a step's rows sit side by side in the key's B-tree: a commit of the
      // messages thread wrote 4 leaf pages of that index per step, now 1 (issue 18). Every read
      // looks a row up by the whole key, which serves any column order.
      db.exec(`
        CREATE TABLE tl_blobs_v11 (
          thread_id TEXT NOT NULL,
          checkpoint_ns TEXT NOT NULL,
          channel TEXT NOT NULL,
          version NOT NULL,
          kind INTEGER NOT NULL,
          base_version,
          type TEXT,
          value BLOB,
          PRIMARY KEY (thread_id, checkpoint_ns, version, channel)
        );
        INSERT INTO tl_blobs_v11 (thread_id, checkpoint_ns, channel, version, kind, base_version, type, value)
          SELECT thread_id, checkpoint_ns, channel, version, kind, base_version, type, value FROM tl_blobs;
        DROP TABLE tl_blobs;
        ALTER TABLE tl_blobs_v11 RENAME TO tl_blobs;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** The schema version recorded in the file; 0 for a file Threadline has never touched. */
export function schemaVersion(db: Database.Database): number {
  const hasMeta = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tl_meta'")
    .get();
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM tl_meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : 0;
}

/** UNSUPPORTED_SCHEMA when the file's schema is newer than `migrations` know; reads only. */
export function assertKnownSchema(
  db: Database.Database,
  label: string,
  migrations: readonly Migration[] = MIGRATIONS,
  current = schemaVersion(db),
): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new StorageError(
      "UNSUPPORTED_SCHEMA",
      `${label} has Threadline schema version ${current}, newer than this build knows (${latest}); update Threadline to open it. It was left unchanged.`,
    );
  }
}

/**
 * Brings the file up to the latest schema in one immediate transaction, re-reading the version
 * inside it: two processes opening the same new file must not both run a step, and a crash leaves
 * the file at the version it had. `label` names the file in errors.
 */
export function migrate(db: Database.Database, label: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const check = (current: number) => assertKnownSchema(db, label, migrations, current);
  const before = schemaVersion(db);
  check(before);
  if (before === latest) return;
  const upgrade = db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS tl_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const current = schemaVersion(db);
    check(current);
    const setVersion = db.prepare("INSERT OR REPLACE INTO tl_meta (key, value) VALUES ('schema_version', ?)");
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      migration.up(db);
      setVersion.run(String(migration.version));
    }
  });
  upgrade.immediate();
}
