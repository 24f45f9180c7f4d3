// A stand-in for a Python app writing with LangGraph's SqliteSaver, in its
// own process: it creates `target` with the schema of `source` (a private
// copy of a shared fixture) in WAL mode, as the saver does, and on each line
// "thread" on stdin replays the next thread's rows of `source`, one row per
// transaction, then prints "wrote <threadId> <checkpoints>".
// Usage: tsx replay-writer.ts <source> <target>

import { createInterface } from "node:readline";
import Database from "better-sqlite3";

const [source, target] = process.argv.slice(2) as [string, string];
const from = new Database(source, { readonly: true });
const to = new Database(target);
to.pragma("journal_mode = WAL");
for (const { sql } of from.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ('checkpoints', 'writes')`).all() as {
  sql: string;
}[]) {
  to.exec(sql.replace(/^CREATE TABLE/i, "CREATE TABLE IF NOT EXISTS"));
}
const threads = (from.prepare(`SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id`).all() as { thread_id: string }[]).map(
  (r) => r.thread_id,
);
const insertCheckpoint = to.prepare(
  `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)`,
);
const insertWrite = to.prepare(
  `INSERT INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
);
let next = 0;
console.log("ready");
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "thread") return;
  const threadId = threads[next++];
  if (threadId === undefined) return console.log("none");
  const checkpoints = from
    .prepare(`SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata FROM checkpoints WHERE thread_id = ? ORDER BY checkpoint_id`)
    .all(threadId) as Record<string, unknown>[];
  for (const c of checkpoints) {
    insertCheckpoint.run(c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.type, c.checkpoint, c.metadata);
    const writes = from
      .prepare(`SELECT * FROM writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ORDER BY task_id, idx`)
      .all(threadId, c.checkpoint_ns, c.checkpoint_id) as Record<string, unknown>[];
    for (const w of writes) insertWrite.run(w.thread_id, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type, w.value);
  }
  console.log(`wrote ${threadId} ${checkpoints.length}`);
});
