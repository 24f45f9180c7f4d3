// Threads: create, get, search, metadata, delete, copy and fork, with their
// status computed the way LangGraph's server computes it.

import { randomUUID } from "node:crypto";
import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { ParsedArgs } from "../../shared/contract";
import { jsonContains } from "../../shared/json-contains";
import { conflict, invalidArgument, notFound } from "../../shared/errors";
import type { InterruptInfo, Metadata, ThreadInfo, ThreadStatus } from "../../shared/types";
import { activeRuns, deleteRunsOfThread, lastRun } from "../storage/runs-table";
import {
  deleteThreadMeta,
  getThreadListRow,
  getThreadMeta,
  iterateThreads,
  putThreadMeta,
  type ThreadListRow,
} from "../storage/thread-meta";
import { allTuples, configFor, ERROR_CHANNEL, INTERRUPT_CHANNEL, latestBefore, tupleRef } from "./checkpoint-store";
import type { EngineContext } from "./context";
import { interruptInfo } from "./snapshot";

type SearchArgs = ParsedArgs<"threads.search">;
type Filter = Omit<SearchArgs, "limit" | "offset">;

export class ThreadService {
  constructor(private readonly ctx: EngineContext) {}

  /** The database, with the checkpointer's queued writes committed (the thread index is read directly). */
  private committed() {
    this.ctx.store.flushWrites?.();
    return this.ctx.db;
  }

  /** The list row, or NOT_FOUND. */
  row(threadId: string): ThreadListRow {
    const row = getThreadListRow(this.committed(), threadId);
    if (!row) throw notFound(`No thread "${threadId}"`);
    return row;
  }

  exists(threadId: string): boolean {
    return getThreadListRow(this.committed(), threadId) !== undefined;
  }

  /** The graph a thread runs on: set when created or by its last run, else recorded in its metadata. */
  graphIdOf(row: ThreadListRow): string | null {
    if (row.graphId) return row.graphId;
    const fromMetadata = row.metadata.graph_id;
    return typeof fromMetadata === "string" ? fromMetadata : null;
  }

  async info(row: ThreadListRow): Promise<ThreadInfo> {
    const { status, interrupts } = await this.status(row);
    return {
      threadId: row.threadId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      metadata: row.metadata,
      status,
      graphId: this.graphIdOf(row),
      headCheckpointId: row.headCheckpointId,
      interrupts,
      title: await this.title(row),
      checkpointCount: row.checkpointCount,
    };
  }

  private async title(row: ThreadListRow): Promise<string | null> {
    const fromMetadata = row.metadata.title;
    if (typeof fromMetadata === "string" && fromMetadata.trim()) return fromMetadata.trim();
    return row.headCheckpointId ? this.ctx.checkpoints.firstInputText(row.threadId) : null;
  }

  /**
   * busy while a run is pending or running (in any process: the runs table is
   * shared); error when the head holds a node's error or the last run failed
   * and nothing was written since; interrupted when the head waits on an
   * interrupt() or the last run stopped at a breakpoint; otherwise idle.
   */
  async status(row: ThreadListRow): Promise<{ status: ThreadStatus; interrupts: InterruptInfo[] }> {
    const { db } = this.ctx;
    if (activeRuns(db, row.threadId).length > 0) return { status: "busy", interrupts: [] };
    const head = row.headCheckpointId;
    if (head) {
      const channels = await this.ctx.checkpoints.writeChannels(row.threadId, "", head);
      if (channels.has(ERROR_CHANNEL)) return { status: "error", interrupts: [] };
      if (channels.has(INTERRUPT_CHANNEL)) return { status: "interrupted", interrupts: await this.headInterrupts(row) };
    }
    const last = lastRun(db, row.threadId);
    const untouchedSince = last?.finishedAt && (!row.headUpdatedAt || row.headUpdatedAt <= last.finishedAt);
    if (last && untouchedSince) {
      if (last.status === "error") return { status: "error", interrupts: [] };
      if (last.status === "interrupted" && !last.cancelled) return { status: "interrupted", interrupts: [] };
    }
    return { status: "idle", interrupts: [] };
  }

  private async headInterrupts(row: ThreadListRow): Promise<InterruptInfo[]> {
    const tuple = await this.ctx.checkpoints.head(row.threadId);
    return (tuple?.pendingWrites ?? [])
      .filter(([, channel]) => channel === INTERRUPT_CHANNEL)
      .flatMap(([, , value]) => (Array.isArray(value) ? value : [value]).map(interruptInfo));
  }

