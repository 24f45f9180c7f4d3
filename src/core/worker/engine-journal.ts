// How an engine worker's checkpoints reach the database (issue 18, storage/step-batch.ts): its saver
// journals each step and writes the rows in batches; the journal is named after the worker's owner
// id, so that when the host stops a runner mid-run, the primary writes what that runner had only
// journaled before its runs are failed (a run's events leave the worker only once the rows they
// announce are in the database: runs/event-gate.ts). Shared by the default engine and the tests' engine.

import type Database from "better-sqlite3";
import { SqliteCheckpointer, type SqliteCheckpointerOptions } from "../storage/checkpointer";
import { journalWriterOf, replayJournals } from "../storage/journal";

/** The worker's saver on `db`, its journal named after `owner`. */
export function engineCheckpointer(db: Database.Database, owner: string, options: SqliteCheckpointerOptions = {}): SqliteCheckpointer {
  return new SqliteCheckpointer(db, { ...options, journalWriter: journalWriterOf(owner) });
}

/**
 * Writes the checkpoints journaled by engine workers of this process that are gone (openDatabase
 * replays those of ended processes): before their runs are failed or anything reads them.
 */
export function replayEngineJournals(db: Database.Database, deadOwners: readonly string[]): void {
  if (deadOwners.length > 0) replayJournals(db, deadOwners.map(journalWriterOf));
}
