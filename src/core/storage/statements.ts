import type Database from "better-sqlite3";

const byDatabase = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A statement prepared once per connection and SQL text, then reused: preparing costs more than
 * running most of the queries of this folder.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let statements = byDatabase.get(db);
  if (!statements) byDatabase.set(db, (statements = new Map()));
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}
