// An app writing a SQLite file in its own process (a snapshot that hard-links the file must not
// share SQLite's per-process state for it with the writer, as a writer in the test's own process
// would): opens `file` in WAL mode without automatic checkpoints, then runs each line of stdin as
// SQL (`;;` separates statements of one transaction) and prints "ok" or "error <message>".
// Usage: tsx sql-writer.ts <file>

import { createInterface } from "node:readline";
import Database from "better-sqlite3";

const db = new Database(process.argv[2]!);
db.pragma("journal_mode = WAL");
db.pragma("wal_autocheckpoint = 0");
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  try {
    db.transaction(() => {
      for (const sql of line.split(";;")) {
        const statement = sql.trim() ? db.prepare(sql) : undefined;
        if (statement?.reader) statement.all();
        else statement?.run();
      }
    })();
    console.log("ok");
  } catch (error) {
    console.log(`error ${(error as Error).message}`);
  }
}
db.close();
