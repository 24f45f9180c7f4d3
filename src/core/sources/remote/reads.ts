// The reads every source answers, from an Agent Server: threads (search, count, get), history
// pages, the tree, the state at any checkpoint, and the export (remote/export.ts).
import type { Thread, ThreadState } from "@langchain/langgraph-sdk";
import type { ParsedArgs } from "../../../shared/contract";
import { notFound, ThreadlineError } from "../../../shared/errors";
import type { CheckpointTree, CheckpointTreeNode, HistoryPage, StateSnapshot, ThreadInfo } from "../../../shared/types";
import { sliceSnapshot } from "../../threads/snapshot";
import type { SourcePart } from "../source";
import type { RemoteConnection } from "./connection";
import { exportFromHistory } from "./export";
import { SERVER_PAGE, type HistoryReader } from "./history";
import { toSnapshot, toSummary, toThreadInfo } from "./states";

/** Threads read per request while filtering by what the server cannot filter (id prefix, words). */
const SEARCH_PAGE = 200;
/** How far a search by id prefix or words looks down the list, most recently updated first. */
const SEARCH_SCAN = 5000;

type SearchArgs = Pick<ParsedArgs<"threads.search">, "metadata" | "status" | "idPrefix" | "text" | "graphId">;

function serverFilter(args: SearchArgs) {
  const metadata = { ...(args.metadata ?? {}), ...(args.graphId ? { graph_id: args.graphId } : {}) };
  return { ...(Object.keys(metadata).length > 0 ? { metadata } : {}), ...(args.status ? { status: args.status } : {}) };
}

/** What the server cannot filter: the id prefix, and the words of what the thread list shows. */
function matches(thread: ThreadInfo, args: SearchArgs): boolean {
  if (args.idPrefix && !thread.threadId.startsWith(args.idPrefix)) return false;
  if (!args.text?.trim()) return true;
  const shown = [thread.threadId, thread.title ?? "", thread.graphId ?? "", thread.status].join(" ").toLowerCase();
  return args.text.toLowerCase().split(/\s+/).filter(Boolean).every((word) => shown.includes(word));
}

