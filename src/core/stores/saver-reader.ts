// The part of reading a LangGraph saver's store that does not depend on the
// database: checkpoint tuples from decoded rows, timeline summaries from
// metadata alone, and the thread list (thread-index.ts), rebuilt by a poll
// that finds the store's change signal moved.

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
import { ThreadIndex, type HeadRow, type ThreadDetails } from "./thread-index";
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
  private readonly index = new ThreadIndex((heads) => this.headMetadata(heads));
  private indexed = false;

  // ---- what a backend answers ----------------------------------------------------------------

  /** The checkpoint tuple at `key`, or undefined. */
  protected abstract readTuple(key: TupleKey): Promise<CheckpointTuple | undefined>;
  /** Newest first; every namespace when `ns` is undefined. */
  protected abstract readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]>;
  /** Every thread's head, in any order. */
  protected abstract readHeads(): Promise<HeadRow[]>;
  /** Checkpoints of a thread in every namespace. */
  abstract countCheckpoints(threadId: string): Promise<number>;
  /** The metadata of these heads. */
  protected abstract readHeadMetadata(heads: HeadRow[]): Promise<HeadMetadataRow[]>;
  /** The channels written at a thread's checkpoints with ids in [fromId, toId], without their values. */
  abstract writeChannelsBetween(threadId: string, fromId: string, toId: string): Promise<{ checkpointNs: string; checkpointId: string; channel: string }[]>;
  /** A token that changes whenever anything in the store may have (cheap to read). */
  protected abstract changeToken(): Promise<string>;
  abstract close(): Promise<void>;

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
    const out = new Map<string, ThreadDetails>();
    const byId = new Map(heads.map((h) => [h.threadId, h]));
    for (const row of await this.readHeadMetadata(heads)) {
      const head = byId.get(row.threadId)!;
      const what = this.where({ threadId: row.threadId, ns: head.headNs, id: head.headId });
      const decoded = (await this.decoder(row.flavour).metadata(row.metadata, `${what}: the metadata`)) as Record<string, unknown>;
      const metadata: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(decoded)) if (!LANGGRAPH_METADATA_KEYS.has(key)) metadata[key] = value;
      out.set(row.threadId, { metadata: encodeValue(metadata) as JsonObject, firstId: row.firstId });
    }
    return out;
  }

  private lastToken: string | undefined;

  async poll(): Promise<string[]> {
    const token = await this.changeToken();
    if (token === this.lastToken && this.indexed) return [];
    this.lastToken = token;
    const changed = this.index.replace(await this.readHeads(), !this.indexed);
    this.indexed = true;
    return changed;
  }

  private async threadIndex(): Promise<ThreadIndex> {
    if (!this.indexed) await this.poll();
    return this.index;
  }

  async threads(query: ThreadQuery): Promise<StoreThread[]> {
    return (await this.threadIndex()).page(query);
  }

  async countThreads(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number> {
    return (await this.threadIndex()).count(query);
  }

  async thread(threadId: string): Promise<StoreThread | undefined> {
    return (await this.threadIndex()).get(threadId);
  }
}
