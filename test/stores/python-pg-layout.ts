// Python-format PostgreSQL rows made from a Python SqliteSaver fixture, in the layout Python's
// PostgresSaver (langgraph-checkpoint-postgres) writes:
// - the tables of its migrations 0–9 (migration 9 adds checkpoint_writes.task_path);
// - `checkpoints.checkpoint`: the checkpoint as JSONB, its `channel_values` holding only the
//   primitives (None, str, int, float, bool) the saver keeps inline; `metadata` as JSONB;
// - `checkpoint_blobs`: every other channel value under (channel, version) with type "msgpack",
//   its bytes cut unchanged out of the fixture's msgpack checkpoint (ormsgpack writes a value the
//   same bytes whether nested or alone), first value kept per version (the saver's DO NOTHING);
// - `checkpoint_writes`: the fixture's write rows unchanged, task_path ''.

import type pg from "pg";
import Database from "better-sqlite3";
import { decodePythonMsgpack } from "../../src/core/importers/python-values";

export const PYTHON_MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS checkpoint_migrations (v INTEGER PRIMARY KEY)`,
  `CREATE TABLE IF NOT EXISTS checkpoints (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT, type TEXT, checkpoint JSONB NOT NULL, metadata JSONB NOT NULL DEFAULT '{}',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id))`,
  `CREATE TABLE IF NOT EXISTS checkpoint_blobs (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
    version TEXT NOT NULL, type TEXT NOT NULL, blob BYTEA, PRIMARY KEY (thread_id, checkpoint_ns, channel, version))`,
  `CREATE TABLE IF NOT EXISTS checkpoint_writes (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT, blob BYTEA NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx))`,
  `ALTER TABLE checkpoint_blobs ALTER COLUMN blob DROP not null`,
  `SELECT 1`,
  `CREATE INDEX IF NOT EXISTS checkpoints_thread_id_idx ON checkpoints(thread_id)`,
  `CREATE INDEX IF NOT EXISTS checkpoint_blobs_thread_id_idx ON checkpoint_blobs(thread_id)`,
  `CREATE INDEX IF NOT EXISTS checkpoint_writes_thread_id_idx ON checkpoint_writes(thread_id)`,
  `ALTER TABLE checkpoint_writes ADD COLUMN IF NOT EXISTS task_path TEXT NOT NULL DEFAULT ''`,
];

export async function createPythonTables(client: pg.Client): Promise<void> {
  for (const [v, sql] of PYTHON_MIGRATIONS.entries()) {
    await client.query(sql);
    await client.query(`INSERT INTO checkpoint_migrations (v) VALUES ($1) ON CONFLICT DO NOTHING`, [v]);
  }
}

/** The end of the msgpack value starting at `pos`. */
function skip(b: Uint8Array, pos: number): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const t = b[pos]!;
  const items = (start: number, n: number) => {
    let p = start;
    for (let i = 0; i < n; i++) p = skip(b, p);
    return p;
  };
  if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return pos + 1;
  if (t >= 0x80 && t <= 0x8f) return items(pos + 1, (t & 0x0f) * 2);
  if (t >= 0x90 && t <= 0x9f) return items(pos + 1, t & 0x0f);
  if (t >= 0xa0 && t <= 0xbf) return pos + 1 + (t & 0x1f);
  switch (t) {
    case 0xcc: case 0xd0: return pos + 2;
    case 0xcd: case 0xd1: return pos + 3;
    case 0xca: case 0xce: case 0xd2: return pos + 5;
    case 0xcb: case 0xcf: case 0xd3: return pos + 9;
    case 0xd9: case 0xc4: return pos + 2 + b[pos + 1]!;
    case 0xda: case 0xc5: return pos + 3 + view.getUint16(pos + 1);
    case 0xdb: case 0xc6: return pos + 5 + view.getUint32(pos + 1);
    case 0xdc: return items(pos + 3, view.getUint16(pos + 1));
    case 0xdd: return items(pos + 5, view.getUint32(pos + 1));
    case 0xde: return items(pos + 3, view.getUint16(pos + 1) * 2);
    case 0xdf: return items(pos + 5, view.getUint32(pos + 1) * 2);
    case 0xd4: return pos + 3;
    case 0xd5: return pos + 4;
    case 0xd6: return pos + 6;
    case 0xd7: return pos + 10;
    case 0xd8: return pos + 18;
    case 0xc7: return pos + 3 + b[pos + 1]!;
    case 0xc8: return pos + 4 + view.getUint16(pos + 1);
    case 0xc9: return pos + 6 + view.getUint32(pos + 1);
    default: throw new Error(`msgpack byte 0x${t.toString(16)} at ${pos}`);
  }
}

/** A msgpack map's entries as [decoded key, raw value bytes]. */
function mapEntries(b: Uint8Array, pos = 0): [string, Uint8Array][] {
  const t = b[pos]!;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [n, start] = t >= 0x80 && t <= 0x8f ? [t & 0x0f, pos + 1] : t === 0xde ? [view.getUint16(pos + 1), pos + 3] : [view.getUint32(pos + 1), pos + 5];
  const out: [string, Uint8Array][] = [];
  let p = start;
  for (let i = 0; i < n; i++) {
    const keyEnd = skip(b, p);
    const key = decodePythonMsgpack(b.subarray(p, keyEnd)) as string;
    const valueEnd = skip(b, keyEnd);
    out.push([key, b.subarray(keyEnd, valueEnd)]);
    p = valueEnd;
  }
  return out;
}

const isPrimitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

/** Copies every checkpoint and write of the Python SqliteSaver file `fixture` into `client`'s database. */
export async function loadPythonFixture(
  client: pg.Client,
  fixture: string,
): Promise<{ checkpoints: number; blobs: number; divergent: Set<string> }> {
  const source = new Database(fixture, { readonly: true });
  let blobs = 0;
  // (thread, ns, channel, version) the fixture holds two different values under (a value mutated in
  // place): the PostgresSaver keeps the first, so later checkpoints read that one.
  const firstBytes = new Map<string, Buffer>();
  const divergent = new Set<string>();
  try {
    const rows = source.prepare(`SELECT * FROM checkpoints ORDER BY thread_id, checkpoint_id`).all() as {
      thread_id: string; checkpoint_ns: string; checkpoint_id: string; parent_checkpoint_id: string | null; type: string; checkpoint: Buffer; metadata: Buffer;
    }[];
    for (const row of rows) {
      const whole = decodePythonMsgpack(row.checkpoint) as Record<string, unknown>;
      const raw = new Map(mapEntries(row.checkpoint));
      const values = whole.channel_values as Record<string, unknown>;
      const versions = whole.channel_versions as Record<string, string>;
      const rawValues = new Map(mapEntries(raw.get("channel_values")!));
      const inline: Record<string, unknown> = {};
      for (const [channel, value] of Object.entries(values)) {
        if (isPrimitive(value)) {
          inline[channel] = value;
          continue;
        }
        const bytes = Buffer.from(rawValues.get(channel)!);
        const key = [row.thread_id, row.checkpoint_ns, channel, String(versions[channel])].join("\0");
        const first = firstBytes.get(key);
        if (first === undefined) firstBytes.set(key, bytes);
        else if (!first.equals(bytes)) divergent.add(key);
        const inserted = await client.query(
          `INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) VALUES ($1, $2, $3, $4, 'msgpack', $5)
           ON CONFLICT DO NOTHING`,
          [row.thread_id, row.checkpoint_ns, channel, String(versions[channel]), bytes],
        );
        blobs += inserted.rowCount ?? 0;
      }
      const checkpoint = { ...whole, channel_values: inline, ...("pending_sends" in whole ? { pending_sends: [] } : {}) };
      await client.query(
        `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata) VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.thread_id, row.checkpoint_ns, row.checkpoint_id, row.parent_checkpoint_id, JSON.stringify(checkpoint), row.metadata.toString("utf8").replace(/\\u0000/g, "")],
      );
    }
    const writes = source.prepare(`SELECT * FROM writes`).all() as {
      thread_id: string; checkpoint_ns: string; checkpoint_id: string; task_id: string; idx: number; channel: string; type: string | null; value: Buffer | null;
    }[];
    for (const w of writes) {
      await client.query(
        `INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [w.thread_id, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type, w.value ?? Buffer.alloc(0)],
      );
    }
    return { checkpoints: rows.length, blobs, divergent };
  } finally {
    source.close();
  }
}
