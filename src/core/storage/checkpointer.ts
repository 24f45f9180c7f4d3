import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
  type SerializerProtocol,
} from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { asNodeOfMetadata } from "./as-node";
import { CheckpointReads, threadIdOf, type StoredCheckpoint } from "./checkpoint-reads";
import { RecentPacks } from "./compress";
import { openDatabase } from "./database";
import { AppendTracker, BLOB_DELTA, BLOB_WHOLE, declareJsonPlusSerializer, loadValue, type BlobPlan } from "./delta";
import { migrate } from "./migrations";
import { ValueWriter } from "./serialize";
import { statement } from "./statements";
import { Journal, replayJournals } from "./journal";
import { StepBatch } from "./step-batch";
import { checkpointEntry, writesEntry } from "./step-rows";
import { nextChannelVersion, type ChannelVersion } from "./versions";
import {
  checkpointRowOf,
  copyVersionsSeen,
  blobOf,
  type CheckpointRow,
  type ParentVersions,
  type PlannedBlob,
  type PreparedPut,
  type SerializedBlob,
  type VersionsSeen,
  type WritesTarget,
} from "./put-rows";


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
  /**
   * Names this saver's step journal (journal.ts), e.g. after the engine's owner id, so that the
   * engine can replay it should this writer's worker be stopped mid-run; unique by default.
   */
  journalWriter?: string;
}

const PARENT_CACHE_CAPACITY = 256;

const MISSING_THREAD_ID =
  'The config passed to the checkpointer has no "thread_id" in its "configurable" property. ' +
  "Pass one, e.g. graph.stream(input, { configurable: { thread_id: \"my-thread\" } }).";

function missingThreadId(action: string): Error {
  return new Error(`Failed to ${action}. ${MISSING_THREAD_ID}`);
}

/**
 * A LangGraph checkpointer on one SQLite file (better-sqlite3), usable by any LangGraph.js app so
 * that Threadline can open the threads it wrote. Channel values are stored once per channel
 * version, array channels that only grow as deltas (see delta.ts), and a thread index and
 * per-checkpoint summaries are kept by `put` for the inspector's queries (timeline.ts,
 * thread-index.ts, revisions.ts), which read the database directly.
 */
