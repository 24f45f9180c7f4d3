// The part of reading a LangGraph saver's store that does not depend on the
// database: checkpoint tuples from decoded rows, timeline summaries from
// metadata alone, and the thread list (thread-list.ts: pages by the primary
// key), with a poll that finds which threads changed once the store's change
// signal moved.

import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";
import { encodeValue, type JsonObject } from "../../shared/encoding";
import { appliedAsOfMetadata } from "../storage/as-node";
import { SaverDecoder, type RawValue, type SaverFlavour } from "../importers/saver-decoder";
import { configFor, type StoredSummary, type TimelineReads } from "../threads/checkpoint-store";
import { jsonContains as contains } from "../../shared/json-contains";
import { HeadSignatures, ThreadList, type HeadRow, type ThreadDetails, type ThreadSource, type ThreadsOptions } from "./thread-list";
import { ReadOnlyStoreError, type StoreKind, type StoreThread, type ThreadQuery } from "./types";
import { uuid6Time } from "./uuid6";

/** A checkpoint's summary columns, as the backend read them (metadata still encoded). */
export interface SummaryRow {
  ns: string;
  id: string;
  parentId: string | null;
  metadata: RawValue | Record<string, unknown>;
  flavour: SaverFlavour;
}

/** A head checkpoint's metadata, as the backend read it. */
export interface HeadMetadataRow {
  threadId: string;
  /** The thread's first checkpoint in the head's namespace. */
  firstId: string;
  /** Checkpoints of the thread in every namespace. */
  checkpointCount: number;
  metadata: RawValue | Record<string, unknown>;
  flavour: SaverFlavour;
}

/** Where a checkpoint is: thread, namespace, and its id (undefined: the newest). */
export interface TupleKey {
  threadId: string;
  ns: string;
  id: string | undefined;
}

const LANGGRAPH_METADATA_KEYS = new Set(["source", "step", "parents", "writes"]);

export abstract class SaverReader extends BaseCheckpointSaver {
  abstract readonly kind: StoreKind;
  abstract readonly label: string;
  private readonly decoders = new Map<SaverFlavour, SaverDecoder>();
  /** The engine's timeline reads from the summary columns (see CheckpointStore). */
  readonly timeline: TimelineReads = {
    summaries: (threadId, options) => this.listCheckpointSummaries(threadId, options),
    tree: (threadId) => this.getCheckpointTree(threadId),
    writeChannelsBetween: (threadId, fromId, toId) => this.writeChannelsBetween(threadId, fromId, toId),
  };
  /** What the thread list reads, answered by the backend. */
  private readonly threadSource: ThreadSource = {
    readThreads: async (options) => {
      const rows = await this.readThreads(options);
      if (!options.details) return rows;
      const details = await this.decodeDetails(rows, rows.flatMap((r) => r.raw ?? []));
      return rows.map(({ raw: _, ...head }) => ({ ...head, details: details.get(head.threadId) }));
    },
    readThread: (threadId) => this.readThread(threadId),
    details: (heads) => this.headMetadata(heads),
    countThreads: () => this.countThreadIds(),
    bytewise: false,
  };
  private readonly threadList = new ThreadList(this.threadSource);
  private readonly headSignatures = new HeadSignatures();

  // ---- what a backend answers ----------------------------------------------------------------

