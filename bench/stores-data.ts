// Data for the opened-store bench: 10,000 threads with 1,000,900 checkpoints in the layout of
// LangGraph.js's PostgresSaver (JSON blobs by channel version), generated inside the server with
// INSERT … SELECT generate_series (no rows cross the wire), keys added after the load as bulk loads
// do; and a SQLite file of the JS SqliteSaver's layout grown past 1 GB with the same shape.
// Thread "thread-00000" has 1,000 checkpoints, every other thread 100. Checkpoint ids are uuid6,
// one millisecond apart, so they sort by time as the savers' do.

import Database from "better-sqlite3";
import type pg from "pg";

/** Bump when the generated data changes: the bench's cache keeps data of one version. */
export const DATA_VERSION = 1;
export const THREADS = 10_000;
export const PER_THREAD = 100;
export const LONG_THREAD = "thread-00000";
export const LONG_CHECKPOINTS = 1_000;

// 100 ns ticks since 1582-10-15 for 2026-01-01, then thread * 10 s + step * 1 ms.
const BASE_TICKS = "139877280000000000";

/** SQL for a uuid6 id from thread number t and step s. */
const ID_SQL = (t: string, s: string) => `(
  lpad(to_hex((${BASE_TICKS}::bigint + ${t}::bigint * 100000000 + ${s}::bigint * 10000) >> 28), 8, '0') || '-' ||
  lpad(to_hex(((${BASE_TICKS}::bigint + ${t}::bigint * 100000000 + ${s}::bigint * 10000) >> 12) & 65535), 4, '0') || '-6' ||
  lpad(to_hex((${BASE_TICKS}::bigint + ${t}::bigint * 100000000 + ${s}::bigint * 10000) & 4095), 3, '0') || '-8000-' ||
  lpad(to_hex(${t}), 12, '0'))`;

const MESSAGE = (s: string) =>
  `'[{"lc":1,"type":"constructor","id":["langchain_core","messages","AIMessage"],"kwargs":{"content":"step ' || ${s} || ' of a long agent run, with some text to make the value realistic","tool_calls":[],"invalid_tool_calls":[],"additional_kwargs":{},"response_metadata":{}}}]'`;

export async function generatePostgres(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE TABLE checkpoint_migrations (v INTEGER PRIMARY KEY);
    INSERT INTO checkpoint_migrations SELECT generate_series(0, 4);
    CREATE TABLE checkpoints (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
      parent_checkpoint_id TEXT, type TEXT, checkpoint JSONB NOT NULL, metadata JSONB NOT NULL DEFAULT '{}');
    CREATE TABLE checkpoint_blobs (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
      version TEXT NOT NULL, type TEXT NOT NULL, blob BYTEA);
    CREATE TABLE checkpoint_writes (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
      task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT, blob BYTEA NOT NULL);`);
  const steps = `(SELECT t, s FROM generate_series(0, ${THREADS - 1}) t,
    LATERAL generate_series(0, CASE WHEN t = 0 THEN ${LONG_CHECKPOINTS - 1} ELSE ${PER_THREAD - 1} END) s)`;
  await client.query(`
    INSERT INTO checkpoints (thread_id, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
    SELECT 'thread-' || lpad(t::text, 5, '0'), ${ID_SQL("t", "s")}, CASE WHEN s = 0 THEN NULL ELSE ${ID_SQL("t", "s - 1")} END,
      jsonb_build_object('v', 4, 'id', ${ID_SQL("t", "s")}, 'ts', '2026-01-01T00:00:00.000Z',
        'channel_versions', jsonb_build_object('messages', s + 1),
        'versions_seen', jsonb_build_object('agent', jsonb_build_object('messages', s))),
      jsonb_build_object('source', 'loop', 'step', s, 'parents', '{}'::jsonb, 'user', 'user-' || (t % 50))
    FROM ${steps} x`);
  await client.query(`
    INSERT INTO checkpoint_blobs (thread_id, channel, version, type, blob)
    SELECT 'thread-' || lpad(t::text, 5, '0'), 'messages', (s + 1)::text, 'json', convert_to(${MESSAGE("s")}, 'UTF8')
    FROM ${steps} x`);
  // An interrupt waiting at the head of every tenth thread.
  await client.query(`
    INSERT INTO checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, blob)
    SELECT 'thread-' || lpad(t::text, 5, '0'), ${ID_SQL("t", `${PER_THREAD - 1}`)}, 'task', -3, '__interrupt__', 'json',
      convert_to('[{"value":"approve?","id":"i' || t || '"}]', 'UTF8')
    FROM generate_series(10, ${THREADS - 1}, 10) t`);
  await client.query(`
    ALTER TABLE checkpoints ADD PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id);
    ALTER TABLE checkpoint_blobs ADD PRIMARY KEY (thread_id, checkpoint_ns, channel, version);
    ALTER TABLE checkpoint_writes ADD PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx);`);
  await client.query(`VACUUM ANALYZE`);
}

/** The JS SqliteSaver's tables with the same threads; each checkpoint carries its values (~1 KB). */
export function generateSqlite(file: string, targetBytes: number): void {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.exec(`
      CREATE TABLE checkpoints (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
        parent_checkpoint_id TEXT, type TEXT, checkpoint BLOB, metadata BLOB, PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id));
      CREATE TABLE writes (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
        task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT, value BLOB,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));`);
    const padding = "x".repeat(Math.max(0, Math.round(targetBytes / (THREADS * PER_THREAD)) - 600));
    const id = (t: number, s: number) => {
      const ticks = 139877280000000000n + BigInt(t) * 100000000n + BigInt(s) * 10000n;
      const hex = (v: bigint, n: number) => v.toString(16).padStart(n, "0");
      return `${hex(ticks >> 28n, 8)}-${hex((ticks >> 12n) & 0xffffn, 4)}-6${hex(ticks & 0xfffn, 3)}-8000-${hex(BigInt(t), 12)}`;
    };
    const insert = db.prepare(`INSERT INTO checkpoints VALUES (?, '', ?, ?, 'json', ?, ?)`);
    const insertWrite = db.prepare(`INSERT INTO writes VALUES (?, '', ?, 'task', -3, '__interrupt__', 'json', ?)`);
    const load = db.transaction((t: number) => {
      const threadId = `thread-${String(t).padStart(5, "0")}`;
      const count = t === 0 ? LONG_CHECKPOINTS : PER_THREAD;
      for (let s = 0; s < count; s++) {
        const message = { lc: 1, type: "constructor", id: ["langchain_core", "messages", "AIMessage"], kwargs: { content: `step ${s} ${padding}`, tool_calls: [], invalid_tool_calls: [], additional_kwargs: {}, response_metadata: {} } };
        const checkpoint = { v: 4, id: id(t, s), ts: "2026-01-01T00:00:00.000Z", channel_values: { messages: [message] }, channel_versions: { messages: s + 1 }, versions_seen: { agent: { messages: s } } };
        insert.run(threadId, id(t, s), s === 0 ? null : id(t, s - 1), JSON.stringify(checkpoint), JSON.stringify({ source: "loop", step: s, parents: {}, user: `user-${t % 50}` }));
      }
      if (t % 10 === 0 && t > 0) insertWrite.run(threadId, id(t, PER_THREAD - 1), JSON.stringify([{ value: "approve?", id: `i${t}` }]));
    });
    for (let t = 0; t < THREADS; t++) load(t);
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
