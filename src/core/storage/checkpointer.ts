import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  INTERRUPT,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
  type SerializerProtocol,
} from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { openDatabase } from "./database";
import { StorageError } from "./errors";
import {
  AppendTracker,
  BLOB_DELTA,
  BLOB_EMPTY,
  BLOB_WHOLE,
  decodeChain,
  declareJsonPlusSerializer,
  loadValue,
  WalkCache,
  type ParsedRow,
  type BlobPlan,
  type BlobLinkRow,
  type BlobRow,
} from "./delta";
import { migrate } from "./migrations";
import {
  Timeline,
  type CheckpointSummary,
  type SummaryPageOptions,
  type ThreadIndexOptions,
  type ThreadIndexRow,
} from "./timeline";
import { nextChannelVersion, type ChannelVersion } from "./versions";

/** What LangGraph's JSON serializer (fast-safe-stringify) writes for a value it could not serialize. */
const UNSERIALIZABLE_TEXT = "[unable to serialize, circular reference is too complex to analyze]";
const UNSERIALIZABLE_BYTES = Buffer.from(JSON.stringify(UNSERIALIZABLE_TEXT));

export interface SqliteCheckpointerOptions {
  serde?: SerializerProtocol;
  /**
   * Set when `serde` is LangGraph's JsonPlusSerializer from another copy of
   * @langchain/langgraph-checkpoint (a project's own), so that reads keep their fast paths.
   */
  serdeIsJsonPlus?: boolean;
  /** With `serdeIsJsonPlus`: the @langchain/core/messages module that copy's `load` builds messages from. */
  serdeMessages?: Record<string, unknown>;
}

type VersionsSeen = Record<string, Record<string, ChannelVersion>>;
/** A checkpoint as stored: everything but its channel values, which live in tl_blobs. */
type StoredCheckpoint = Omit<Checkpoint, "channel_values">;

interface CheckpointRow {
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

/** Versions a put needs from its parent; cached per thread and namespace for the next put. */
interface ParentVersions {
  checkpointId: string;
  channelVersions: Record<string, ChannelVersion>;
  versionsSeen: VersionsSeen;
}

interface SerializedBlob {
  channel: string;
  version: ChannelVersion;
  plan: BlobPlan;
  value: unknown;
  type: string | null;
  bytes: Uint8Array | null;
}


const EMPTY_CHANNEL = Symbol("empty channel");

/** Thrown inside a put's transaction when a delta's base row has been deleted meanwhile. */
class BaseVersionGone extends Error {}

/** Rows per `list` page: a page is read with `.all()`, so no statement stays open across a yield. */
const LIST_PAGE_SIZE = 50;
const PARENT_CACHE_CAPACITY = 256;
/** Far above any chain delta.ts writes; only a damaged file (a cycle) gets here. */
const MAX_CHAIN_ROWS = 100_000;
const CHECKPOINT_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata_type, metadata";

const MISSING_THREAD_ID =
  'The config passed to the checkpointer has no "thread_id" in its "configurable" property. ' +
  "Pass one, e.g. graph.stream(input, { configurable: { thread_id: \"my-thread\" } }).";

function missingThreadId(action: string): Error {
  return new Error(`Failed to ${action}. ${MISSING_THREAD_ID}`);
}

function threadIdOf(config: RunnableConfig): string | undefined {
  const threadId = config.configurable?.thread_id;
  return threadId === undefined || threadId === null || threadId === "" ? undefined : String(threadId);
}

/** Nodes whose `versions_seen` entry changed since the parent: the ones that ran to produce it. */
export function producedBy(seen: VersionsSeen, parentSeen: VersionsSeen | undefined): string[] {
  const nodes: string[] = [];
  for (const [node, versions] of Object.entries(seen)) {
    if (node === INTERRUPT) continue;
    const before = parentSeen?.[node];
    const changed = before === undefined || Object.entries(versions ?? {}).some(([channel, version]) => before[channel] !== version);
    if (changed) nodes.push(node);
  }
  return nodes.sort();
}

function writeIndex(channel: string, position: number): number {
  return Object.prototype.hasOwnProperty.call(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel]! : position;
}

/**
 * A LangGraph checkpointer on one SQLite file (better-sqlite3), usable by any LangGraph.js app so
 * that Threadline can open the threads it wrote. Channel values are stored once per channel
 * version, array channels that only grow as deltas (see delta.ts), and a thread index and
 * per-checkpoint summaries are kept by `put` for the timeline queries.
 */
export class SqliteCheckpointer extends BaseCheckpointSaver {
  readonly db: Database.Database;
  private readonly ownsDatabase: boolean;
  private readonly timeline: Timeline;
  private readonly appends = new AppendTracker();
  private readonly parents = new Map<string, ParentVersions>();
  private readonly statements = new Map<string, Database.Statement>();
  /** Rows parsed by the last getTuple, for the next one (a UI polling a thread's head). */
  private readonly recentReads: WalkCache;

