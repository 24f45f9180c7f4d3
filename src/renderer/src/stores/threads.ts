// The thread list: search, selection, and the thread actions (new, delete, copy, export, import).
import { create } from "zustand";
import type { ThreadExport } from "../../../shared/contract";
import type { Metadata, ThreadInfo } from "../../../shared/types";
import { engine, errorMessage } from "../api/engine";
import { useUi } from "./ui";

const PAGE = 200;

interface ThreadsState {
  items: ThreadInfo[];
  query: string;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  selectedId: string | null;
  /** The open thread as last read (it may be filtered out of `items`). */
  current: ThreadInfo | null;
  /** Where the open thread is paused: the nodes that run next (empty unless interrupted). */
  pausedBefore: string[];
  setQuery(query: string): void;
  load(): Promise<void>;
  /** Appends the next page, when the last one was full. */
  loadMore(): Promise<void>;
  hasMore: boolean;
  select(threadId: string | null): void;
  create(graphId: string | null): Promise<ThreadInfo | undefined>;
  remove(threadId: string): Promise<void>;
  copy(threadId: string): Promise<void>;
  exportThread(threadId: string): Promise<ThreadExport | undefined>;
  importThread(data: unknown): Promise<void>;
  /** Imports a checkpoint database written by LangGraph's own SqliteSaver (a path on the engine's machine). */
  importLangGraph(file: string): Promise<boolean>;
  /** Replaces one thread's row after a call returned it. */
  upsert(thread: ThreadInfo): void;
  /** Sets (or, with an empty string, clears) the thread's `title` metadata. */
  rename(threadId: string, title: string): Promise<void>;
}

/**
 * `key=value` terms filter by metadata (values parsed as JSON when they parse); other words must each appear
 * in what a row shows (id, title, graph, status): `graph_id=react-agent user=ana`, `7f3a`, `react-agent lisbon`.
 */
export function parseQuery(query: string): { text?: string; metadata?: Metadata } {
  const metadata: Metadata = {};
  const words: string[] = [];
  for (const term of query.trim().split(/\s+/).filter(Boolean)) {
    const eq = term.indexOf("=");
    if (eq > 0) {
      const raw = term.slice(eq + 1);
      let value: Metadata[string];
      try {
        value = JSON.parse(raw) as Metadata[string];
      } catch {
        value = raw;
      }
      metadata[term.slice(0, eq)] = value;
    } else words.push(term);
  }
  return {
    ...(words.length ? { text: words.join(" ") } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

let loadSeq = 0;

export const useThreads = create<ThreadsState>()((set, get) => ({
  items: [],
  query: "",
  loading: false,
  loaded: false,
  error: null,
  selectedId: null,
  current: null,
  pausedBefore: [],
  hasMore: false,
  setQuery(query) {
    set({ query });
    void get().load();
  },
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      // A reload keeps as many rows as were shown, so that live updates do not cut a scrolled list short.
      const limit = Math.min(1000, Math.max(PAGE, get().items.length));
      const items = await engine().threads.search({ ...parseQuery(get().query), limit });
      if (seq !== loadSeq) return;
      set({ items, loading: false, loaded: true, error: null, hasMore: items.length === limit });
    } catch (error) {
      if (seq !== loadSeq) return;
      set({ loading: false, loaded: true, error: errorMessage(error) });
    }
  },
  async loadMore() {
    const { hasMore, loading, items, query } = get();
    if (!hasMore || loading) return;
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const more = await engine().threads.search({ ...parseQuery(query), limit: PAGE, offset: items.length });
      if (seq !== loadSeq) return;
      const known = new Set(items.map((t) => t.threadId));
      set({ items: [...items, ...more.filter((t) => !known.has(t.threadId))], loading: false, hasMore: more.length === PAGE });
    } catch (error) {
      if (seq === loadSeq) set({ loading: false, error: errorMessage(error) });
    }
  },
  select(threadId) {
    const known = get().items.find((t) => t.threadId === threadId) ?? null;
    set({ selectedId: threadId, current: known, pausedBefore: [] });
    if (threadId) void refreshCurrent(threadId);
  },
  async create(graphId) {
    try {
      const thread = await engine().threads.create({ ...(graphId ? { graphId, metadata: { graph_id: graphId } } : {}) });
      get().upsert(thread);
      get().select(thread.threadId);
      return thread;
    } catch (error) {
      return useUi.getState().fail(error, "New thread");
    }
  },
  async remove(threadId) {
    try {
      await engine().threads.delete({ threadId });
      set((s) => ({
        items: s.items.filter((t) => t.threadId !== threadId),
        selectedId: s.selectedId === threadId ? null : s.selectedId,
      }));
    } catch (error) {
      useUi.getState().fail(error, "Delete thread");
    }
  },
  async copy(threadId) {
    try {
      const thread = await engine().threads.copy({ threadId });
      get().upsert(thread);
      get().select(thread.threadId);
      useUi.getState().notify("info", `Copied into ${thread.threadId}`);
    } catch (error) {
      useUi.getState().fail(error, "Copy thread");
    }
  },
  async exportThread(threadId) {
    try {
      return await engine().threads.export({ threadId });
    } catch (error) {
      return useUi.getState().fail(error, "Export thread");
    }
  },
  async importThread(data) {
    try {
      const thread = await engine().threads.import({ data: data as ThreadExport });
      get().upsert(thread);
      get().select(thread.threadId);
      useUi.getState().notify("info", `Imported ${thread.threadId}`);
    } catch (error) {
      useUi.getState().fail(error, "Import thread");
    }
  },
  async importLangGraph(file) {
    try {
      const result = await engine().threads.importLangGraph({ file });
      await get().load();
      const first = result.threads[0];
      if (first) get().select(first.threadId);
      const skipped = result.skipped.length ? `; skipped ${result.skipped.map((s) => `${s.threadId} (${s.reason})`).join(", ")}` : "";
      useUi.getState().notify("info", `Imported ${result.threads.length} thread(s) from a LangGraph database${skipped}`);
      return true;
    } catch (error) {
      useUi.getState().fail(error, "Import LangGraph database");
      return false;
    }
  },
  async rename(threadId, title) {
    try {
      const current = get().items.find((t) => t.threadId === threadId)?.metadata ?? (await engine().threads.get({ threadId })).metadata;
      const { title: _old, ...rest } = current;
      const metadata = title.trim() ? { ...rest, title: title.trim() } : rest;
      get().upsert(await engine().threads.updateMetadata({ threadId, metadata, mode: "replace" }));
    } catch (error) {
      useUi.getState().fail(error, "Rename thread");
    }
  },
  upsert(thread) {
    set((s) => {
      const rest = s.items.filter((t) => t.threadId !== thread.threadId);
      return {
        items: [thread, ...rest].sort(byUpdatedDesc),
        current: s.selectedId === thread.threadId ? thread : s.current,
      };
    });
  },
}));

