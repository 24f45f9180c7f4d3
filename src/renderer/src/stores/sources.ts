// The source menu: which sources are open (Threadline's own store, checkpoint stores opened in
// place, Agent Servers connected to), which one the thread list shows, recent sources (remembered
// without passwords or keys), and "Copy into Threadline" for a thread of a read-only source.
import { create } from "zustand";
import { LOCAL_SOURCE_ID, withoutPassword, type SourceEntry, type SourcesList } from "../../../shared/opened-sources";
import { engine, errorMessage } from "../api/engine";
import { useGraphs } from "./graphs";
import { useSource } from "./source";
import { useThreads } from "./threads";
import { useUi } from "./ui";

const RECENT_KEY = "threadline.recentSources";
const SERVERS_KEY = "threadline.recentServers";
/** Agent Server keys, by server URL: only those the user chose to save. */
const KEYS_KEY = "threadline.serverKeys";
const RECENT_MAX = 8;

function readList(key: string): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string").slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function store(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: remembering is only a convenience.
  }
}

function pushRecent(key: string, entry: string): string[] {
  const recent = [entry, ...readList(key).filter((r) => r !== entry)].slice(0, RECENT_MAX);
  store(key, recent);
  return recent;
}

function readKeys(): Record<string, string> {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEYS_KEY) ?? "{}") as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/** The key saved for a server (the user ticked "remember"), or null. */
export function savedKey(url: string): string | null {
  return readKeys()[url.trim()] ?? null;
}

/** Saves or forgets a server's key; a key is written to the browser only when the user asked. */
function keepKey(url: string, apiKey: string | null): void {
  const { [url]: _old, ...rest } = readKeys();
  store(KEYS_KEY, apiKey ? { ...rest, [url]: apiKey } : rest);
}

interface SourcesState {
  sources: SourceEntry[];
  activeId: string;
  recent: string[];
  /** Agent Server URLs connected to before (never their keys). */
  recentServers: string[];
  error: string | null;
  load(): Promise<void>;
  /** Opens a file path or connection string and shows its threads; answers whether it opened. */
  open(location: string): Promise<boolean>;
  /**
   * Connects to an Agent Server and shows its threads; answers whether it connected. The key is kept in
   * this page's memory only unless `rememberKey`, which saves it in this browser for that server.
   */
  connect(url: string, apiKey: string | null, rememberKey: boolean): Promise<boolean>;
  use(id: string): Promise<void>;
  close(id: string): Promise<void>;
  /** Copies a thread of the active (read-only) source into Threadline's store and shows it there. */
  copyToLocal(threadId: string): Promise<boolean>;
}

/** The selector components read: the entry the thread list shows. */
export const selectActiveSource = (s: SourcesState): SourceEntry | undefined => s.sources.find((x) => x.id === s.activeId);
/** A checkpoint store opened in place: runs and edits start with "Copy into Threadline". */
export const selectReadOnly = (s: SourcesState): boolean => {
  const kind = selectActiveSource(s)?.kind;
  return kind === "sqlite" || kind === "postgres";
};

export const useSources = create<SourcesState>()((set, get) => {
  /** The thread list now shows another source: what was open belongs to the old one. */
  const switched = (list: SourcesList, before: string) => {
    set({ sources: list.sources, activeId: list.activeId, error: null });
    if (list.activeId !== before) {
      useThreads.getState().select(null);
      void useThreads.getState().load();
      // What the source can do, and its graphs (an Agent Server's assistants), change with it.
      void useSource.getState().load();
      useGraphs.setState({ details: {}, detailErrors: {}, breakpoints: {} });
      void useGraphs.getState().load();
    }
  };
  return {
    sources: [],
    activeId: LOCAL_SOURCE_ID,
    recent: readList(RECENT_KEY),
    recentServers: readList(SERVERS_KEY),
    error: null,
    async load() {
      try {
        switched(await engine().sources.list(), get().activeId);
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    async open(location) {
      try {
        switched(await engine().sources.open({ location: location.trim() }), get().activeId);
        set({ recent: pushRecent(RECENT_KEY, withoutPassword(location.trim())) });
        return true;
      } catch (error) {
        set({ error: errorMessage(error) });
        return false;
      }
    },
    async connect(url, apiKey, rememberKey) {
      const address = url.trim().replace(/\/+$/, "");
      try {
        switched(await engine().sources.connect({ url: address, ...(apiKey ? { apiKey } : {}) }), get().activeId);
        keepKey(address, rememberKey ? apiKey : null);
        set({ recentServers: pushRecent(SERVERS_KEY, address) });
        return true;
      } catch (error) {
        set({ error: errorMessage(error) });
        return false;
      }
    },
    async use(id) {
      try {
        switched(await engine().sources.use({ id }), get().activeId);
      } catch (error) {
        useUi.getState().notify("error", `Switch source: ${errorMessage(error)}`);
      }
    },
    async close(id) {
      try {
        switched(await engine().sources.close({ id }), get().activeId);
      } catch (error) {
        useUi.getState().notify("error", `Close source: ${errorMessage(error)}`);
      }
    },
    async copyToLocal(threadId) {
      try {
        const thread = await engine().sources.copyToLocal({ threadId });
        switched(await engine().sources.list(), get().activeId);
        useThreads.getState().select(thread.threadId);
        useUi.getState().notify("info", `Copied ${threadId} into Threadline as ${thread.threadId}`);
        return true;
      } catch (error) {
        useUi.getState().notify("error", `Copy into Threadline: ${errorMessage(error)}`);
        return false;
      }
    },
  };
});

/** What components read from the sources' state. */
export const sourcesSelectors = {
  sources: (s: SourcesState) => s.sources,
  recent: (s: SourcesState) => s.recent,
  recentServers: (s: SourcesState) => s.recentServers,
  error: (s: SourcesState) => s.error,
};
