// The engine's own tables, numbered after the checkpointer's (migrations.ts appends them to
// MIGRATIONS): thread metadata, runs with their console output, breakpoints per graph. Append-only:
// a shipped migration is never edited, a change is a new entry.

import type { Migration } from "./migrations";

export const ENGINE_MIGRATIONS: readonly Migration[] = [
  {
    version: 2,
    name: "thread metadata",
    up(db) {
      // Threads created through the engine, and metadata for any thread
      // (including those a user's app wrote); threads known only from their
      // checkpoints have no row here until their metadata is changed.
      db.exec(`
        CREATE TABLE IF NOT EXISTS tl_thread_meta (
          thread_id  TEXT PRIMARY KEY,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          metadata   TEXT NOT NULL DEFAULT '{}',
          graph_id   TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tl_thread_meta_by_updated ON tl_thread_meta (updated_at DESC);
      `);
    },
  },
  {
    version: 3,
    name: "runs and their console output",
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS tl_runs (
          run_id             TEXT PRIMARY KEY,
          thread_id          TEXT NOT NULL,
          graph_id           TEXT NOT NULL,
          status             TEXT NOT NULL,
          multitask_strategy TEXT NOT NULL,
          created_at         TEXT NOT NULL,
          started_at         TEXT,
          finished_at        TEXT,
          checkpoint_id      TEXT,
          cancelled          INTEGER NOT NULL DEFAULT 0,
          node_timings       TEXT NOT NULL DEFAULT '[]',
          error              TEXT,
          metadata           TEXT NOT NULL DEFAULT '{}',
          -- the run's start arguments (encoded JSON), kept so that an enqueued run can start later
          kwargs             TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX IF NOT EXISTS tl_runs_by_thread ON tl_runs (thread_id, created_at DESC);
        CREATE INDEX IF NOT EXISTS tl_runs_active ON tl_runs (status) WHERE status IN ('pending', 'running');
        CREATE TABLE IF NOT EXISTS tl_run_console (
          run_id TEXT NOT NULL,
          seq    INTEGER NOT NULL,
          stream TEXT NOT NULL,
          line   TEXT NOT NULL,
          node   TEXT,
          at     TEXT NOT NULL,
          PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    name: "breakpoints per graph",
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS tl_breakpoints (
          graph_id TEXT PRIMARY KEY,
          before   TEXT NOT NULL DEFAULT '[]',
          after    TEXT NOT NULL DEFAULT '[]'
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 5,
    name: "run owner",
    up(db) {
      // Which engine (pid + worker instance) runs each active run, so that crash recovery fails
      // only the runs whose engine is gone, never those of another live process on the same file.
      db.exec(`ALTER TABLE tl_runs ADD COLUMN owner TEXT`);
    },
  },
  {
    version: 6,
    name: "run owner leases",
    up(db) {
      // An owner's lease: renewed by its engine while it lives. A PID alone cannot tell a crashed
      // engine from a new process that got the same PID (PID 1 in a container after every restart),
      // so an active run whose owner's lease has expired is recovered whatever its PID.
      db.exec(`
        CREATE TABLE IF NOT EXISTS tl_run_owners (
          owner       TEXT PRIMARY KEY,
          lease_until INTEGER NOT NULL  -- ms since the epoch
        ) WITHOUT ROWID;
      `);
    },
  },
];
