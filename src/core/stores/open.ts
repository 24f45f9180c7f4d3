// Opens what the user named: a PostgreSQL connection string (postgres:// or postgresql://) or the
// path of a SQLite file written by a LangGraph saver.

import path from "node:path";
import { PgStore } from "./pg-store";
import { SqliteStore } from "./sqlite-store";
import type { OpenedStore } from "./types";

export function isConnectionString(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/** Throws StorageError (CANNOT_OPEN, NOT_SQLITE, UNSUPPORTED_SCHEMA) saying what was wrong. */
export async function openStore(location: string, cwd = process.cwd()): Promise<OpenedStore> {
  const trimmed = location.trim();
  return isConnectionString(trimmed) ? PgStore.open(trimmed) : SqliteStore.open(path.resolve(cwd, trimmed));
}
