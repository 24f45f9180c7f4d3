// The reads every source answers, for a checkpoint store opened in place: threads (from the
// store's in-memory thread list), history pages and the tree (summaries only), the state at any
// checkpoint (read without the graph, as for a thread another app wrote) and a thread's export.

import type { ParsedArgs } from "../../shared/contract";
import { notFound } from "../../shared/errors";
import type { ThreadExport } from "../../shared/contract";
import type { CheckpointTree, HistoryPage, StateSnapshot, ThreadInfo, ThreadStatus } from "../../shared/types";
import { Checkpoints, configFor, ERROR_CHANNEL, INTERRUPT_CHANNEL } from "../threads/checkpoint-store";
import { emptySnapshot, fromTuple, interruptInfo } from "../threads/snapshot";
import { exportThread } from "../threads/transfer";
import type { OpenedStore, StoreThread } from "./types";

const nsLabel = (ns: string) => (ns ? ` (namespace "${ns}")` : "");

export class StoreReads {
  private readonly checkpoints: Checkpoints;

  constructor(readonly store: OpenedStore) {
    this.checkpoints = new Checkpoints(store);
  }

  private async thread(threadId: string): Promise<StoreThread> {
    const thread = await this.store.thread(threadId);
    if (!thread) throw notFound(`No thread "${threadId}" in ${this.store.label}`);
    return thread;
  }

  /** As LangGraph's server computes it from the head: error or interrupted by its pending writes, else idle. */
  private async info(thread: StoreThread): Promise<ThreadInfo> {
    // No writes at the head (most threads of a page): idle, with nothing more to read.
    const channels = thread.headWrites > 0 ? await this.checkpoints.writeChannels(thread.threadId, "", thread.headCheckpointId) : new Set<string>();
    let status: ThreadStatus = "idle";
    let interrupts: ThreadInfo["interrupts"] = [];
    if (channels.has(ERROR_CHANNEL)) status = "error";
    else if (channels.has(INTERRUPT_CHANNEL)) {
      status = "interrupted";
      const head = await this.checkpoints.at(thread.threadId, "", thread.headCheckpointId);
      interrupts = (head?.pendingWrites ?? [])
        .filter(([, channel]) => channel === INTERRUPT_CHANNEL)
        .flatMap(([, , value]) => (Array.isArray(value) ? value : [value]).map(interruptInfo));
    }
    const graphId = thread.metadata.graph_id;
    const title = thread.metadata.title;
    return {
      threadId: thread.threadId,
      createdAt: thread.createdAt,
      updatedAt: thread.updatedAt,
      metadata: thread.metadata,
      status,
      graphId: typeof graphId === "string" ? graphId : null,
      headCheckpointId: thread.headCheckpointId,
      interrupts,
      // Savers keep no input apart from the writes; a title is only what the app put in the metadata.
      title: typeof title === "string" && title.trim() ? title.trim() : null,
      checkpointCount: thread.checkpointCount,
    };
  }

  async "threads.get"(args: ParsedArgs<"threads.get">): Promise<ThreadInfo> {
    return this.info(await this.thread(args.threadId));
  }

  async "threads.search"(args: ParsedArgs<"threads.search">): Promise<ThreadInfo[]> {
    const query = { idPrefix: args.idPrefix, metadata: graphFilter(args) };
    if (!args.status) return Promise.all((await this.store.threads({ ...query, limit: args.limit, offset: args.offset })).map((t) => this.info(t)));
    // The status is not in the thread list: read page by page until enough match.
    const found: ThreadInfo[] = [];
    let skip = args.offset;
    for (let offset = 0; found.length < args.limit; offset += 200) {
      const page = await this.store.threads({ ...query, limit: 200, offset });
      for (const info of await Promise.all(page.map((t) => this.info(t)))) {
        if (info.status !== args.status || skip-- > 0) continue;
        if (found.push(info) >= args.limit) break;
      }
      if (page.length < 200) break;
    }
    return found;
  }

  async "threads.count"(args: ParsedArgs<"threads.count">): Promise<number> {
    const query = { idPrefix: args.idPrefix, metadata: graphFilter(args) };
    if (!args.status) return this.store.countThreads(query);
    return (await this["threads.search"]({ ...args, limit: 1_000_000, offset: 0 })).length;
  }

  async "threads.export"(args: ParsedArgs<"threads.export">): Promise<ThreadExport> {
    const thread = await this.thread(args.threadId);
    return exportThread(this.store, thread, new Date().toISOString());
  }

  async "state.get"(args: ParsedArgs<"state.get">): Promise<StateSnapshot> {
    await this.thread(args.threadId);
    const tuple = await this.store.getTuple(configFor(args.threadId, args.checkpointNs, args.checkpointId));
    if (!tuple) {
      if (args.checkpointId) throw notFound(`No checkpoint "${args.checkpointId}"${nsLabel(args.checkpointNs)} in thread "${args.threadId}"`);
      if (args.checkpointNs) throw notFound(`No checkpoint${nsLabel(args.checkpointNs)} in thread "${args.threadId}"`);
      return emptySnapshot();
    }
    return fromTuple(tuple, undefined, undefined, args.maxItems);
  }

  async "history.page"(args: ParsedArgs<"history.page">): Promise<HistoryPage> {
    await this.thread(args.threadId);
    const items = await this.checkpoints.summaries(args.threadId, args);
    const last = items[items.length - 1];
    return { items, nextBefore: !args.oldest && items.length === args.limit && last ? last.checkpointId : null };
  }

  async "history.states"(args: ParsedArgs<"history.states">): Promise<StateSnapshot[]> {
    await this.thread(args.threadId);
    const out: StateSnapshot[] = [];
    const before = args.before ? { before: configFor(args.threadId, args.checkpointNs, args.before) } : {};
    const filter = args.metadata ? { filter: args.metadata } : {};
    for await (const tuple of this.store.list(configFor(args.threadId, args.checkpointNs), { limit: args.limit, ...before, ...filter })) {
      out.push(fromTuple(tuple));
    }
    return out;
  }

  async "history.tree"(args: ParsedArgs<"history.tree">): Promise<CheckpointTree> {
    await this.thread(args.threadId);
    return { threadId: args.threadId, nodes: await this.checkpoints.tree(args.threadId) };
  }
}

/** A graph filter is a metadata filter here: savers record the graph only in metadata (graph_id). */
function graphFilter(args: { metadata?: ParsedArgs<"threads.search">["metadata"]; graphId?: string }) {
  if (!args.graphId) return args.metadata;
  return { ...args.metadata, graph_id: args.graphId };
}
