// The part of reading a LangGraph saver's store that does not depend on the
// database: checkpoint tuples from decoded rows, timeline summaries from
// metadata alone, and the thread list kept in memory (savers keep no thread
// table, so one pass over the primary key finds every thread's head; paging
// and search then cost nothing, and a poll that finds a change rebuilds it).

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
import { SaverDecoder, type RawValue, type SaverFlavour } from "../importers/saver-decoder";
import { configFor, type StoredSummary, type TimelineReads } from "../threads/checkpoint-store";
import { contains } from "../threads/threads";
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

/** One thread's head, found by the backend's pass over the primary key. */
export interface HeadRow {
  threadId: string;
  headId: string;
  firstId: string;
  metadata: RawValue | Record<string, unknown>;
  flavour: SaverFlavour;
  /** Writes at the head: a change here (an interrupt, a resume) changes the thread without a new checkpoint. */
  headWrites: number;
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
  private index: { threads: StoreThread[]; signatures: Map<string, string> } | undefined;

  // ---- what a backend answers ----------------------------------------------------------------

  /** The checkpoint tuple at `key`, or undefined. */
  protected abstract readTuple(key: TupleKey): Promise<CheckpointTuple | undefined>;
  /** Newest first; every namespace when `ns` is undefined. */
  protected abstract readSummaries(threadId: string, options: { ns?: string; before?: string; limit?: number }): Promise<SummaryRow[]>;
  /** Every thread's head, in any order. */
  protected abstract readHeads(): Promise<HeadRow[]>;
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

  private async threadOf(head: HeadRow): Promise<StoreThread> {
    const decoded = (await this.decoder(head.flavour).metadata(
      head.metadata,
      this.where({ threadId: head.threadId, ns: "", id: head.headId }),
    )) as Record<string, unknown>;
    const metadata: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(decoded)) if (!LANGGRAPH_METADATA_KEYS.has(key)) metadata[key] = value;
    const updatedAt = uuid6Time(head.headId) ?? "";
    return {
      threadId: head.threadId,
      headCheckpointId: head.headId,
      createdAt: uuid6Time(head.firstId) ?? updatedAt,
      updatedAt,
      metadata: encodeValue(metadata) as JsonObject,
    };
  }

  /** Rebuilds the thread list; answers the threads whose head or head writes changed. */
  private async rebuild(): Promise<string[]> {
    const heads = await this.readHeads();
    const signatures = new Map(heads.map((h) => [h.threadId, `${h.headId}\0${h.headWrites}`]));
    const threads = await Promise.all(heads.map((h) => this.threadOf(h)));
    // Newest first: by the head's time, then by id for a stable order.
    threads.sort((a, b) => (a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a.threadId < b.threadId ? -1 : 1));
    const before = this.index?.signatures;
    this.index = { threads, signatures };
    if (!before) return [];
    const changed = [...signatures].filter(([id, sig]) => before.get(id) !== sig).map(([id]) => id);
    for (const id of before.keys()) if (!signatures.has(id)) changed.push(id);
    return changed;
  }

  private lastToken: string | undefined;

  async poll(): Promise<string[]> {
    const token = await this.changeToken();
    if (token === this.lastToken && this.index) return [];
    this.lastToken = token;
    return this.rebuild();
  }

  private async threadList(): Promise<StoreThread[]> {
    if (!this.index) await this.poll();
    return this.index!.threads;
  }

  private matches(thread: StoreThread, query: Omit<ThreadQuery, "limit" | "offset">): boolean {
    if (query.idPrefix && !thread.threadId.startsWith(query.idPrefix)) return false;
    return !query.metadata || contains(thread.metadata, query.metadata);
  }

  async threads(query: ThreadQuery): Promise<StoreThread[]> {
    const all = await this.threadList();
    const found: StoreThread[] = [];
    let skip = query.offset;
    for (const thread of all) {
      if (!this.matches(thread, query)) continue;
      if (skip-- > 0) continue;
      found.push(thread);
      if (found.length >= query.limit) break;
    }
    return found;
  }

  async countThreads(query: Omit<ThreadQuery, "limit" | "offset">): Promise<number> {
    return (await this.threadList()).filter((t) => this.matches(t, query)).length;
  }

  async thread(threadId: string): Promise<StoreThread | undefined> {
    return (await this.threadList()).find((t) => t.threadId === threadId);
  }
}
