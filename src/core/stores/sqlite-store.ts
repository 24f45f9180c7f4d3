// A SQLite file written by LangGraph's SqliteSaver (Python, sync or async:
// msgpack values; JS: JSON values), read in place (see sqlite-file.ts). Every
// query walks the savers' primary keys: checkpoints (thread_id,
// checkpoint_ns, checkpoint_id) and writes (…, task_id, idx).

import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import type { SaverFlavour } from "../importers/saver-decoder";
import { checkSaverTables, type CheckpointRecord } from "../importers/langgraph-source";
import { StorageError } from "../storage/errors";
import { SaverReader, type HeadMetadataRow, type SummaryRow, type TupleKey } from "./saver-reader";
import type { HeadRow, ThreadsOptions } from "./thread-list";
import { SqliteFile } from "./sqlite-file";

/** A saver's checkpoint row, read within one thread. */
type CheckpointRow = Omit<CheckpointRecord, "thread_id">;

const READ_ATTEMPTS = 5;

const flavourOf = (type: string | null): SaverFlavour => (type === "json" ? "js-json" : "python-msgpack");

export class SqliteStore extends SaverReader {
  readonly kind = "sqlite" as const;
  private readonly hasWrites: boolean;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly source: SqliteFile,
    readonly label: string,
  ) {
    super();
    // The tables only: each row says its own type (flavourOf), so no pass over the rows at open.
    const schema = checkSaverTables(source.db, source.file, "opened");
    if (schema.unsupported !== undefined) {
      source.close();
      throw new StorageError("UNSUPPORTED_SCHEMA", schema.unsupported);
    }
    this.hasWrites = schema.hasWrites;
    // The key's TEXT columns use SQLite's BINARY collation: byte order, so a prefix is one range.
    this.bytewiseIds = true;
  }

  /** Opens `file` read-only; throws StorageError CANNOT_OPEN, NOT_SQLITE or UNSUPPORTED_SCHEMA. */
  static open(file: string): SqliteStore {
    const store = new SqliteStore(new SqliteFile(file), file);
    store.watchFromHere();
    return store;
  }

  /** How the file is read (see sqlite-file.ts). */
  get mode(): "in-place" | "snapshot" {
    return this.source.mode;
  }

  private preparedFor = -1;

  private statement(sql: string): Database.Statement {
    // A new snapshot is a new connection: the statements prepared on the old one went with it.
    if (this.preparedFor !== this.source.generation) {
      this.statements.clear();
      this.preparedFor = this.source.generation;
    }
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.source.db.prepare(sql)));
    return statement;
  }

  private changes = 0;

  /** The file's own signals (data_version, size and times of the file and its -wal), checked now. */
  protected async changeToken(): Promise<string> {
    if (this.source.refresh()) this.changes++;
    return `${this.source.generation}:${this.changes}`;
  }

  /**
   * `fn`'s statements as one read transaction; read again from a new snapshot when the writer
   * checkpointed into the file meanwhile, which could have mixed two versions (sqlite-file.ts).
   */
  private read<T>(fn: () => T): T {
    for (let attempt = 1; ; attempt++) {
      const value = this.source.db.transaction(fn)();
      if (this.source.stillWhole()) return value;
      if (attempt === READ_ATTEMPTS) {
        throw new StorageError("CANNOT_OPEN", `${this.label} changed under each of ${READ_ATTEMPTS} reads: its writer checkpoints faster than it can be read.`);
      }
      this.source.renew();
    }
  }

  protected async readTuple(key: TupleKey): Promise<CheckpointTuple | undefined> {
    const read = this.read(() => {
      const row = this.checkpointRow(key);
      return row && { row, writes: this.hasWrites ? this.writeRows(key.threadId, row.checkpoint_ns, row.checkpoint_id) : [] };
    });
    if (!read) return undefined;
    const { row, writes: rows } = read;
    const at = { threadId: key.threadId, ns: row.checkpoint_ns, id: row.checkpoint_id };
    const where = this.where(at);
    const decoder = this.decoder(flavourOf(row.type));
    const raw = await decoder.checkpoint(row.type, row.checkpoint, `${where}: the checkpoint`);
    const metadata = await decoder.metadata(row.metadata, `${where}: the metadata`);
    const writes: [string, string, unknown][] = [];
    for (const w of rows) {
      const what = `${where}: the write to "${w.channel}" of task ${w.task_id}`;
      writes.push([w.task_id, w.channel, await decoder.write(w.channel, w.type, w.value, what)]);
    }
    return this.tupleOf(at, row.parent_checkpoint_id || null, raw, metadata, writes);
  }

  private checkpointRow(key: TupleKey): CheckpointRow | undefined {
    return (
      key.id === undefined
        ? this.statement(
            `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata FROM checkpoints
             WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
          ).get(key.threadId, key.ns)
        : this.statement(
            `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata FROM checkpoints
             WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
          ).get(key.threadId, key.ns, key.id)
    ) as CheckpointRow | undefined;
  }

  private writeRows(threadId: string, ns: string, id: string) {
    return this.statement(
      `SELECT task_id, idx, channel, type, value FROM writes
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ORDER BY task_id, idx`,
    ).all(threadId, ns, id) as { task_id: string; channel: string; type: string | null; value: Buffer | string | null }[];
  }

  protected async readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]> {
    const where = ["thread_id = ?"];
    const params: unknown[] = [threadId];
    if (options.ns !== undefined) {
      where.push("checkpoint_ns = ?");
      params.push(options.ns);
    }
    if (options.before !== undefined) {
      where.push("checkpoint_id < ?");
      params.push(options.before);
    }
    const limit = options.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.trunc(options.limit))}`;
    const sql = `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, metadata, type FROM checkpoints
       WHERE ${where.join(" AND ")} ORDER BY checkpoint_id DESC${limit}`;
    const rows = this.read(() => this.statement(sql).all(...params) as Omit<CheckpointRow, "checkpoint">[]);
    return rows.map((r) => ({
      ns: r.checkpoint_ns,
      id: r.checkpoint_id,
      parentId: r.parent_checkpoint_id || null,
      metadata: r.metadata,
      flavour: flavourOf(r.type),
    }));
  }

  async writeChannelsBetween(threadId: string, fromId: string, toId: string) {
    if (!this.hasWrites) return [];
    const rows = this.read(
      () =>
        this.statement(`SELECT DISTINCT checkpoint_ns, checkpoint_id, channel FROM writes WHERE thread_id = ? AND checkpoint_id BETWEEN ? AND ?`).all(
          threadId,
          fromId,
          toId,
        ) as { checkpoint_ns: string; checkpoint_id: string; channel: string }[],
    );
    return rows.map((r) => ({ checkpointNs: r.checkpoint_ns, checkpointId: r.checkpoint_id, channel: r.channel }));
  }

  async countCheckpoints(threadId: string): Promise<number> {
    return this.read(() => (this.statement(`SELECT count(*) AS n FROM checkpoints WHERE thread_id = ?`).get(threadId) as { n: number }).n);
  }

  /** One thread's head: the namespace first in the key (the root's '') and its newest checkpoint there; index probes only. */
  private headOf(threadId: unknown): HeadRow | undefined {
    const row = this.statement(
      `SELECT ns, (SELECT checkpoint_id FROM checkpoints WHERE thread_id = @id AND checkpoint_ns = ns ORDER BY checkpoint_id DESC LIMIT 1) AS head
       FROM (SELECT checkpoint_ns AS ns FROM checkpoints WHERE thread_id = @id ORDER BY checkpoint_ns LIMIT 1)`,
    ).get({ id: threadId }) as { ns: string; head: string } | undefined;
    if (!row) return undefined;
    const writes = this.hasWrites
      ? (this.statement(`SELECT count(*) AS n FROM writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`).get(threadId, row.ns, row.head) as { n: number }).n
      : 0;
    return { threadId: String(threadId), headNs: row.ns, headId: row.head, headWrites: writes };
  }

  /** A skip-scan over the primary key from the cursor: one index seek per thread, never a pass over checkpoints. */
  protected async readThreads(options: ThreadsOptions): Promise<(HeadRow & { raw?: HeadMetadataRow })[]> {
    return this.read(() => {
      const heads = this.threadsFrom(options);
      if (!options.details) return heads;
      const raw = new Map(this.headMetadataRows(heads).map((r) => [r.threadId, r]));
      return heads.map((h) => ({ ...h, raw: raw.get(h.threadId) }));
    });
  }

  private threadsFrom(options: { after?: string; from?: string; limit: number }): HeadRow[] {
    const next = this.statement(`SELECT thread_id FROM checkpoints WHERE thread_id > ? ORDER BY thread_id LIMIT 1`);
    const first =
      options.after !== undefined
        ? next.get(options.after)
        : options.from !== undefined
          ? this.statement(`SELECT thread_id FROM checkpoints WHERE thread_id >= ? ORDER BY thread_id LIMIT 1`).get(options.from)
          : this.statement(`SELECT thread_id FROM checkpoints ORDER BY thread_id LIMIT 1`).get();
    const out: HeadRow[] = [];
    let id = (first as { thread_id: unknown } | undefined)?.thread_id;
    while (id !== undefined && out.length < options.limit) {
      const head = this.headOf(id);
      if (head) out.push(head);
      id = (next.get(id) as { thread_id: unknown } | undefined)?.thread_id;
    }
    return out;
  }

  protected async readThread(threadId: string): Promise<HeadRow | undefined> {
    return this.read(() => this.headOf(threadId));
  }

  protected async countThreadIds(): Promise<number> {
    const row = this.read(() => this.statement(
      `WITH RECURSIVE ids(id) AS (
         SELECT (SELECT thread_id FROM checkpoints ORDER BY thread_id LIMIT 1)
         UNION ALL
         SELECT (SELECT thread_id FROM checkpoints WHERE thread_id > ids.id ORDER BY thread_id LIMIT 1) FROM ids WHERE ids.id IS NOT NULL
       )
       SELECT count(id) AS n FROM ids`,
    ).get() as { n: number });
    return row.n;
  }

  protected async readHeadMetadata(heads: HeadRow[]): Promise<HeadMetadataRow[]> {
    return this.read(() => this.headMetadataRows(heads));
  }

  private headMetadataRows(heads: HeadRow[]): HeadMetadataRow[] {
    const read = this.statement(`SELECT metadata, type FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`);
    const first = this.statement(`SELECT checkpoint_id FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id LIMIT 1`);
    const count = this.statement(`SELECT count(*) AS n FROM checkpoints WHERE thread_id = ?`);
    return heads.flatMap((h) => {
      const row = read.get(h.threadId, h.headNs, h.headId) as { metadata: Buffer | string | null; type: string | null } | undefined;
      const firstId = (first.get(h.threadId, h.headNs) as { checkpoint_id: string } | undefined)?.checkpoint_id ?? h.headId;
      const checkpointCount = (count.get(h.threadId) as { n: number }).n;
      return row ? [{ threadId: h.threadId, firstId, checkpointCount, metadata: row.metadata, flavour: flavourOf(row.type) }] : [];
    });
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.source.close();
  }
}