/** Re-reads the open thread (status, interrupts) after anything that may have changed it. */
/** Re-reads of the open thread in the order they were asked for, and the latest whose answer was applied. */
let currentSeq = 0;
let appliedCurrent = 0;

export async function refreshCurrent(threadId = useThreads.getState().selectedId): Promise<void> {
  if (!threadId) return;
  // Re-reads overlap while a run streams and may answer out of order: an answer older than one already
  // shown (a run's "busy" after its "idle") is dropped.
  const order = ++currentSeq;
  try {
    const thread = await engine().threads.get({ threadId });
    const pausedBefore = thread.status === "interrupted" ? (await engine().state.get({ threadId })).next : [];
    if (useThreads.getState().selectedId !== threadId || order < appliedCurrent) return;
    appliedCurrent = order;
    useThreads.setState((s) => ({
      current: thread,
      pausedBefore,
      items: s.items.map((t) => (t.threadId === threadId ? thread : t)),
    }));
  } catch (error) {
    if (order < appliedCurrent) return;
    if (useThreads.getState().selectedId === threadId) useThreads.setState({ current: null });
    useUi.getState().fail(error, `Thread ${threadId}`);
  }
}

function byUpdatedDesc(a: ThreadInfo, b: ThreadInfo): number {
  return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.threadId.localeCompare(b.threadId);
}

export const selectCurrentThread = (s: ThreadsState): ThreadInfo | null =>
  s.current?.threadId === s.selectedId ? s.current : null;

const NO_NODES: string[] = [];

/** What components read from the threads store. */
export const threadSelectors = {
  items: (s: ThreadsState) => s.items,
  loaded: (s: ThreadsState) => s.loaded,
  loading: (s: ThreadsState) => s.loading,
  error: (s: ThreadsState) => s.error,
  query: (s: ThreadsState) => s.query,
  hasMore: (s: ThreadsState) => s.hasMore,
  selectedId: (s: ThreadsState) => s.selectedId,
  current: selectCurrentThread,
  /** The open thread's own graph, once read. */
  graphId: (s: ThreadsState) => selectCurrentThread(s)?.graphId ?? null,
  /** The nodes the open thread waits before, once it has been read. */
  pausedBefore: (s: ThreadsState) => (s.current?.threadId === s.selectedId ? s.pausedBefore : NO_NODES),
  headOf: (threadId: string | null) => (s: ThreadsState) => (threadId && s.current?.threadId === threadId ? s.current.headCheckpointId : null),
};

const LABEL_MAX = 80;

/** What a thread is called in the list and headers: its title (cut at 80 characters), else the start of its id. */
export function threadLabel(thread: Pick<ThreadInfo, "threadId" | "title">): string {
  if (thread.title === null) return `Thread ${thread.threadId.slice(0, 8)}`;
  return thread.title.length > LABEL_MAX ? `${thread.title.slice(0, LABEL_MAX - 1)}…` : thread.title;
}
