// A PostgreSQL database written by LangGraph's PostgresSaver (Python:
// msgpack blobs and JSON metadata; JS: JSON blobs, tables in its `schema`).
// Channel values live in `checkpoint_blobs` by (channel, version), except
// the primitives Python's saver keeps inline in the checkpoint's JSONB.
// Every session is read-only (default_transaction_read_only); every query
// walks the savers' primary keys. Nothing is created in the database.

import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import pg from "pg";
import type { SaverFlavour } from "../importers/saver-decoder";
import { StorageError } from "../storage/errors";
import { connectionProblem, parseConnectionString, type PgTarget } from "./pg-connect";
import { SaverReader, type HeadMetadataRow, type SummaryRow, type TupleKey } from "./saver-reader";
import type { HeadRow } from "./thread-list";

/** The newest `checkpoint_migrations` version the savers have shipped (Python 0–9; JS 0–4). */
export const KNOWN_MIGRATION = 9;
const TABLES = ["checkpoints", "checkpoint_blobs", "checkpoint_writes", "checkpoint_migrations"];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Slot = "read" | "watch";

export interface PgStatus {
  connected: boolean;
  /** Why the last query failed, while the connection is down. */
  error: string | null;
}

export class PgStore extends SaverReader {
  readonly kind = "postgres" as const;
  readonly label: string;
  /** Reads for the UI, and the watcher's walk over every thread on its own session, so no page waits behind it. */
  private readonly slots: Record<Slot, { client?: pg.Client; connecting?: Promise<pg.Client> }> = { read: {}, watch: {} };
  private lost: string | null = null;
  private flavour: SaverFlavour = "python-msgpack";
  private readonly t: Record<(typeof TABLES)[number], string>;

  private constructor(private readonly target: PgTarget) {
    super();
    this.label = target.label;
    this.t = Object.fromEntries(TABLES.map((name) => [name, `${ident(target.schema)}.${name}`]));
  }

  /** Connects and checks the schema; throws StorageError with what was wrong. */
  static async open(connectionString: string): Promise<PgStore> {
    const store = new PgStore(parseConnectionString(connectionString));
    try {
      await store.checkSchema();
    } catch (error) {
      await store.close();
      throw error;
    }
    store.watchFromHere();
    return store;
  }

  get status(): PgStatus {
    return { connected: Object.values(this.slots).some((s) => s.client !== undefined), error: this.lost };
  }

  private async connection(slot: Slot): Promise<pg.Client> {
    const s = this.slots[slot];
    if (s.client) return s.client;
    s.connecting ??= (async () => {
      const client = new pg.Client(this.target.config);
      // A dropped connection: the next query connects again; until then the status says why.
      client.on("error", (error) => {
        this.lost = connectionProblem(error, this.target).message;
        if (s.client === client) s.client = undefined;
      });
      try {
        await client.connect();
      } catch (error) {
        throw connectionProblem(error, this.target);
      }
      s.client = client;
      this.lost = null;
      return client;
    })().finally(() => (s.connecting = undefined));
    return s.connecting;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = [], slot: Slot = "read"): Promise<R[]> {
    const client = await this.connection(slot);
    try {
      return (await client.query<R>(sql, values)).rows;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A server error (SQLSTATE) leaves the connection usable; a broken socket or a terminated session does not.
      if (!code || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith("08") || code.startsWith("57P")) {
        this.lost = connectionProblem(error, this.target).message;
        if (this.slots[slot].client === client) this.slots[slot].client = undefined;
        client.end().catch(() => undefined);
      }
      throw error instanceof StorageError || code === undefined ? connectionProblem(error, this.target) : error;
    }
  }

