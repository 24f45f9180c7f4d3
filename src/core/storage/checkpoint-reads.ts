/**
 * The read side of SqliteCheckpointer: checkpoint rows back into LangGraph's tuples, channel values
 * reassembled from their stored chains (see delta.ts), pending writes in LangGraph's order.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  TASKS,
  compareWritesSortKeys,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type SerializerProtocol,
} from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { BLOB_DELTA, BLOB_EMPTY, decodeChainNow, loadValue, loadValueNow, WalkCache, type BlobLinkRow, type BlobRow, type ParsedRow } from "./delta";
import { COMPRESSED, unpack } from "./compress";
import { StorageError } from "./errors";
import { all, andThen, isPromise, type MaybePromise } from "./maybe-async";
import { statement } from "./statements";
import { nextChannelVersion, type ChannelVersion } from "./versions";

/** A checkpoint as stored: everything but its channel values, which live in tl_blobs. */
export type StoredCheckpoint = Omit<Checkpoint, "channel_values">;

export interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Buffer;
  metadata_type: string;
  metadata: Buffer;
}

interface WriteRow {
  task_id: string;
  idx: number;
  channel: string;
  type: string;
  value: Buffer | null;
  task_path: string;
}

const EMPTY_CHANNEL = Symbol("empty channel");
const JSON_COMPRESSED = `json${COMPRESSED}`;

/** Rows per `list` page: a page is read with `.all()`, so no statement stays open across a yield. */
const LIST_PAGE_SIZE = 50;
/** Far above any chain delta.ts writes; only a damaged file (a cycle) gets here. */
const MAX_CHAIN_ROWS = 100_000;
const CHECKPOINT_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata_type, metadata";

export function threadIdOf(config: RunnableConfig): string | undefined {
  const threadId = config.configurable?.thread_id;
  return threadId === undefined || threadId === null || threadId === "" ? undefined : String(threadId);
}

export class CheckpointReads {
  /** Rows parsed by the last getTuple, for the next one (a UI polling a thread's head). */
  private readonly recentReads: WalkCache;

  constructor(
    private readonly db: Database.Database,
    private readonly serde: SerializerProtocol,
  ) {
    this.recentReads = new WalkCache(serde);
  }

  /** Drops what the cache knows of a thread whose rows were deleted. */
  forgetThread(id: string): void {
    this.recentReads.forgetThread(id);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = threadIdOf(config);
    if (threadId === undefined) return undefined;
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const row = this.checkpointRow(threadId, ns, getCheckpointId(config) || undefined);
    return row ? this.toTuple(row, this.recentReads) : undefined;
  }