  constructor(fileOrDatabase: string | Database.Database, options: SqliteCheckpointerOptions = {}) {
    super(options.serde);
    if (options.serde && options.serdeIsJsonPlus) declareJsonPlusSerializer(options.serde, options.serdeMessages);
    if (typeof fileOrDatabase === "string") {
      this.db = openDatabase(fileOrDatabase);
      this.ownsDatabase = true;
    } else {
      this.db = fileOrDatabase;
      this.ownsDatabase = false;
      migrate(this.db, this.db.name);
    }
    this.timeline = new Timeline(this.db);
    this.recentReads = new WalkCache(this.serde);
  }

  /** Closes the database if this checkpointer opened it; a database passed in stays the caller's. */
  close(): void {
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  /** Prepared once per SQL text and reused. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  // ---- versions -----------------------------------------------------------------------------

  /**
   * String versions (see versions.ts). LangGraph.js types versions as numbers by default but
   * handles strings at run time, as LangGraph's Python savers use them.
   */
  override getNextVersion(current: ChannelVersion | undefined): number {
    return nextChannelVersion(current) as unknown as number;
  }

  // ---- reads --------------------------------------------------------------------------------

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
        yield await this.toTuple(row, walk);
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
    const first = this.sql(
      `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints ${filters ? `WHERE ${filters}` : ""} ORDER BY ${order} LIMIT ?`,
    );
    const next = this.sql(
      `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE ${filters ? `${filters} AND ` : ""}${tuple} < ${marks} ORDER BY ${order} LIMIT ?`,
    );
    return (after, pageSize) => {
      if (after === undefined) return first.all(...params, pageSize) as CheckpointRow[];
      const cursor = keys.map((key) => after[key as keyof CheckpointRow]);
      return next.all(...params, ...cursor, pageSize) as CheckpointRow[];
    };
  }

