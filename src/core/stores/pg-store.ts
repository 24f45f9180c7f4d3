// A PostgreSQL database written by LangGraph's PostgresSaver (Python:
// msgpack blobs and JSON metadata; JS: JSON blobs, tables in its `schema`).
// Channel values live in `checkpoint_blobs` by (channel, version), except
// the primitives Python's saver keeps inline in the checkpoint's JSONB.
// Every session is read-only (default_transaction_read_only); every query
// walks the savers' primary keys. Nothing is created in the database.

import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import { createHash } from "node:crypto";
import pg from "pg";
import type { SaverFlavour } from "../importers/saver-decoder";
import { StorageError } from "../storage/errors";
import { connectionProblem, parseConnectionString, type PgTarget } from "./pg-connect";
import { SaverReader, type HeadMetadataRow, type SummaryRow, type TupleKey } from "./saver-reader";
import type { HeadRow, ThreadsOptions } from "./thread-list";
import {
  countCheckpointsSql,
  countThreadsSql,
  headMetadataSql,
  summariesSql,
  threadPageSql,
  threadSql,
  tupleSql,
  writeChannelsSql,
  type PgTables,
} from "./pg-queries";

/** The newest `checkpoint_migrations` version the savers have shipped (Python 0–9; JS 0–4). */
export const KNOWN_MIGRATION = 9;
const TABLES = ["checkpoints", "checkpoint_blobs", "checkpoint_writes", "checkpoint_migrations"];

const names = new Map<string, string>();
const statementName = (sql: string) => {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `threadline_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`));
  return name;
};

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Slot = "read" | "watch";

/** A thread's head, and with `details` what a page shows of it. */
interface HeadSqlRow {
  thread_id: string;
  ns: string;
  head: string;
  writes: string;
  metadata?: Record<string, unknown>;
  first?: string;
  checkpoints?: string;
}

/** A checkpoint row with its blobs and writes as parallel arrays (null where there are none). */
interface TupleRow {
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  checkpoint: Record<string, unknown>;
  metadata: Record<string, unknown>;
  blob_channels: string[] | null;
  blob_types: string[] | null;
  blob_values: (Buffer | null)[] | null;
  write_tasks: string[] | null;
  write_channels: string[] | null;
  write_types: (string | null)[] | null;
  write_values: (Buffer | null)[] | null;
}

export interface PgStatus {
  connected: boolean;
  /** Why the last query failed, while the connection is down. */
  error: string | null;
}

export class PgStore extends SaverReader {
  readonly kind = "postgres" as const;
  readonly label: string;
  /** Reads for the UI, and the watcher's walk over every thread on its own session, so no page waits behind it. */
  private readonly slots: Record<Slot, { client?: pg.Client; connecting?: Promise<pg.Client>; queue?: Promise<unknown> }> = { read: {}, watch: {} };
  private lost: string | null = null;
  private flavour: SaverFlavour = "python-msgpack";
  private readonly t: PgTables;