  /**
   * Every checkpoint has its own containers (callers may push to its `messages`), but the message
   * objects of one call are shared between the checkpoints that hold them, as they are between the
   * steps of a run: LangGraph treats them as immutable (see WalkCache).
   */
  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { filter } = options;
    let remaining = options.limit;
    if (remaining !== undefined && remaining <= 0) return;
    const page = this.listPageQuery(config, options);
    const walk = new WalkCache(this.serde, true);
    let cursor: CheckpointRow | undefined;
    for (;;) {
      // One page at a time with .all(): an open iterator would make every other statement on this
      // connection (a run's put) fail until the consumer resumed the generator.
      // Without a filter every row is yielded, so a small limit needs no more rows than that.
      const pageSize = filter || remaining === undefined ? LIST_PAGE_SIZE : Math.min(remaining, LIST_PAGE_SIZE);
      const rows = page(cursor, pageSize);
      for (const row of rows) {
        cursor = row;
        if (filter && Object.keys(filter).length > 0) {
          const metadata = (await loadValue(this.serde, row.metadata_type, row.metadata)) as Record<string, unknown>;
          if (!Object.entries(filter).every(([key, value]) => metadata?.[key] === value)) continue;
        }
        const tuple = this.toTuple(row, walk);
        yield isPromise(tuple) ? await tuple : tuple;
        if (remaining !== undefined && --remaining <= 0) return;
      }
      if (rows.length < pageSize) return;
    }
  }

  /** The keyset-paged query for one `list` call: newest checkpoint id first, ties broken by key. */
  private listPageQuery(
    config: RunnableConfig,
    options: CheckpointListOptions,
  ): (after: CheckpointRow | undefined, pageSize: number) => CheckpointRow[] {
    const threadId = threadIdOf(config);
    const ns: string | undefined = config.configurable?.checkpoint_ns;
    const checkpointId: string | undefined = config.configurable?.checkpoint_id || undefined;
    const before: string | undefined = options.before?.configurable?.checkpoint_id || undefined;
    const conditions: [string, unknown][] = [];
    if (threadId !== undefined) conditions.push(["thread_id = ?", threadId]);
    if (ns !== undefined) conditions.push(["checkpoint_ns = ?", ns]);
    if (checkpointId !== undefined) conditions.push(["checkpoint_id = ?", checkpointId]);
    if (before !== undefined) conditions.push(["checkpoint_id < ?", before]);
    const where = conditions.map(([condition]) => condition);
    const params = conditions.map(([, param]) => param);
    // With thread and namespace fixed the id alone is unique; otherwise ties need the other keys.
    const keys =
      threadId !== undefined && ns !== undefined
        ? ["checkpoint_id"]
        : threadId !== undefined
          ? ["checkpoint_id", "checkpoint_ns"]
          : ["checkpoint_id", "thread_id", "checkpoint_ns"];
    const order = keys.map((key) => `${key} DESC`).join(", ");
    const tuple = `(${keys.join(", ")})`;
    const marks = `(${keys.map(() => "?").join(", ")})`;
    const filters = where.join(" AND ");
    const first = statement(this.db, 
      `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints ${filters ? `WHERE ${filters}` : ""} ORDER BY ${order} LIMIT ?`,
    );
    const next = statement(this.db, 
      `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE ${filters ? `${filters} AND ` : ""}${tuple} < ${marks} ORDER BY ${order} LIMIT ?`,
    );
    return (after, pageSize) => {
      if (after === undefined) return first.all(...params, pageSize) as CheckpointRow[];
      const cursor = keys.map((key) => after[key as keyof CheckpointRow]);
      return next.all(...params, ...cursor, pageSize) as CheckpointRow[];
    };
  }

  /** At once unless a value needs an asynchronous step (see maybe-async.ts). */
  private toTuple(row: CheckpointRow, walk?: WalkCache): MaybePromise<CheckpointTuple> {
    const threadId = row.thread_id;
    const ns = row.checkpoint_ns;
    const loading = all([
      loadValueNow(this.serde, row.type, row.checkpoint),
      loadValueNow(this.serde, row.metadata_type, row.metadata),
      this.loadWrites(threadId, ns, row.checkpoint_id),
    ]);
    return andThen(loading, ([loaded, metadata, pendingWrites]) => {
      const stored = loaded as StoredCheckpoint;
      return andThen(this.loadChannelValues(threadId, ns, stored.channel_versions ?? {}, walk), (channelValues) => {
        const checkpoint: Checkpoint = { ...stored, channel_values: channelValues };
        const tuple: CheckpointTuple = {
          config: { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: row.checkpoint_id } },
          checkpoint,
          metadata: metadata as CheckpointMetadata,
          pendingWrites: pendingWrites as CheckpointPendingWrite[],
        };
        if (row.parent_checkpoint_id !== null) {
          tuple.parentConfig = { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: row.parent_checkpoint_id } };
        }
        if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
          return this.migratePendingSends(checkpoint, threadId, ns, row.parent_checkpoint_id).then(() => tuple);
        }
        return tuple;
      });
    });
  }

  /** The value of every channel at the given versions; channels without a stored value are absent. */
  private loadChannelValues(
    threadId: string,
    ns: string,
    versions: Record<string, ChannelVersion>,
    walk?: WalkCache,
  ): MaybePromise<Record<string, unknown>> {
    const channels = Object.entries(versions);
    // One channel after the other, as the walk's rows are shared; assigned in version order once all
    // are decoded, so that key order depends neither on which decode finishes first nor on whether a
    // walk had the rows already.
    const decoded = all(channels.map(([channel, version]) => this.channelValue(threadId, ns, channel, version, walk)));
    return andThen(decoded, (decodedValues) => {
      const values: Record<string, unknown> = {};
      channels.forEach(([channel], i) => {
        if (decodedValues[i] !== EMPTY_CHANNEL) values[channel] = decodedValues[i];
      });
      walk?.endCheckpoint();
      return values;
    });
  }

  /** One channel's value, from the walk's shared rows where it can; EMPTY_CHANNEL without a stored value. */
  private channelValue(threadId: string, ns: string, channel: string, version: ChannelVersion, walk?: WalkCache): MaybePromise<unknown> {
    const shared = walk?.enabled ? this.sharedChainValue(walk, threadId, ns, channel, version) : undefined;
    return andThen(shared, (value) => {
      if (value !== undefined) return value;
      const rows = this.blobChain(threadId, ns, channel, version);
      if (rows.length === 0 || rows[rows.length - 1]!.kind === BLOB_EMPTY) return EMPTY_CHANNEL;
      return decodeChainNow(this.serde, rows, () => `channel "${channel}" of thread "${threadId}"`);
    });
  }

  /**
   * A delta-chain value assembled from rows a list walk has already parsed; undefined when the
   * chain is not made of plain JSON arrays (decode it the ordinary way then).
   */
  private sharedChainValue(
    walk: WalkCache,
    threadId: string,
    ns: string,
    channel: string,
    version: ChannelVersion,
  ): MaybePromise<unknown[] | typeof EMPTY_CHANNEL | undefined> {
    const links = this.blobLinks(threadId, ns, channel, version, walk.links(threadId, ns, channel));
    if (links.length === 0 || links[links.length - 1]!.kind === BLOB_EMPTY) return EMPTY_CHANNEL;
    if ((links.length === 1 && !walk.keepsSnapshots) || links.some((link) => link.type !== "json" && link.type !== JSON_COMPRESSED)) return undefined;
    const selectValue = statement(this.db, "SELECT value FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    const parts: ParsedRow[] = [];
    // From link `from` on; continues after a part that had to be awaited.
    const collect = (from: number): MaybePromise<unknown[] | undefined> => {
      for (let i = from; i < links.length; i++) {
        const link = links[i]!;
        const part = walk.part(JSON.stringify([threadId, ns, channel, link.version]), () => {
          const row = selectValue.get(threadId, ns, channel, link.version) as { value: Buffer | null } | undefined;
          return row ? unpack(link.type!, row.value).value?.toString("utf8") : undefined;
        });
        if (isPromise(part)) return part.then((awaited) => (awaited === undefined ? undefined : (parts.push(awaited), collect(i + 1))));
        if (part === undefined) return undefined;
        parts.push(part);
      }
      return walk.assemble(parts);
    };
    return collect(0);
  }

  /** The versions, kinds and bases of one channel version's chain, oldest first, without the values. */
  /** `known`: links already read by this walk (a stored version never changes), so that each is read once. */
  private blobLinks(threadId: string, ns: string, channel: string, version: ChannelVersion, known?: Map<ChannelVersion, BlobLinkRow>): BlobLinkRow[] {
    const select = statement(this.db, "SELECT version, kind, base_version, type FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    return this.walkChain<BlobLinkRow>(select, threadId, ns, channel, version, known);
  }

  /**
   * The rows that make up one channel version, oldest (the whole snapshot) first. Walked row by row
   * on the primary key: measured faster than a recursive CTE, which copies every blob into a
   * temporary table to sort it.
   */
  private blobChain(threadId: string, ns: string, channel: string, version: ChannelVersion): BlobRow[] {
    const select = statement(this.db, "SELECT kind, base_version, type, value FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    return this.walkChain<BlobRow & { base_version: ChannelVersion | null }>(select, threadId, ns, channel, version);
  }

  /** Follows base_version from `version` back to its whole snapshot; empty if `version` is not stored. */
  private walkChain<Row extends { kind: number; base_version: ChannelVersion | null }>(
    select: Database.Statement,
    threadId: string,
    ns: string,
    channel: string,
    version: ChannelVersion,
    known?: Map<ChannelVersion, Row>,
  ): Row[] {
    const rows: Row[] = [];
    let next: ChannelVersion | null = version;
    while (next !== null) {
      let row: Row | undefined = known?.get(next);
      if (!row) {
        row = select.get(threadId, ns, channel, next) as Row | undefined;
        if (row && known) known.set(next, row);
      }
      if (!row) {
        if (rows.length === 0) return rows;
        throw new StorageError("CORRUPT", `Channel "${channel}" of thread "${threadId}" refers to a missing stored version.`);
      }
      rows.push(row);
      if (rows.length > MAX_CHAIN_ROWS) {
        throw new StorageError("CORRUPT", `Channel "${channel}" of thread "${threadId}" has a cycle in its stored versions.`);
      }
      next = row.kind === BLOB_DELTA ? row.base_version : null;
    }
    return rows.reverse();
  }

  private writeRows(threadId: string, ns: string, checkpointId: string): WriteRow[] {
    const rows = statement(this.db, 
      "SELECT task_id, idx, channel, type, value, task_path FROM tl_writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?",
    ).all(threadId, ns, checkpointId) as WriteRow[];
    // In JS rather than ORDER BY: the order must be exactly compareWritesSortKeys's code-point order.
    const keyed = rows.map((row) => ({ row, key: writesSortKey(row.task_path, row.task_id, row.idx) }));
    keyed.sort((a, b) => compareWritesSortKeys(a.key, b.key));
    return keyed.map(({ row }) => row);
  }

  private loadWrites(threadId: string, ns: string, checkpointId: string): MaybePromise<CheckpointPendingWrite[]> {
    const rows = this.writeRows(threadId, ns, checkpointId);
    return all(
      rows.map((row) => andThen(loadValueNow(this.serde, row.type, row.value), (value): CheckpointPendingWrite => [row.task_id, row.channel, value])),
    );
  }

  /** Checkpoints before format v4 kept pending Sends in the parent's writes; LangGraph expects them in TASKS. */
  private async migratePendingSends(checkpoint: Checkpoint, threadId: string, ns: string, parentId: string): Promise<void> {
    const sends = this.writeRows(threadId, ns, parentId).filter((row) => row.channel === TASKS);
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((row) => loadValue(this.serde, row.type, row.value)));
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : (nextChannelVersion(undefined) as unknown as number);
  }

  /**
   * Same contract as the base walk (used by LangGraph's DeltaChannel), on the rows directly: per
   * ancestor it decodes only the requested channels and their writes, not the whole checkpoint.
   */
  async deltaChannelHistory(options: { config: RunnableConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    if (channels.length === 0) return {};
    const threadId = threadIdOf(config);
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const collected = new Map<string, CheckpointPendingWrite[]>(channels.map((channel) => [channel, []]));
    const seeds = new Map<string, unknown>();
    const remaining = new Set(channels);
    const target = threadId === undefined ? undefined : this.checkpointRow(threadId, ns, getCheckpointId(config) || undefined);
    let ancestorId = target?.parent_checkpoint_id ?? null;
    while (threadId !== undefined && ancestorId !== null && remaining.size > 0) {
      const ancestor = this.checkpointRow(threadId, ns, ancestorId);
      if (!ancestor) break;
      const stored = (await loadValue(this.serde, ancestor.type, ancestor.checkpoint)) as StoredCheckpoint;
      const terminated: string[] = [];
      for (const channel of remaining) {
        const version = (stored.channel_versions ?? {})[channel];
        if (version === undefined) continue;
        const rows = this.blobChain(threadId, ns, channel, version);
        if (rows.length === 0 || rows[rows.length - 1]!.kind === BLOB_EMPTY) continue;
        const value = await decodeChainNow(this.serde, rows, () => `channel "${channel}" of thread "${threadId}"`);
        if (value === undefined) continue;
        seeds.set(channel, value);
        terminated.push(channel);
      }
      // The ancestor's own writes led to its child, so they count even where the walk ends.
      const writes = this.writeRows(threadId, ns, ancestorId).filter((row) => remaining.has(row.channel));
      for (let i = writes.length - 1; i >= 0; i--) {
        const row = writes[i]!;
        collected.get(row.channel)!.push([row.task_id, row.channel, await loadValue(this.serde, row.type, row.value)]);
      }
      for (const channel of terminated) remaining.delete(channel);
      ancestorId = ancestor.parent_checkpoint_id;
    }
    const result: Record<string, DeltaChannelHistory> = {};
    for (const channel of channels) {
      const entry: DeltaChannelHistory = { writes: collected.get(channel)!.slice().reverse() };
      if (seeds.has(channel)) entry.seed = seeds.get(channel);
      result[channel] = entry;
    }
    return result;
  }

  checkpointRow(threadId: string, ns: string, checkpointId: string | undefined): CheckpointRow | undefined {
    return (
      checkpointId
        ? statement(this.db, `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`).get(
            threadId,
            ns,
            checkpointId,
          )
        : statement(this.db, 
            `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
          ).get(threadId, ns)
    ) as CheckpointRow | undefined;
  }

}