  private async toTuple(row: CheckpointRow, walk?: WalkCache): Promise<CheckpointTuple> {
    const threadId = row.thread_id;
    const ns = row.checkpoint_ns;
    const [stored, metadata, pendingWrites] = await Promise.all([
      loadValue(this.serde, row.type, row.checkpoint) as Promise<StoredCheckpoint>,
      loadValue(this.serde, row.metadata_type, row.metadata) as Promise<CheckpointMetadata>,
      this.loadWrites(threadId, ns, row.checkpoint_id),
    ]);
    const channelValues = await this.loadChannelValues(threadId, ns, stored.channel_versions ?? {}, walk);
    const checkpoint: Checkpoint = { ...stored, channel_values: channelValues };
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
      await this.migratePendingSends(checkpoint, threadId, ns, row.parent_checkpoint_id);
    }
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: row.checkpoint_id } },
      checkpoint,
      metadata,
      pendingWrites,
    };
    if (row.parent_checkpoint_id !== null) {
      tuple.parentConfig = { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: row.parent_checkpoint_id } };
    }
    return tuple;
  }

  /** The value of every channel at the given versions; channels without a stored value are absent. */
  private async loadChannelValues(
    threadId: string,
    ns: string,
    versions: Record<string, ChannelVersion>,
    walk?: WalkCache,
  ): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    // Assigned in version order once all are decoded, so that key order depends neither on which
    // decode finishes first nor on whether a walk had the rows already.
    const decoding: { channel: string; value: Promise<unknown> }[] = [];
    for (const [channel, version] of Object.entries(versions)) {
      const shared = walk?.enabled ? await this.sharedChainValue(walk, threadId, ns, channel, version) : undefined;
      if (shared === EMPTY_CHANNEL) continue;
      if (shared !== undefined) {
        decoding.push({ channel, value: Promise.resolve(shared) });
        continue;
      }
      const rows = this.blobChain(threadId, ns, channel, version);
      if (rows.length === 0 || rows[rows.length - 1]!.kind === BLOB_EMPTY) continue;
      decoding.push({ channel, value: decodeChain(this.serde, rows, () => `channel "${channel}" of thread "${threadId}"`) });
    }
    const decoded = await Promise.all(decoding.map(({ value }) => value));
    decoding.forEach(({ channel }, i) => {
      values[channel] = decoded[i];
    });
    walk?.endCheckpoint();
    return values;
  }

  /**
   * A delta-chain value assembled from rows a list walk has already parsed; undefined when the
   * chain is not made of plain JSON arrays (decode it the ordinary way then).
   */
  private async sharedChainValue(
    walk: WalkCache,
    threadId: string,
    ns: string,
    channel: string,
    version: ChannelVersion,
  ): Promise<unknown[] | typeof EMPTY_CHANNEL | undefined> {
    const links = this.blobLinks(threadId, ns, channel, version, walk.links(threadId, ns, channel));
    if (links.length === 0 || links[links.length - 1]!.kind === BLOB_EMPTY) return EMPTY_CHANNEL;
    if ((links.length === 1 && !walk.keepsSnapshots) || links.some((link) => link.type !== "json")) return undefined;
    const selectValue = this.sql("SELECT value FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    const parts: ParsedRow[] = [];
    for (const link of links) {
      const part = await walk.part(JSON.stringify([threadId, ns, channel, link.version]), () =>
        (selectValue.get(threadId, ns, channel, link.version) as { value: Buffer | null } | undefined)?.value?.toString("utf8"),
      );
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return walk.assemble(parts);
  }

  /** The versions, kinds and bases of one channel version's chain, oldest first, without the values. */
  /** `known`: links already read by this walk (a stored version never changes), so that each is read once. */
  private blobLinks(threadId: string, ns: string, channel: string, version: ChannelVersion, known?: Map<ChannelVersion, BlobLinkRow>): BlobLinkRow[] {
    const select = this.sql("SELECT version, kind, base_version, type FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    return this.walkChain<BlobLinkRow>(select, threadId, ns, channel, version, known);
  }

  /**
   * The rows that make up one channel version, oldest (the whole snapshot) first. Walked row by row
   * on the primary key: measured faster than a recursive CTE, which copies every blob into a
   * temporary table to sort it.
   */
  private blobChain(threadId: string, ns: string, channel: string, version: ChannelVersion): BlobRow[] {
    const select = this.sql("SELECT kind, base_version, type, value FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
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
    const rows = this.sql(
      "SELECT task_id, idx, channel, type, value, task_path FROM tl_writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?",
    ).all(threadId, ns, checkpointId) as WriteRow[];
    // In JS rather than ORDER BY: the order must be exactly compareWritesSortKeys's code-point order.
    const keyed = rows.map((row) => ({ row, key: writesSortKey(row.task_path, row.task_id, row.idx) }));
    keyed.sort((a, b) => compareWritesSortKeys(a.key, b.key));
    return keyed.map(({ row }) => row);
  }

  private async loadWrites(threadId: string, ns: string, checkpointId: string): Promise<CheckpointPendingWrite[]> {
    const rows = this.writeRows(threadId, ns, checkpointId);
    return Promise.all(
      rows.map(async (row): Promise<CheckpointPendingWrite> => [row.task_id, row.channel, await loadValue(this.serde, row.type, row.value)]),
    );
  }

  /** Checkpoints before format v4 kept pending Sends in the parent's writes; LangGraph expects them in TASKS. */
  private async migratePendingSends(checkpoint: Checkpoint, threadId: string, ns: string, parentId: string): Promise<void> {
    const sends = this.writeRows(threadId, ns, parentId).filter((row) => row.channel === TASKS);
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((row) => loadValue(this.serde, row.type, row.value)));
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  /**
   * Same contract as the base walk (used by LangGraph's DeltaChannel), on the rows directly: per
   * ancestor it decodes only the requested channels and their writes, not the whole checkpoint.
   */
  override async getDeltaChannelHistory(options: { config: RunnableConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
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
        const value = await decodeChain(this.serde, rows, () => `channel "${channel}" of thread "${threadId}"`);
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

  private checkpointRow(threadId: string, ns: string, checkpointId: string | undefined): CheckpointRow | undefined {
    return (
      checkpointId
        ? this.sql(`SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`).get(
            threadId,
            ns,
            checkpointId,
          )
        : this.sql(
            `SELECT ${CHECKPOINT_COLUMNS} FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
          ).get(threadId, ns)
    ) as CheckpointRow | undefined;
  }

  // ---- writes -------------------------------------------------------------------------------

  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const threadId = threadIdOf(config);
    if (threadId === undefined) throw missingThreadId("put checkpoint");
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const parentId: string | null = config.configurable?.checkpoint_id || null;
    const { channel_values: channelValues = {}, ...stored } = checkpoint;
    const parent = parentId === null ? undefined : await this.parentVersions(threadId, ns, parentId);
    const nodes = producedBy((stored.versions_seen ?? {}) as VersionsSeen, parent?.versionsSeen);

    const [[type, checkpointBytes], [metadataType, metadataBytes]] = await Promise.all([
      this.dump(stored, "the checkpoint"),
      this.dump(metadata, "the checkpoint's metadata"),
    ]);
    const row = {
      thread_id: threadId,
      checkpoint_ns: ns,
      checkpoint_id: checkpoint.id,
      parent_checkpoint_id: parentId,
      step: Number.isInteger(metadata?.step) ? metadata.step : -1,
      source: typeof metadata?.source === "string" ? metadata.source : "",
      nodes: JSON.stringify(nodes),
      created_at: checkpoint.ts,
      type,
      checkpoint: checkpointBytes,
      metadata_type: metadataType,
      metadata: metadataBytes,
    };

    let blobs = await this.serializeBlobs(threadId, ns, channelValues, newVersions, parent, true);
    try {
      this.commitCheckpoint(row, blobs);
    } catch (error) {
      if (!(error instanceof BaseVersionGone)) throw error;
      // Another connection deleted the thread between our planning and our commit: store whole.
      blobs = await this.serializeBlobs(threadId, ns, channelValues, newVersions, parent, false);
      this.commitCheckpoint(row, blobs);
    }

    for (const blob of blobs) {
      this.appends.remember(threadId, ns, blob.channel, blob.version, parent?.channelVersions[blob.channel], blob.plan, blob.value, blob.bytes?.length ?? 0);
    }
    this.rememberParent(threadId, ns, {
      checkpointId: checkpoint.id,
      channelVersions: { ...(stored.channel_versions ?? {}) },
      versionsSeen: structuredClone((stored.versions_seen ?? {}) as VersionsSeen),
    });
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  private async serializeBlobs(
    threadId: string,
    ns: string,
    channelValues: Record<string, unknown>,
    newVersions: ChannelVersions,
    parent: ParentVersions | undefined,
    allowDeltas: boolean,
  ): Promise<SerializedBlob[]> {
    return Promise.all(
      Object.entries(newVersions).map(async ([channel, version]): Promise<SerializedBlob> => {
        if (!Object.prototype.hasOwnProperty.call(channelValues, channel)) {
          return { channel, version, plan: { kind: BLOB_EMPTY }, value: undefined, type: null, bytes: null };
        }
        const value = channelValues[channel];
        const plan: BlobPlan = allowDeltas
          ? this.appends.plan(threadId, ns, channel, version, parent?.channelVersions[channel], value)
          : { kind: BLOB_WHOLE, value };
        const [type, bytes] = await this.dump(plan.kind === BLOB_DELTA ? plan.elements : value, `channel "${channel}"`);
        return { channel, version, plan, value, type, bytes };
      }),
    );
  }

  private commitCheckpoint(row: Record<string, unknown>, blobs: SerializedBlob[]): void {
    const existing = this.sql("SELECT 1 FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?");
    const upsert = this.sql(`INSERT OR REPLACE INTO tl_checkpoints
      (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step, source, nodes, created_at, type, checkpoint, metadata_type, metadata)
      VALUES (@thread_id, @checkpoint_ns, @checkpoint_id, @parent_checkpoint_id, @step, @source, @nodes, @created_at, @type, @checkpoint, @metadata_type, @metadata)`);
    const baseExists = this.sql("SELECT 1 FROM tl_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?");
    // A version's value never changes once written, so a second put of it keeps the first row.
    const insertBlob = this.sql(`INSERT OR IGNORE INTO tl_blobs (thread_id, checkpoint_ns, channel, version, kind, base_version, type, value)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    // The head is the newest root-namespace checkpoint; a subgraph's only while the root has none.
    const touchThread = this.sql(`INSERT INTO tl_threads
      (thread_id, created_at, updated_at, head_checkpoint_ns, head_checkpoint_id, checkpoint_count)
      VALUES (@thread_id, @now, @now, @checkpoint_ns, @checkpoint_id, 1)
      ON CONFLICT (thread_id) DO UPDATE SET
        updated_at = excluded.updated_at,
        checkpoint_count = checkpoint_count + @added,
        head_checkpoint_ns = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
          THEN excluded.head_checkpoint_ns ELSE head_checkpoint_ns END,
        head_checkpoint_id = CASE WHEN (excluded.head_checkpoint_ns = '', excluded.head_checkpoint_id) > (head_checkpoint_ns = '', head_checkpoint_id)
          THEN excluded.head_checkpoint_id ELSE head_checkpoint_id END`);

    this.db.transaction(() => {
      const { thread_id, checkpoint_ns, checkpoint_id } = row;
      const added = existing.get(thread_id, checkpoint_ns, checkpoint_id) ? 0 : 1;
      for (const blob of blobs) {
        if (blob.plan.kind === BLOB_DELTA && !baseExists.get(thread_id, checkpoint_ns, blob.channel, blob.plan.base)) {
          throw new BaseVersionGone();
        }
        insertBlob.run(
          thread_id,
          checkpoint_ns,
          blob.channel,
          blob.version,
          blob.plan.kind,
          blob.plan.kind === BLOB_DELTA ? blob.plan.base : null,
          blob.type,
          blob.bytes,
        );
      }
      upsert.run(row);
      touchThread.run({ thread_id, checkpoint_ns, checkpoint_id, now: new Date().toISOString(), added });
    }).immediate();
  }

  private parentKey(threadId: string, ns: string): string {
    return `${threadId}\0${ns}`;
  }

  private rememberParent(threadId: string, ns: string, versions: ParentVersions): void {
    const key = this.parentKey(threadId, ns);
    this.parents.delete(key);
    this.parents.set(key, versions);
    if (this.parents.size > PARENT_CACHE_CAPACITY) {
      const oldest = this.parents.keys().next().value;
      if (oldest !== undefined) this.parents.delete(oldest);
    }
  }

  /** The parent's versions, from the last put on this thread or else from its row. */
  private async parentVersions(threadId: string, ns: string, parentId: string): Promise<ParentVersions | undefined> {
    const cached = this.parents.get(this.parentKey(threadId, ns));
    if (cached?.checkpointId === parentId) return cached;
    const row = this.sql("SELECT type, checkpoint FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?").get(
      threadId,
      ns,
      parentId,
    ) as { type: string; checkpoint: Buffer } | undefined;
    if (!row) return undefined;
    const stored = (await loadValue(this.serde, row.type, row.checkpoint)) as StoredCheckpoint;
    return {
      checkpointId: parentId,
      channelVersions: (stored.channel_versions ?? {}) as Record<string, ChannelVersion>,
      versionsSeen: (stored.versions_seen ?? {}) as VersionsSeen,
    };
  }

  /**
   * The serializer's bytes for a value. LangGraph's JSON serializer does not fail on a value JSON
   * cannot hold (a BigInt, a getter or toJSON that throws): it writes one placeholder string in
   * its place, and the value would be lost once stored. Refusing the write says so instead.
   */
  private async dump(value: unknown, what: string): Promise<[string, Uint8Array]> {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    if (type === "json" && bytes.length === UNSERIALIZABLE_BYTES.length && Buffer.from(bytes).equals(UNSERIALIZABLE_BYTES) && value !== UNSERIALIZABLE_TEXT) {
      throw new TypeError(
        `Cannot store ${what}: LangGraph's serializer could not write its value as JSON (a BigInt, or a getter or toJSON that throws?). Nothing was stored.`,
      );
    }
    return [type, bytes];
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    const threadId = threadIdOf(config);
    if (threadId === undefined) throw missingThreadId("put writes");
    const checkpointId: string | undefined = config.configurable?.checkpoint_id || undefined;
    if (checkpointId === undefined) {
      throw new Error('Failed to put writes. The config passed to the checkpointer has no "checkpoint_id" in its "configurable" property.');
    }
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const serialized = await Promise.all(writes.map(([channel, value]) => this.dump(value, `a write to channel "${String(channel)}"`)));
    // Special writes (errors, interrupts, resumes) have fixed negative indexes and replace an
    // earlier one; ordinary writes keep the first value written, as in LangGraph's own savers.
    const replace = this.sql(`INSERT OR REPLACE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const keep = this.sql(`INSERT OR IGNORE INTO tl_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      writes.forEach(([channel], position) => {
        const idx = writeIndex(channel, position);
        const [type, bytes] = serialized[position]!;
        (idx < 0 ? replace : keep).run(threadId, ns, checkpointId, taskId, idx, channel, type, bytes, taskPath);
      });
    }).immediate();
  }

  async deleteThread(threadId: string): Promise<void> {
    const id = String(threadId);
    this.db.transaction(() => {
      for (const table of ["tl_writes", "tl_blobs", "tl_checkpoints", "tl_threads"]) {
        this.sql(`DELETE FROM ${table} WHERE thread_id = ?`).run(id);
      }
    }).immediate();
    this.forgetThread(id);
  }

  /**
   * Deletes some checkpoints of a thread with their pending writes: what a rolled-back run wrote
   * (checkpoint ids are unique across namespaces). The thread's head becomes the newest checkpoint
   * left, as `put` would have made it. Channel value rows stay until the thread is deleted, since
   * the remaining checkpoints may share them (and deltas build on them).
   */
  deleteCheckpoints(threadId: string, checkpointIds: readonly string[]): void {
    const id = String(threadId);
    const dropWrites = this.sql("DELETE FROM tl_writes WHERE thread_id = ? AND checkpoint_id = ?");
    const dropCheckpoint = this.sql("DELETE FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_id = ?");
    const newest = this.sql(`SELECT checkpoint_ns, checkpoint_id FROM tl_checkpoints WHERE thread_id = ?
      ORDER BY checkpoint_ns = '' DESC, checkpoint_id DESC LIMIT 1`);
    const count = this.sql("SELECT count(*) AS n FROM tl_checkpoints WHERE thread_id = ?");
    const setHead = this.sql(`UPDATE tl_threads SET head_checkpoint_ns = ?, head_checkpoint_id = ?, checkpoint_count = ?, updated_at = ?
      WHERE thread_id = ?`);
    const dropThread = this.sql("DELETE FROM tl_threads WHERE thread_id = ?");
    this.db.transaction(() => {
      for (const checkpointId of checkpointIds) {
        dropWrites.run(id, checkpointId);
        dropCheckpoint.run(id, checkpointId);
      }
      const head = newest.get(id) as { checkpoint_ns: string; checkpoint_id: string } | undefined;
      if (!head) dropThread.run(id);
      else setHead.run(head.checkpoint_ns, head.checkpoint_id, (count.get(id) as { n: number }).n, new Date().toISOString(), id);
    }).immediate();
    this.forgetThread(id);
  }

  /** Drops what the caches know of a thread whose rows were deleted. */
  private forgetThread(id: string): void {
    this.appends.forgetThread(id);
    this.recentReads.forgetThread(id);
    for (const key of [...this.parents.keys()]) {
      if (key.startsWith(`${id}\0`)) this.parents.delete(key);
    }
  }

  // ---- timeline -----------------------------------------------------------------------------

  /** Newest first, keyset-paged by `before` (a checkpoint id); namespace "" unless given. */
  listCheckpointSummaries(threadId: string, options?: SummaryPageOptions): CheckpointSummary[] {
    return this.timeline.summaries(threadId, options);
  }

  /**
   * For each checkpoint id found, a token that changes whenever what is stored for that
   * checkpoint changes after it was written: its row is rewritten, or pending writes are added to
   * it, replaced or removed (rowids only grow while rows are added). A reader that cached
   * something derived from a checkpoint compares tokens to know it is still current.
   */
  checkpointRevisions(threadId: string, checkpointNs: string, checkpointIds: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    const select = this.sql(
      `SELECT c.checkpoint_id AS id, c.rowid AS r,
              (SELECT count(*) || '.' || ifnull(max(w.rowid), 0) FROM tl_writes w
                WHERE w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id) AS w
         FROM tl_checkpoints c WHERE c.thread_id = ? AND c.checkpoint_ns = ? AND c.checkpoint_id = ?`,
    );
    for (const id of checkpointIds) {
      const row = select.get(threadId, checkpointNs, id) as { id: string; r: number; w: string } | undefined;
      if (row) out.set(row.id, `${row.r}.${row.w}`);
    }
    return out;
  }

  /** Every checkpoint of the thread in every namespace, oldest first, parents before children. */
  getCheckpointTree(threadId: string): CheckpointSummary[] {
    return this.timeline.checkpointTree(threadId);
  }

  /** Threads most recently updated first. */
  listThreadIndex(options?: ThreadIndexOptions): ThreadIndexRow[] {
    return this.timeline.threadIndex(options);
  }

  getThreadIndex(threadId: string): ThreadIndexRow | undefined {
    return this.timeline.threadRow(threadId);
  }
}