  private async checkSchema(): Promise<void> {
    const found = await this.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2)`,
      [this.target.schema, TABLES],
    );
    const missing = TABLES.filter((t) => !found.some((f) => f.table_name === t));
    if (missing.length > 0) {
      throw new StorageError(
        "UNSUPPORTED_SCHEMA",
        `${this.label} has no LangGraph checkpoint tables in schema "${this.target.schema}" (missing: ${missing.join(", ")}). ` +
          `Open the database LangGraph's PostgresSaver writes to; for the JS saver's schema option add ?schema=NAME.`,
      );
    }
    const [{ v } = { v: null }] = await this.query<{ v: number | null }>(`SELECT max(v) AS v FROM ${this.t.checkpoint_migrations}`);
    if (v !== null && v > KNOWN_MIGRATION) {
      throw new StorageError(
        "UNSUPPORTED_SCHEMA",
        `${this.label} is at checkpoint migration ${v}, newer than the newest Threadline knows (${KNOWN_MIGRATION}): ` +
          `it was set up by a newer langgraph-checkpoint-postgres, whose layout may differ. Nothing was read.`,
      );
    }
    const [sample] = await this.query<{ type: string }>(
      `SELECT type FROM ${this.t.checkpoint_blobs} WHERE type <> 'empty' LIMIT 1`,
    );
    this.flavour = sample?.type === "json" ? "js-json" : "python-msgpack";
    // The key's order is thread_id's collation: C (or POSIX) compares bytes, so a prefix is one range.
    const [collation] = await this.query<{ coll: string }>(
      `SELECT CASE WHEN co.collname = 'default' THEN d.datcollate ELSE co.collname END AS coll
       FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation JOIN pg_database d ON d.datname = current_database()
       WHERE a.attrelid = $1::regclass AND a.attname = 'thread_id'`,
      [this.t.checkpoints],
    );
    this.bytewiseIds = collation?.coll === "C" || collation?.coll === "POSIX";
  }

  /** The server's WAL position: it moves with every write, so an unchanged one means nothing to read. */
  protected async changeToken(): Promise<string> {
    const [row] = await this.query<{ lsn: string }>(
      `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`,
      [],
      "watch",
    );
    return row!.lsn;
  }

  protected async readTuple(key: TupleKey): Promise<CheckpointTuple | undefined> {
    const select = `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata FROM ${this.t.checkpoints}`;
    const [row] = await this.query<{
      checkpoint_ns: string;
      checkpoint_id: string;
      parent_checkpoint_id: string | null;
      checkpoint: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }>(
      key.id === undefined
        ? `${select} WHERE thread_id = $1 AND checkpoint_ns = $2 ORDER BY checkpoint_id DESC LIMIT 1`
        : `${select} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`,
      key.id === undefined ? [key.threadId, key.ns] : [key.threadId, key.ns, key.id],
    );
    if (!row) return undefined;
    const at = { threadId: key.threadId, ns: row.checkpoint_ns, id: row.checkpoint_id };
    const where = this.where(at);
    const versions = (row.checkpoint.channel_versions ?? {}) as Record<string, string | number>;
    const channels = Object.keys(versions);
    const [blobs, writes] = await Promise.all([
      this.query<{ channel: string; type: string; blob: Buffer | null }>(
        `SELECT b.channel, b.type, b.blob FROM ${this.t.checkpoint_blobs} b
         JOIN unnest($3::text[], $4::text[]) AS v(channel, version) ON b.channel = v.channel AND b.version = v.version
         WHERE b.thread_id = $1 AND b.checkpoint_ns = $2`,
        [key.threadId, at.ns, channels, channels.map((c) => String(versions[c]))],
      ),
      this.query<{ task_id: string; channel: string; type: string | null; blob: Buffer | null }>(
        `SELECT task_id, channel, type, blob FROM ${this.t.checkpoint_writes}
         WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3 ORDER BY task_id, idx`,
        [key.threadId, at.ns, at.id],
      ),
    ]);
    const decoder = this.decoder(Object.values(versions).some((v) => typeof v === "number") ? "js-json" : this.flavour);
    // Python keeps primitives (str, int, float, bool, None) inline; everything else is a blob.
    const values: Record<string, unknown> = { ...((row.checkpoint.channel_values ?? {}) as Record<string, unknown>) };
    for (const b of blobs) {
      if (b.type === "empty") continue;
      values[b.channel] = await decoder.value(b.type, b.blob, `${where}: the value of "${b.channel}"`);
    }
    const decodedWrites: [string, string, unknown][] = [];
    for (const w of writes) {
      const what = `${where}: the write to "${w.channel}" of task ${w.task_id}`;
      decodedWrites.push([w.task_id, w.channel, await decoder.write(w.channel, w.type, w.blob, what)]);
    }
    const metadata = await decoder.metadata(row.metadata, `${where}: the metadata`);
    return this.tupleOf(at, row.parent_checkpoint_id || null, { ...row.checkpoint, channel_values: values }, metadata, decodedWrites);
  }

  protected async readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]> {
    const where = ["thread_id = $1"];
    const params: unknown[] = [threadId];
    if (options.ns !== undefined) where.push(`checkpoint_ns = $${params.push(options.ns)}`);
    if (options.before !== undefined) where.push(`checkpoint_id < $${params.push(options.before)}`);
    const limit = options.limit === undefined ? "" : ` LIMIT $${params.push(options.limit)}`;
    const rows = await this.query<{ checkpoint_ns: string; checkpoint_id: string; parent_checkpoint_id: string | null; metadata: Record<string, unknown> }>(
      `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, metadata FROM ${this.t.checkpoints}
       WHERE ${where.join(" AND ")} ORDER BY ${options.ns !== undefined ? "checkpoint_ns DESC, " : ""}checkpoint_id DESC${limit}`,
      params,
    );
    return rows.map((r) => ({ ns: r.checkpoint_ns, id: r.checkpoint_id, parentId: r.parent_checkpoint_id, metadata: r.metadata, flavour: this.flavour }));
  }

  async writeChannelsBetween(threadId: string, fromId: string, toId: string) {
    const rows = await this.query<{ checkpoint_ns: string; checkpoint_id: string; channel: string }>(
      `SELECT DISTINCT checkpoint_ns, checkpoint_id, channel FROM ${this.t.checkpoint_writes}
       WHERE thread_id = $1 AND checkpoint_id BETWEEN $2 AND $3`,
      [threadId, fromId, toId],
    );
    return rows.map((r) => ({ checkpointNs: r.checkpoint_ns, checkpointId: r.checkpoint_id, channel: r.channel }));
  }

  /**
   * Each thread's head from its id: the namespace first in the key (the root's '') and its newest
   * checkpoint there, and the writes at it — three probes of the primary keys, index-only.
   */
  private headsOf(ids: string): string {
    const c = this.t.checkpoints;
    return `SELECT ids.id AS thread_id, h.ns, last.checkpoint_id AS head, w.n AS writes FROM ${ids}
      CROSS JOIN LATERAL (SELECT checkpoint_ns AS ns FROM ${c} WHERE thread_id = ids.id ORDER BY checkpoint_ns LIMIT 1) h
      CROSS JOIN LATERAL (SELECT checkpoint_id FROM ${c} WHERE thread_id = ids.id AND checkpoint_ns = h.ns ORDER BY checkpoint_id DESC LIMIT 1) last
      CROSS JOIN LATERAL (SELECT count(*) AS n FROM ${this.t.checkpoint_writes}
        WHERE thread_id = ids.id AND checkpoint_ns = h.ns AND checkpoint_id = last.checkpoint_id) w`;
  }

  private headRows(rows: { thread_id: string; ns: string; head: string; writes: string }[]): HeadRow[] {
    return rows.map((r) => ({ threadId: r.thread_id, headNs: r.ns, headId: r.head, headWrites: Number(r.writes) }));
  }

  /** A skip-scan over the primary key from the cursor: one index probe per thread, never a pass over checkpoints. */
  protected async readThreads(options: { after?: string; from?: string; limit: number; background?: boolean }): Promise<HeadRow[]> {
    const c = this.t.checkpoints;
    const params: unknown[] = [options.limit];
    const start = options.after !== undefined ? `WHERE thread_id > $${params.push(options.after)}` : options.from !== undefined ? `WHERE thread_id >= $${params.push(options.from)}` : "";
    const rows = await this.query<{ thread_id: string; ns: string; head: string; writes: string }>(
      `WITH RECURSIVE ids(id, n) AS (
         (SELECT thread_id, 1 FROM ${c} ${start} ORDER BY thread_id LIMIT 1)
         UNION ALL
         SELECT (SELECT thread_id FROM ${c} WHERE thread_id > ids.id ORDER BY thread_id LIMIT 1), n + 1 FROM ids WHERE ids.id IS NOT NULL AND n < $1
       )
       ${this.headsOf("ids")} WHERE ids.id IS NOT NULL ORDER BY ids.n`,
      params,
      options.background ? "watch" : "read",
    );
    return this.headRows(rows);
  }

  protected async readThread(threadId: string): Promise<HeadRow | undefined> {
    const rows = await this.query<{ thread_id: string; ns: string; head: string; writes: string }>(this.headsOf("(SELECT $1::text AS id) ids"), [threadId]);
    return this.headRows(rows)[0];
  }

  protected async countThreadIds(): Promise<number> {
    const c = this.t.checkpoints;
    const [row] = await this.query<{ n: string }>(
      `WITH RECURSIVE ids(id) AS (
         (SELECT thread_id FROM ${c} ORDER BY thread_id LIMIT 1)
         UNION ALL
         SELECT (SELECT thread_id FROM ${c} WHERE thread_id > ids.id ORDER BY thread_id LIMIT 1) FROM ids WHERE ids.id IS NOT NULL
       )
       SELECT count(id) AS n FROM ids`,
    );
    return Number(row?.n ?? 0);
  }

  async countCheckpoints(threadId: string): Promise<number> {
    const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.t.checkpoints} WHERE thread_id = $1`, [threadId]);
    return Number(row?.n ?? 0);
  }

  protected async readHeadMetadata(heads: HeadRow[]): Promise<HeadMetadataRow[]> {
    const c = this.t.checkpoints;
    const rows = await this.query<{ thread_id: string; metadata: Record<string, unknown>; first: string }>(
      `SELECT c.thread_id, c.metadata,
         (SELECT checkpoint_id FROM ${c} f WHERE f.thread_id = k.thread_id AND f.checkpoint_ns = k.ns ORDER BY checkpoint_id LIMIT 1) AS first
       FROM ${c} c
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(thread_id, ns, id)
         ON c.thread_id = k.thread_id AND c.checkpoint_ns = k.ns AND c.checkpoint_id = k.id`,
      [heads.map((h) => h.threadId), heads.map((h) => h.headNs), heads.map((h) => h.headId)],
    );
    return rows.map((r) => ({ threadId: r.thread_id, firstId: r.first, metadata: r.metadata, flavour: this.flavour }));
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.slots)) {
      const client = s.client;
      s.client = undefined;
      await client?.end().catch(() => undefined);
    }
  }
}