  private constructor(private readonly target: PgTarget) {
    super();
    this.label = target.label;
    this.t = Object.fromEntries(TABLES.map((name) => [name, `${ident(target.schema)}.${name}`])) as unknown as PgTables;
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

  private closed = false;

  private async connection(slot: Slot): Promise<pg.Client> {
    // A poll still running when the store closed must not open a session nobody ends.
    if (this.closed) throw new StorageError("CANNOT_OPEN", `${this.label} is closed.`);
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

  /** One query at a time per session, in call order (pg's own queue for concurrent calls is deprecated). */
  private query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = [], slot: Slot = "read"): Promise<R[]> {
    const s = this.slots[slot];
    const run = (s.queue ?? Promise.resolve()).then(() => this.run<R>(sql, values, slot));
    s.queue = run.catch(() => undefined);
    return run;
  }

  private async run<R extends pg.QueryResultRow>(sql: string, values: unknown[], slot: Slot): Promise<R[]> {
    const client = await this.connection(slot);
    try {
      // Named: each session parses and plans a query once, not at every page or state read.
      return (await client.query<R>({ name: statementName(sql), text: sql, values })).rows;
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
    const latest = key.id === undefined;
    const [row] = await this.query<TupleRow>(tupleSql(this.t, latest), latest ? [key.threadId, key.ns] : [key.threadId, key.ns, key.id]);
    if (!row) return undefined;
    const at = { threadId: key.threadId, ns: row.checkpoint_ns, id: row.checkpoint_id };
    const where = this.where(at);
    const versions = (row.checkpoint.channel_versions ?? {}) as Record<string, string | number>;
    const decoder = this.decoder(Object.values(versions).some((v) => typeof v === "number") ? "js-json" : this.flavour);
    // Python keeps primitives (str, int, float, bool, None) inline; everything else is a blob.
    const values: Record<string, unknown> = { ...((row.checkpoint.channel_values ?? {}) as Record<string, unknown>) };
    for (const [i, channel] of (row.blob_channels ?? []).entries()) {
      const type = row.blob_types![i]!;
      if (type === "empty") continue;
      values[channel] = await decoder.value(type, row.blob_values![i] ?? null, `${where}: the value of "${channel}"`);
    }
    const writes: [string, string, unknown][] = [];
    for (const [i, task] of (row.write_tasks ?? []).entries()) {
      const channel = row.write_channels![i]!;
      const what = `${where}: the write to "${channel}" of task ${task}`;
      writes.push([task, channel, await decoder.write(channel, row.write_types![i] ?? null, row.write_values![i] ?? null, what)]);
    }
    const metadata = await decoder.metadata(row.metadata, `${where}: the metadata`);
    return this.tupleOf(at, row.parent_checkpoint_id || null, { ...row.checkpoint, channel_values: values }, metadata, writes);
  }

  protected async readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]> {
    const params: unknown[] = [threadId];
    for (const value of [options.ns, options.before, options.limit]) if (value !== undefined) params.push(value);
    const sql = summariesSql(this.t, { ns: options.ns !== undefined, before: options.before !== undefined, limit: options.limit !== undefined });
    const rows = await this.query<{ checkpoint_ns: string; checkpoint_id: string; parent_checkpoint_id: string | null; metadata: Record<string, unknown> }>(sql, params);
    return rows.map((r) => ({ ns: r.checkpoint_ns, id: r.checkpoint_id, parentId: r.parent_checkpoint_id, metadata: r.metadata, flavour: this.flavour }));
  }

  async writeChannelsBetween(threadId: string, fromId: string, toId: string) {
    const rows = await this.query<{ checkpoint_ns: string; checkpoint_id: string; channel: string }>(writeChannelsSql(this.t), [threadId, fromId, toId]);
    return rows.map((r) => ({ checkpointNs: r.checkpoint_ns, checkpointId: r.checkpoint_id, channel: r.channel }));
  }

  private headRows(rows: HeadSqlRow[]): (HeadRow & { raw?: HeadMetadataRow })[] {
    return rows.map((r) => ({
      threadId: r.thread_id,
      headNs: r.ns,
      headId: r.head,
      headWrites: Number(r.writes),
      ...(r.metadata !== undefined
        ? { raw: { threadId: r.thread_id, firstId: r.first!, checkpointCount: Number(r.checkpoints), metadata: r.metadata, flavour: this.flavour } }
        : {}),
    }));
  }

  protected async readThreads(options: ThreadsOptions): Promise<(HeadRow & { raw?: HeadMetadataRow })[]> {
    const start = options.after !== undefined ? "after" : options.from !== undefined ? "from" : "first";
    const params = start === "first" ? [options.limit] : [options.limit, options.after ?? options.from];
    const rows = await this.query<HeadSqlRow>(threadPageSql(this.t, start, options.details), params, options.background ? "watch" : "read");
    return this.headRows(rows);
  }

  protected async readThread(threadId: string): Promise<HeadRow | undefined> {
    return this.headRows(await this.query<HeadSqlRow>(threadSql(this.t), [threadId]))[0];
  }

  protected async countThreadIds(): Promise<number> {
    const [row] = await this.query<{ n: string }>(countThreadsSql(this.t));
    return Number(row?.n ?? 0);
  }

  async countCheckpoints(threadId: string): Promise<number> {
    const [row] = await this.query<{ n: string }>(countCheckpointsSql(this.t), [threadId]);
    return Number(row?.n ?? 0);
  }

  protected async readHeadMetadata(heads: HeadRow[]): Promise<HeadMetadataRow[]> {
    const rows = await this.query<{ thread_id: string; metadata: Record<string, unknown>; first: string; checkpoints: string }>(headMetadataSql(this.t), [
      heads.map((h) => h.threadId),
      heads.map((h) => h.headNs),
      heads.map((h) => h.headId),
    ]);
    return rows.map((r) => ({ threadId: r.thread_id, firstId: r.first, checkpointCount: Number(r.checkpoints), metadata: r.metadata, flavour: this.flavour }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of Object.values(this.slots)) {
      await s.connecting?.catch(() => undefined);
      const client = s.client;
      s.client = undefined;
      await client?.end().catch(() => undefined);
    }
  }
}