export class SqliteCheckpointer extends BaseCheckpointSaver {
  readonly db: Database.Database;
  private readonly ownsDatabase: boolean;
  private readonly appends = new AppendTracker();
  private readonly parents = new Map<string, ParentVersions>();
  private readonly reads: CheckpointReads;
  private readonly batch: StepBatch;
  private readonly values: ValueWriter;
  private readonly packs = new RecentPacks();

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
      replayJournals(this.db);
    }
    this.reads = new CheckpointReads(this.db, this.serde);
    const file = this.db.name;
    const journal = this.db.memory || file === "" || this.db.readonly ? null : new Journal(file, options.journalWriter);
    this.batch = new StepBatch(this.db, journal, (blob) => {
      const dumped = this.dumpNow(blob.value, "channel", blob.channel);
      return dumped && [dumped[0], dumped[1]];
    });
    this.values = new ValueWriter(this.serde);
  }

  /** Closes the database if this checkpointer opened it; a database passed in stays the caller's. */
  close(): void {
    if (this.db.open) this.batch.close();
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  /** Prepared once per SQL text and reused. */
  private sql(text: string): Database.Statement {
    return statement(this.db, text);
  }

  // ---- versions -----------------------------------------------------------------------------

  /**
   * String versions (see versions.ts). LangGraph.js types versions as numbers by default but
   * handles strings at run time, as LangGraph's Python savers use them.
   */
  override getNextVersion(current: ChannelVersion | undefined): number {
    return nextChannelVersion(current) as unknown as number;
  }

  // ---- reads (checkpoint-reads.ts) ------------------------------------------------------------

  /**
   * Writes the rows of resolved puts still waiting for their batch (step-batch.ts) now. Readers of this
   * saver's database on the same connection that do not go through the saver call it first.
   */
  flushWrites(): void {
    this.batch.flush();
  }

  /** Whether rows of resolved puts are still only in the journal (not yet visible to other connections). */
  get hasPendingWrites(): boolean {
    return this.batch.hasPending;
  }

  /** Calls `listener` each time pending rows have been written to the tables; returns a function that stops it. */
  onWritesFlushed(listener: () => void): () => void {
    return this.batch.onFlushed(listener);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    this.batch.flush();
    return this.reads.getTuple(config);
  }

  /**
   * Every checkpoint has its own containers (callers may push to its `messages`), but the message
   * objects of one call are shared between the checkpoints that hold them, as they are between the
   * steps of a run: LangGraph treats them as immutable (see WalkCache).
   */
  list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    this.batch.flush();
    return this.reads.list(config, options);
  }

  /**
   * Same contract as the base walk (used by LangGraph's DeltaChannel), on the rows directly: per
   * ancestor it decodes only the requested channels and their writes, not the whole checkpoint.
   */
  override getDeltaChannelHistory(options: { config: RunnableConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
    this.batch.flush();
    return this.reads.deltaChannelHistory(options);
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Without a promise of its own on the usual path (LangGraph's serializer, the parent known from
   * the last put): inside a run every promise is hooked by LangChain's AsyncLocalStorage, and a
   * put used to make a dozen. Anything else takes `putSlowly`, which awaits what it must.
   */
  put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    try {
      const prepared = this.preparePut(config, checkpoint, metadata);
      if (prepared.parentId !== null && prepared.parent === undefined) return this.putSlowly(prepared, checkpoint, metadata, newVersions);
      const row = this.checkpointRow(prepared, checkpoint, metadata);
      const blobs = row && this.serializeBlobsNow(prepared, newVersions, true);
      if (!row || !blobs) return this.putSlowly(prepared, checkpoint, metadata, newVersions);
      this.rememberPut(prepared, checkpoint, blobs);
      this.record(prepared, row, blobs);
      return Promise.resolve(this.configOf(prepared, checkpoint));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private preparePut(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): PreparedPut {
    const threadId = threadIdOf(config);
    if (threadId === undefined) throw missingThreadId("put checkpoint");
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const parentId: string | null = config.configurable?.checkpoint_id || null;
    const { channel_values: channelValues = {}, ...stored } = checkpoint;
    const parent = parentId === null ? undefined : this.cachedParent(threadId, ns, parentId);
    return { threadId, ns, parentId, channelValues, stored, parent, asNode: asNodeOfMetadata(metadata) };
  }

  private async putSlowly(
    prepared: PreparedPut,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { threadId, ns, parentId } = prepared;
    if (parentId !== null && prepared.parent === undefined) prepared.parent = await this.parentVersions(threadId, ns, parentId);
    const row = this.checkpointRow(prepared, checkpoint, metadata) ?? (await this.checkpointRowSlowly(prepared, checkpoint, metadata));
    const blobs = await this.serializeBlobs(prepared, newVersions, true);
    this.rememberPut(prepared, checkpoint, blobs);
    this.record(prepared, row, blobs);
    return this.configOf(prepared, checkpoint);
  }

  /**
   * Journals the checkpoint's rows (step-batch.ts); they reach the tables with the batch. Should
   * another connection delete a delta's base first, that value is stored whole instead.
   */
  private record(prepared: PreparedPut, row: CheckpointRow, blobs: SerializedBlob[]): void {
    try {
      this.batch.addStep(checkpointEntry(row, blobs, prepared.asNode));
    } catch (error) {
      this.forgetThread(prepared.threadId);
      throw error;
    }
  }

  private configOf(prepared: PreparedPut, checkpoint: Checkpoint): RunnableConfig {
    return { configurable: { thread_id: prepared.threadId, checkpoint_ns: prepared.ns, checkpoint_id: checkpoint.id } };
  }

  /**
   * The checkpoint's row, serialized without awaiting; undefined when the serializer must be
   * awaited (checkpointRowSlowly).
   */
  private checkpointRow(prepared: PreparedPut, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointRow | undefined {
    const stored = this.dumpNow(prepared.stored, "the checkpoint");
    const meta = stored && this.dumpNow(metadata, "the checkpoint's metadata");
    return stored && meta ? checkpointRowOf(prepared, checkpoint, metadata, stored, meta) : undefined;
  }

  private async checkpointRowSlowly(prepared: PreparedPut, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<CheckpointRow> {
    const stored = await this.dump(prepared.stored, "the checkpoint");
    const meta = await this.dump(metadata, "the checkpoint's metadata");
    return checkpointRowOf(prepared, checkpoint, metadata, stored, meta);
  }

  /**
   * Remembered before the commit resolves, so that the next put can build on this one; a failed
   * commit makes the thread's caches forget everything.
   */
  private rememberPut(prepared: PreparedPut, checkpoint: Checkpoint, blobs: SerializedBlob[]): void {
    const { threadId, ns, parent, stored } = prepared;
    for (const blob of blobs) {
      this.appends.remember(threadId, ns, blob.channel, blob.version, parent?.channelVersions[blob.channel], blob.plan, blob.value, blob.rawLength);
    }
    this.rememberParent(threadId, ns, {
      checkpointId: checkpoint.id,
      channelVersions: { ...(stored.channel_versions ?? {}) },
      versionsSeen: copyVersionsSeen((stored.versions_seen ?? {}) as VersionsSeen),
    });
  }

  /**
   * Each channel's new version with how it is stored (delta.ts) and what is serialized for it;
   * `plan` null for a channel the checkpoint holds no value of. Planning has no side effect.
   */
  private plannedBlobs(prepared: PreparedPut, newVersions: ChannelVersions, allowDeltas: boolean): PlannedBlob[] {
    const planned: PlannedBlob[] = [];
    for (const channel of Object.keys(newVersions)) {
      const version = newVersions[channel]!;
      if (!Object.prototype.hasOwnProperty.call(prepared.channelValues, channel)) {
        planned.push({ channel, version, plan: null, value: undefined, stored: undefined });
        continue;
      }
      const value = prepared.channelValues[channel];
      const plan: BlobPlan = allowDeltas
        ? this.appends.plan(prepared.threadId, prepared.ns, channel, version, prepared.parent?.channelVersions[channel], value)
        : { kind: BLOB_WHOLE, value };
      planned.push({ channel, version, plan, value, stored: plan.kind === BLOB_DELTA ? plan.elements : value });
    }
    return planned;
  }

  /** `serializeBlobs` without awaiting; undefined when a value needs the serializer's asynchronous path. */
  private serializeBlobsNow(prepared: PreparedPut, newVersions: ChannelVersions, allowDeltas: boolean): SerializedBlob[] | undefined {
    const blobs: SerializedBlob[] = [];
    for (const planned of this.plannedBlobs(prepared, newVersions, allowDeltas)) {
      const dumped = planned.plan && this.dumpNow(planned.stored, "channel", planned.channel);
      if (dumped === undefined) return undefined;
      blobs.push(blobOf(planned, dumped));
    }
    return blobs;
  }

  /** One channel at a time, awaiting only a value the serializer cannot write synchronously. */
  private async serializeBlobs(prepared: PreparedPut, newVersions: ChannelVersions, allowDeltas: boolean): Promise<SerializedBlob[]> {
    const blobs: SerializedBlob[] = [];
    for (const planned of this.plannedBlobs(prepared, newVersions, allowDeltas)) {
      const dumped =
        planned.plan && (this.dumpNow(planned.stored, "channel", planned.channel) ?? (await this.dump(planned.stored, "channel", planned.channel)));
      blobs.push(blobOf(planned, dumped));
    }
    return blobs;
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

  /** The parent's versions if the last put on this thread and namespace was the parent. */
  private cachedParent(threadId: string, ns: string, parentId: string): ParentVersions | undefined {
    const cached = this.parents.get(this.parentKey(threadId, ns));
    return cached?.checkpointId === parentId ? cached : undefined;
  }

  /** The parent's versions, from the last put on this thread or else from its row. */
  private async parentVersions(threadId: string, ns: string, parentId: string): Promise<ParentVersions | undefined> {
    const cached = this.cachedParent(threadId, ns, parentId);
    if (cached) return cached;
    this.batch.flush();
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
  private async dump(value: unknown, what: string, channel?: string): Promise<[type: string, bytes: Uint8Array, rawLength: number]> {
    return this.checked(await this.values.dump(value), value, what, channel);
  }

  /** `dump` without awaiting, when the serializer allows it (serialize.ts); else undefined. */
  private dumpNow(value: unknown, what: string, channel?: string): [type: string, bytes: Uint8Array, rawLength: number] | undefined {
    const now = this.values.dumpNow(value);
    return now === undefined ? undefined : this.checked(now, value, what, channel);
  }

  /** `what` names the value in an error (with `channel` quoted after it), built only then. */
  private checked(
    [type, bytes]: [string, Uint8Array],
    value: unknown,
    what: string,
    channel?: string,
  ): [type: string, bytes: Uint8Array, rawLength: number] {
    if (type === "json" && bytes.length === UNSERIALIZABLE_BYTES.length && Buffer.from(bytes).equals(UNSERIALIZABLE_BYTES) && value !== UNSERIALIZABLE_TEXT) {
      throw new TypeError(
        `Cannot store ${channel === undefined ? what : `${what} "${channel}"`}: LangGraph's serializer could not write its value as JSON (a BigInt, or a getter or toJSON that throws?). Nothing was stored.`,
      );
    }
    const packed = this.packs.pack(type, bytes);
    return [packed[0], packed[1], bytes.length];
  }

  /** Like `put`, without a promise of its own when every value serializes synchronously. */
  putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    try {
      const threadId = threadIdOf(config);
      if (threadId === undefined) throw missingThreadId("put writes");
      const checkpointId: string | undefined = config.configurable?.checkpoint_id || undefined;
      if (checkpointId === undefined) {
        throw new Error('Failed to put writes. The config passed to the checkpointer has no "checkpoint_id" in its "configurable" property.');
      }
      const target = { threadId, ns: (config.configurable?.checkpoint_ns as string | undefined) ?? "", checkpointId, taskId, taskPath };
      const serialized: [string, Uint8Array, number][] = [];
      for (const [channel, value] of writes) {
        const dumped = this.dumpNow(value, "a write to channel", String(channel));
        if (!dumped) return this.putWritesSlowly(target, writes);
        serialized.push(dumped);
      }
      return this.queueWrites(target, writes, serialized);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async putWritesSlowly(target: WritesTarget, writes: PendingWrite[]): Promise<void> {
    const serialized: [string, Uint8Array, number][] = [];
    for (const [channel, value] of writes) {
      serialized.push(this.dumpNow(value, "a write to channel", String(channel)) ?? (await this.dump(value, "a write to channel", String(channel))));
    }
    return this.queueWrites(target, writes, serialized);
  }

  private queueWrites(target: WritesTarget, writes: PendingWrite[], serialized: [string, Uint8Array, number][]): Promise<void> {
    const channels = writes.map(([channel]) => channel);
    return this.batch.addWrites(writesEntry(target, channels, serialized));
  }

  async deleteThread(threadId: string): Promise<void> {
    this.batch.flush();
    const id = String(threadId);
    this.db.transaction(() => {
      for (const table of ["tl_writes", "tl_blobs", "tl_checkpoints", "tl_as_node", "tl_threads"]) {
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
    this.batch.flush();
    const id = String(threadId);
    const dropWrites = this.sql("DELETE FROM tl_writes WHERE thread_id = ? AND checkpoint_id = ?");
    const dropCheckpoint = this.sql("DELETE FROM tl_checkpoints WHERE thread_id = ? AND checkpoint_id = ?");
    const dropAsNode = this.sql("DELETE FROM tl_as_node WHERE thread_id = ? AND checkpoint_id = ?");
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
        dropAsNode.run(id, checkpointId);
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
    this.reads.forgetThread(id);
    for (const key of [...this.parents.keys()]) {
      if (key.startsWith(`${id}\0`)) this.parents.delete(key);
    }
  }
}