  async create(args: ParsedArgs<"threads.create">): Promise<ThreadInfo> {
    const threadId = args.threadId ?? randomUUID();
    const existing = getThreadListRow(this.committed(), threadId);
    if (existing) {
      if (args.ifExists === "do_nothing") return this.info(existing);
      throw conflict(`Thread "${threadId}" already exists`);
    }
    const now = this.ctx.now();
    // An explicit graph must exist; a graph_id in metadata is the caller's record (LangGraph clients write it), kept as is.
    if (args.graphId) this.ctx.graphs().get(args.graphId);
    const graphId = args.graphId ?? (typeof args.metadata.graph_id === "string" ? args.metadata.graph_id : null);
    putThreadMeta(this.ctx.db, { threadId, createdAt: now, updatedAt: now, metadata: args.metadata, graphId });
    this.changed(threadId);
    return this.info(this.row(threadId));
  }

  async get(threadId: string): Promise<ThreadInfo> {
    return this.info(this.row(threadId));
  }

  async search(args: SearchArgs): Promise<ThreadInfo[]> {
    const out: ThreadInfo[] = [];
    let skip = args.offset;
    for (const row of iterateThreads(this.committed(), args.idPrefix ? { idPrefix: args.idPrefix } : {})) {
      const info = await this.matching(row, args);
      if (!info) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(info);
      if (out.length >= args.limit) break;
    }
    return out;
  }

  async count(args: Filter): Promise<number> {
    let n = 0;
    for (const row of iterateThreads(this.committed(), args.idPrefix ? { idPrefix: args.idPrefix } : {})) {
      if (await this.matching(row, args)) n++;
    }
    return n;
  }

  /** The thread's info when it passes the filter; status is computed only when needed. */
  private async matching(row: ThreadListRow, filter: Filter): Promise<ThreadInfo | undefined> {
    if (filter.graphId !== undefined && this.graphIdOf(row) !== filter.graphId) return undefined;
    if (filter.metadata && !jsonContains(row.metadata, filter.metadata)) return undefined;
    const info = await this.info(row);
    if (filter.status !== undefined && info.status !== filter.status) return undefined;
    if (filter.text && !shows(info, filter.text)) return undefined;
    return info;
  }

  async updateMetadata(args: ParsedArgs<"threads.updateMetadata">): Promise<ThreadInfo> {
    const row = this.row(args.threadId);
    const metadata: Metadata = args.mode === "replace" ? args.metadata : { ...row.metadata, ...args.metadata };
    const graphId = row.graphId ?? (typeof metadata.graph_id === "string" ? metadata.graph_id : null);
    putThreadMeta(this.ctx.db, {
      threadId: row.threadId,
      createdAt: row.createdAt,
      updatedAt: this.ctx.now(),
      metadata,
      graphId,
    });
    this.changed(row.threadId);
    return this.info(this.row(row.threadId));
  }

  /** Records the graph a thread ran on (the run manager calls this when it starts a run). */
  setGraph(threadId: string, graphId: string): void {
    const row = getThreadListRow(this.committed(), threadId);
    const now = this.ctx.now();
    putThreadMeta(this.ctx.db, {
      threadId,
      createdAt: row?.createdAt ?? now,
      updatedAt: now,
      metadata: row?.metadata ?? {},
      graphId,
    });
  }

  async delete(threadId: string): Promise<null> {
    this.row(threadId);
    const runs = this.ctx.runs();
    if (activeRuns(this.ctx.db, threadId).length > 0) {
      if (!runs?.cancelThread) throw conflict(`Thread "${threadId}" has a run in progress; cancel it first`);
      await runs.cancelThread(threadId);
    }
    await this.ctx.store.deleteThread(threadId);
    this.ctx.db.transaction(() => {
      deleteThreadMeta(this.ctx.db, threadId);
      deleteRunsOfThread(this.ctx.db, threadId);
    })();
    this.changed(threadId);
    return null;
  }

  /** A new thread with the whole history of `threadId` (same checkpoint ids), and its metadata. */
  async copy(threadId: string, newThreadId?: string): Promise<ThreadInfo> {
    const row = this.row(threadId);
    const target = this.claimId(newThreadId);
    await writeTuples(this.ctx, target, await allTuples(this.ctx.store, threadId));
    this.ctx.checkpoints.copyAsNodes(threadId, target);
    return this.finishCopy(row, target);
  }

  /**
   * A new thread whose history is the ancestry of one root checkpoint: its
   * parents back to the first, the subgraph checkpoints of those steps, and
   * the pending writes of each (so an interrupt waiting there still waits).
   */
  async fork(args: ParsedArgs<"threads.fork">): Promise<ThreadInfo> {
    const row = this.row(args.threadId);
    if (args.checkpointNs !== "") {
      throw invalidArgument(`threads.fork: checkpointNs: fork from a root checkpoint (namespace ""), not a subgraph's`);
    }
    const tuples = await allTuples(this.ctx.store, args.threadId);
    const selected = ancestry(tuples, args.checkpointId);
    if (!selected) throw notFound(`No checkpoint "${args.checkpointId}" in thread "${args.threadId}"`);
    const target = this.claimId(args.newThreadId);
    await writeTuples(this.ctx, target, selected);
    this.ctx.checkpoints.copyAsNodes(args.threadId, target);
    return this.finishCopy(row, target);
  }