  /** The checkpoint tuple at `key`, or undefined. */
  protected abstract readTuple(key: TupleKey): Promise<CheckpointTuple | undefined>;
  /** Newest first; every namespace when `ns` is undefined. */
  protected abstract readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]>;
  /** Up to `limit` threads in primary-key order after `after` (or from `from`, inclusive), with their heads. */
  protected abstract readThreads(options: ThreadsOptions): Promise<(HeadRow & { raw?: HeadMetadataRow })[]>;
  /** One thread's head, or undefined when it has no checkpoint. */
  protected abstract readThread(threadId: string): Promise<HeadRow | undefined>;
  /** Distinct thread ids. */
  protected abstract countThreadIds(): Promise<number>;
  /** Checkpoints of a thread in every namespace. */
  abstract countCheckpoints(threadId: string): Promise<number>;
  /** The metadata of these heads. */
  protected abstract readHeadMetadata(heads: HeadRow[]): Promise<HeadMetadataRow[]>;
  /** The channels written at a thread's checkpoints with ids in [fromId, toId], without their values. */
  abstract writeChannelsBetween(threadId: string, fromId: string, toId: string): Promise<{ checkpointNs: string; checkpointId: string; channel: string }[]>;
  /** A token that changes whenever anything in the store may have (cheap to read). */
  protected abstract changeToken(): Promise<string>;
  abstract close(): Promise<void>;

  /** Whether the key's thread ids compare byte by byte (known once the backend looked). */
  protected set bytewiseIds(value: boolean) {
    this.threadSource.bytewise = value;
  }

  protected decoder(flavour: SaverFlavour): SaverDecoder {
    let decoder = this.decoders.get(flavour);
    if (!decoder) this.decoders.set(flavour, (decoder = new SaverDecoder(flavour)));
    return decoder;
  }

  protected where(key: { threadId: string; ns: string; id: string }): string {
    return `${this.label}: thread "${key.threadId}", checkpoint ${key.id}${key.ns ? ` (namespace "${key.ns}")` : ""}`;
  }

  /** A tuple from a decoded checkpoint object (channel values already in it) and decoded writes. */
  protected tupleOf(
    key: { threadId: string; ns: string; id: string },
    parentId: string | null,
    raw: Record<string, unknown>,
    metadata: CheckpointMetadata,
    writes: [string, string, unknown][],
  ): CheckpointTuple {
    const checkpoint = {
      ...raw,
      v: typeof raw.v === "number" ? raw.v : 1,
      id: key.id,
      ts: typeof raw.ts === "string" ? raw.ts : (uuid6Time(key.id) ?? ""),
      channel_values: (raw.channel_values ?? {}) as Record<string, unknown>,
      channel_versions: (raw.channel_versions ?? {}) as ChannelVersions,
      versions_seen: (raw.versions_seen ?? {}) as Record<string, ChannelVersions>,
    } as Checkpoint;
    return {
      config: configFor(key.threadId, key.ns, key.id),
      checkpoint,
      metadata,
      ...(parentId ? { parentConfig: configFor(key.threadId, key.ns, parentId) } : {}),
      pendingWrites: writes,
    };
  }

  // ---- LangGraph's saver interface, read-only --------------------------------------------------

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const c = config.configurable ?? {};
    if (typeof c.thread_id !== "string" && typeof c.thread_id !== "number") return undefined;
    const id = typeof c.checkpoint_id === "string" && c.checkpoint_id ? c.checkpoint_id : undefined;
    return this.readTuple({ threadId: String(c.thread_id), ns: typeof c.checkpoint_ns === "string" ? c.checkpoint_ns : "", id });
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const c = config.configurable ?? {};
    if (c.thread_id === undefined) return;
    const threadId = String(c.thread_id);
    const ns = typeof c.checkpoint_ns === "string" ? c.checkpoint_ns : undefined;
    const before = options.before?.configurable?.checkpoint_id as string | undefined;
    const filter = options.filter as JsonObject | undefined;
    let remaining = options.limit ?? Infinity;
    for (const row of await this.readSummaries(threadId, { ns, before, limit: filter ? undefined : options.limit })) {
      if (remaining <= 0) return;
      const tuple = await this.readTuple({ threadId, ns: row.ns, id: row.id });
      if (!tuple) continue;
      if (filter && !contains(encodeValue(tuple.metadata ?? {}), filter)) continue;
      remaining--;
      yield tuple;
    }
  }

  put(): Promise<RunnableConfig> {
    return Promise.reject(new ReadOnlyStoreError(this.label));
  }

  putWrites(_config: RunnableConfig, _writes: PendingWrite[], _taskId: string): Promise<void> {
    return Promise.reject(new ReadOnlyStoreError(this.label));
  }

  deleteThread(): Promise<void> {
    return Promise.reject(new ReadOnlyStoreError(this.label));
  }

  // ---- timeline --------------------------------------------------------------------------------

  private async summaryOf(threadId: string, row: SummaryRow): Promise<StoredSummary> {
    const metadata = (await this.decoder(row.flavour).metadata(row.metadata, this.where({ threadId, ...row }))) as Record<string, unknown>;
    const writes = metadata.writes;
    return {
      threadId,
      checkpointNs: row.ns,
      checkpointId: row.id,
      parentCheckpointId: row.parentId,
      step: typeof metadata.step === "number" ? metadata.step : -1,
      source: typeof metadata.source === "string" ? metadata.source : "",
      nodes: writes && typeof writes === "object" ? Object.keys(writes).sort() : [],
      createdAt: uuid6Time(row.id) ?? "",
      appliedAs: appliedAsOfMetadata(metadata),
    };
  }

  async listCheckpointSummaries(
    threadId: string,
    options: { checkpointNs?: string; limit?: number; before?: string } = {},
  ): Promise<StoredSummary[]> {
    const rows = await this.readSummaries(threadId, { ns: options.checkpointNs ?? "", before: options.before, limit: options.limit });
    return Promise.all(rows.map((row) => this.summaryOf(threadId, row)));
  }

  /** Oldest first (ids are time-ordered), every namespace. */
  async getCheckpointTree(threadId: string): Promise<StoredSummary[]> {
    const rows = await this.readSummaries(threadId, {});
    const summaries = await Promise.all(rows.map((row) => this.summaryOf(threadId, row)));
    return summaries.sort((a, b) => (a.checkpointId < b.checkpointId ? -1 : a.checkpointId > b.checkpointId ? 1 : 0));
  }

  // ---- threads ---------------------------------------------------------------------------------

  /** Thread metadata: the head's, without LangGraph's own keys, encoded. */
  private async headMetadata(heads: HeadRow[]): Promise<Map<string, ThreadDetails>> {
    return this.decodeDetails(heads, await this.readHeadMetadata(heads));
  }

  private async decodeDetails(heads: HeadRow[], rows: HeadMetadataRow[]): Promise<Map<string, ThreadDetails>> {
    const out = new Map<string, ThreadDetails>();
    const byId = new Map(heads.map((h) => [h.threadId, h]));
    for (const row of rows) {
      const head = byId.get(row.threadId)!;
      const what = this.where({ threadId: row.threadId, ns: head.headNs, id: head.headId });
      const decoded = (await this.decoder(row.flavour).metadata(row.metadata, `${what}: the metadata`)) as Record<string, unknown>;
      const metadata: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(decoded)) if (!LANGGRAPH_METADATA_KEYS.has(key)) metadata[key] = value;
      out.set(row.threadId, { metadata: encodeValue(metadata) as JsonObject, firstId: row.firstId, checkpointCount: row.checkpointCount });
    }
    return out;
  }

  /** The change token the caches were read under, and the one the last full walk saw. */
  private cacheToken: string | undefined;
  private walkedToken: string | undefined;
  private nextWalk = 0;

  private polling: Promise<unknown> = Promise.resolve();

  /** One poll at a time, each after the one before. */
  poll(): Promise<string[]> {
    const next = this.polling.then(() => this.pollNow());
    this.polling = next.catch(() => undefined);
    return next;
  }

  /** The first look the next poll compares with, taken in the background: the first page does not wait for it. */
  protected watchFromHere(): void {
    this.poll().catch(() => undefined);
  }

  private async pollNow(): Promise<string[]> {
    const token = await this.changeToken();
    if (token !== this.cacheToken) {
      this.cacheToken = token;
      this.threadList.changed();
    }
    if (token === this.walkedToken || performance.now() < this.nextWalk) return [];
    const start = performance.now();
    const changed = await this.headSignatures.diff(this.threadSource);
    this.walkedToken = token;
    // Telling which threads changed walks every thread's head: on a large store under a steady
    // writer, at most a fifth of the time (a short walk is never held back).
    const took = performance.now() - start;
    this.nextWalk = took > 100 ? performance.now() + 4 * took : 0;
    return changed;
  }

  /** In primary-key order (thread id): the only order a saver's store can page without reading every thread. */
  async threads(query: ThreadQuery): Promise<StoreThread[]> {
    return this.threadList.page(query);
  }

  async countThreads(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number> {
    return this.threadList.count(query);
  }

  async thread(threadId: string): Promise<StoreThread | undefined> {
    return this.threadList.get(threadId);
  }
}