export function remoteReads(connection: RemoteConnection, history: HistoryReader): SourcePart<"reads"> {
  const { client } = connection;

  const thread = (threadId: string): Promise<Thread> => connection.call(() => client.threads.get(threadId));

  async function search(args: SearchArgs & { limit: number; offset: number }): Promise<ThreadInfo[]> {
    const filter = serverFilter(args);
    const sort = { sortBy: "updated_at" as const, sortOrder: "desc" as const };
    if (!args.idPrefix && !args.text?.trim()) {
      const page = await connection.call(() => client.threads.search({ ...filter, ...sort, limit: args.limit, offset: args.offset }));
      return page.map((t) => toThreadInfo(t));
    }
    const found: ThreadInfo[] = [];
    for (let offset = 0; offset < SEARCH_SCAN && found.length < args.offset + args.limit; offset += SEARCH_PAGE) {
      const page = await connection.call(() => client.threads.search({ ...filter, ...sort, limit: SEARCH_PAGE, offset }));
      for (const t of page) {
        const info = toThreadInfo(t);
        if (matches(info, args)) found.push(info);
      }
      if (page.length < SEARCH_PAGE) break;
    }
    return found.slice(args.offset, args.offset + args.limit);
  }

  /**
   * The states of a page with, for its oldest, the parent read along: one more state is asked for
   * (within the server's largest page, so a page of that size gives one row less), and a full answer
   * means there may be more.
   */
  async function pageWithParents(args: { threadId: string; checkpointNs: string; limit: number; before?: string }) {
    const asked = Math.min(args.limit + 1, SERVER_PAGE);
    const states = await history.page(args.threadId, { ns: args.checkpointNs, limit: asked, ...(args.before ? { before: args.before } : {}) });
    const parentOf = (state: ThreadState): ThreadState | undefined => {
      const parentId = state.parent_checkpoint?.checkpoint_id;
      return parentId ? history.known(args.threadId, args.checkpointNs, parentId) : undefined;
    };
    const more = states.length === asked;
    return { states: more ? states.slice(0, asked - 1) : states, more, parentOf };
  }

  return {
    "threads.get": async (args) => {
      const [t, head] = await Promise.all([thread(args.threadId), connection.call(() => client.threads.getState(args.threadId))]);
      return toThreadInfo(t, head);
    },
    "threads.search": (args) => search(args),
    "threads.count": async (args) => {
      if (!args.idPrefix && !args.text?.trim()) return connection.call(() => client.threads.count(serverFilter(args)));
      return (await search({ ...args, limit: SEARCH_SCAN, offset: 0 })).length;
    },
    "threads.export": async (args) => exportFromHistory(await thread(args.threadId), history),
    "state.get": async (args): Promise<StateSnapshot> => {
      const ns = args.checkpointNs;
      if (args.checkpointId && !args.subgraphs) {
        const kept = history.known(args.threadId, ns, args.checkpointId);
        if (kept) {
          const parentId = kept.parent_checkpoint?.checkpoint_id;
          return sliceSnapshot(toSnapshot(args.threadId, kept, parentId ? history.known(args.threadId, ns, parentId) : undefined), args.maxItems);
        }
      }
      const checkpoint = args.checkpointId ? { checkpoint_id: args.checkpointId, checkpoint_ns: ns } : ns ? { checkpoint_ns: ns } : undefined;
      const at = checkpoint as Parameters<typeof client.threads.getState>[1];
      // Sent only when asked for: langgraph dev's checkpoint route refuses a boolean `subgraphs` in the body.
      const state = await connection
        .call(() => client.threads.getState(args.threadId, at, args.subgraphs ? { subgraphs: true } : {}))
        .catch((error: unknown) => {
          if (!args.subgraphs || !(error instanceof ThreadlineError) || error.code !== "INVALID_ARGUMENT") throw error;
          return connection.call(() => client.threads.getState(args.threadId, at));
        });
      if (args.checkpointId && state.checkpoint?.checkpoint_id !== args.checkpointId) {
        throw notFound(`No checkpoint "${args.checkpointId}" in thread "${args.threadId}"`);
      }
      const parentId = state.parent_checkpoint?.checkpoint_id;
      return sliceSnapshot(toSnapshot(args.threadId, state, parentId ? history.known(args.threadId, ns, parentId) : undefined), args.maxItems);
    },
    "history.page": async (args): Promise<HistoryPage> => {
      if (args.oldest) {
        // The Agent Server pages newest first only: read every page, keep the oldest.
        const all = await history.all(args.threadId, args.checkpointNs);
        const byId = new Map(all.map((s) => [s.checkpoint.checkpoint_id!, s]));
        const items = all.slice(-args.limit).map((s) => toSummary(s, byId.get(s.parent_checkpoint?.checkpoint_id ?? "")));
        return { items, nextBefore: null };
      }
      const { states, more, parentOf } = await pageWithParents(args);
      const items = states.map((s) => toSummary(s, parentOf(s)));
      return { items, nextBefore: more ? (items[items.length - 1]?.checkpointId ?? null) : null };
    },
    "history.states": async (args) => {
      const states = await history.page(args.threadId, {
        ns: args.checkpointNs,
        limit: args.limit,
        ...(args.before ? { before: args.before } : {}),
        ...(args.metadata ? { metadata: args.metadata } : {}),
      });
      return states.map((s) => {
        const parentId = s.parent_checkpoint?.checkpoint_id;
        return toSnapshot(args.threadId, s, parentId ? history.known(args.threadId, args.checkpointNs, parentId) : undefined);
      });
    },
    "history.tree": async (args) => tree(args.threadId, history),
  };
}

/**
 * Every checkpoint, oldest first: the root graph's in pages of the server's largest size, then
 * each subgraph namespace the root's tasks name (one read per subgraph run, not per checkpoint).
 */
async function tree(threadId: string, history: HistoryReader): Promise<CheckpointTree> {
  const roots = await history.all(threadId, "");
  const byId = new Map(roots.map((s) => [s.checkpoint.checkpoint_id!, s]));
  const nodes: CheckpointTreeNode[] = [];
  const parentOf = (s: ThreadState) => byId.get(s.parent_checkpoint?.checkpoint_id ?? "");
  for (const s of [...roots].reverse()) nodes.push({ ...toSummary(s, parentOf(s)), parentRootCheckpointId: null });
  // A subgraph runs in the step that starts at the root checkpoint whose task names its namespace;
  // its checkpoints sit under the root checkpoint that step wrote (the start while it is unfinished).
  const owners = new Map<string, string>();
  for (const s of roots) {
    for (const task of s.tasks ?? []) {
      const ns = task.checkpoint?.checkpoint_ns;
      if (ns) owners.set(ns, s.checkpoint.checkpoint_id!);
    }
  }
  const childOf = new Map<string, string>();
  for (const s of roots) {
    const parentId = s.parent_checkpoint?.checkpoint_id;
    if (parentId && !childOf.has(parentId)) childOf.set(parentId, s.checkpoint.checkpoint_id!);
  }
  for (const [ns, start] of owners) {
    const states = await history.all(threadId, ns).catch(() => [] as ThreadState[]);
    const sub = new Map(states.map((s) => [s.checkpoint.checkpoint_id!, s]));
    for (const s of [...states].reverse()) {
      const parent = sub.get(s.parent_checkpoint?.checkpoint_id ?? "");
      nodes.push({ ...toSummary(s, parent), parentRootCheckpointId: childOf.get(start) ?? start });
    }
  }
  return { threadId, nodes };
}