  private claimId(requested?: string): string {
    const id = requested ?? randomUUID();
    if (this.exists(id)) throw conflict(`Thread "${id}" already exists`);
    return id;
  }

  private async finishCopy(source: ThreadListRow, target: string): Promise<ThreadInfo> {
    const now = this.ctx.now();
    putThreadMeta(this.ctx.db, {
      threadId: target,
      createdAt: now,
      updatedAt: now,
      metadata: source.metadata,
      graphId: this.graphIdOf(source),
    });
    this.changed(target);
    return this.info(this.row(target));
  }

  changed(threadId: string): void {
    this.ctx.emit({ type: "threads.changed", threadIds: [threadId], source: "engine", at: this.ctx.now() });
  }

  /** Keeps a thread's metadata row even when its metadata is unknown: used by import. */
  ensureMeta(threadId: string, metadata: Metadata, createdAt: string): void {
    const existing = getThreadMeta(this.ctx.db, threadId);
    putThreadMeta(this.ctx.db, {
      threadId,
      createdAt: existing?.createdAt ?? createdAt,
      updatedAt: this.ctx.now(),
      metadata,
      graphId: typeof metadata.graph_id === "string" ? metadata.graph_id : (existing?.graphId ?? null),
    });
  }
}

/**
 * The root checkpoint `checkpointId` with its ancestors, plus the subgraph
 * checkpoints that ran within their steps; undefined when it is not a root
 * checkpoint of these tuples.
 */
export function ancestry(tuples: CheckpointTuple[], checkpointId: string): CheckpointTuple[] | undefined {
  const roots = new Map<string, CheckpointTuple>();
  for (const t of tuples) if (tupleRef(t).checkpointNs === "") roots.set(t.checkpoint.id, t);
  if (!roots.has(checkpointId)) return undefined;
  const keep = new Set<string>();
  for (let id: string | undefined = checkpointId; id && roots.has(id); ) {
    keep.add(id);
    id = roots.get(id)!.parentConfig?.configurable?.checkpoint_id as string | undefined;
  }
  // A subgraph checkpoint belongs to the step that started at the newest root checkpoint before it.
  const rootIds = [...roots.keys()].sort();
  return tuples.filter((t) => {
    if (tupleRef(t).checkpointNs === "") return keep.has(t.checkpoint.id);
    if (t.checkpoint.id >= checkpointId) return false;
    const owner = latestBefore(rootIds, t.checkpoint.id);
    return owner !== null && keep.has(owner);
  });
}

/**
 * Writes tuples (oldest first) into `threadId` through the checkpointer's own
 * `put`/`putWrites`, so the copy is stored exactly as a run would store it.
 */
export async function writeTuples(ctx: EngineContext, threadId: string, tuples: CheckpointTuple[]): Promise<void> {
  const byKey = new Map<string, CheckpointTuple>();
  for (const tuple of tuples) {
    const { checkpointNs } = tupleRef(tuple);
    const parentId = tuple.parentConfig?.configurable?.checkpoint_id as string | undefined;
    const parent = parentId ? byKey.get(`${checkpointNs}\0${parentId}`) : undefined;
    const versions = tuple.checkpoint.channel_versions;
    // Only the channels that changed since the parent are new, as in a run.
    const newVersions = Object.fromEntries(
      Object.entries(versions).filter(([ch, v]) => parent?.checkpoint.channel_versions[ch] !== v),
    );
    await ctx.store.put(
      configFor(threadId, checkpointNs, parentId),
      tuple.checkpoint,
      tuple.metadata ?? { source: "fork", step: -1, parents: {} },
      newVersions,
    );
    const writesByTask = new Map<string, [string, unknown][]>();
    for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
      const list = writesByTask.get(taskId) ?? [];
      list.push([channel, value]);
      writesByTask.set(taskId, list);
    }
    for (const [taskId, writes] of writesByTask) {
      await ctx.store.putWrites(configFor(threadId, checkpointNs, tuple.checkpoint.id), writes, taskId);
    }
    byKey.set(`${checkpointNs}\0${tuple.checkpoint.id}`, tuple);
  }
}

/** Whether every word of `text` appears in what the thread list shows of the thread. */
function shows(info: ThreadInfo, text: string): boolean {
  const shown = [info.threadId, info.title ?? "", info.graphId ?? "", info.status].join("\n").toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => shown.includes(word));
}
