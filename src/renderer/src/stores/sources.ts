// The source menu: which sources are open (Threadline's own store, checkpoint stores opened in
// place), which one the thread list shows, recent sources (remembered without passwords), and
// "Copy into Threadline" for a thread of a read-only source.
import { create } from "zustand";
import { LOCAL_SOURCE_ID, withoutPassword, type SourceEntry, type SourcesList } from "../../../shared/opened-sources";
import { engine, errorMessage } from "../api/engine";
import { useThreads } from "./threads";
import { useUi } from "./ui";

const RECENT_KEY = "threadline.recentSources";
const RECENT_MAX = 8;

function readRecent(): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]") as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string").slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function remember(location: string): string[] {
  const label = withoutPassword(location.trim());
  const recent = [label, ...readRecent().filter((r) => r !== label)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // Storage full or disabled: the list is only a convenience.
  }
  return recent;
}

interface SourcesState {
  sources: SourceEntry[];
  activeId: string;
  recent: string[];
  error: string | null;
  load(): Promise<void>;
  /** Opens a file path or connection string and shows its threads; answers whether it opened. */
  open(location: string): Promise<boolean>;
  use(id: string): Promise<void>;
  close(id: string): Promise<void>;
  /** Copies a thread of the active (read-only) source into Threadline's store and shows it there. */
  copyToLocal(threadId: string): Promise<boolean>;
}

/** The selector components read: the entry the thread list shows. */
export const selectActiveSource = (s: SourcesState): SourceEntry | undefined => s.sources.find((x) => x.id === s.activeId);
export const selectReadOnly = (s: SourcesState): boolean => s.activeId !== LOCAL_SOURCE_ID;

export const useSources = create<SourcesState>()((set, get) => {
  /** The thread list now shows another source: what was open belongs to the old one. */
  const switched = (list: SourcesList, before: string) => {
    set({ sources: list.sources, activeId: list.activeId, error: null });
    if (list.activeId !== before) {
      useThreads.getState().select(null);
      void useThreads.getState().load();
    }
  };
  return {
    sources: [],
    activeId: LOCAL_SOURCE_ID,
    recent: readRecent(),
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
        set({ recent: remember(location) });
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
  error: (s: SourcesState) => s.error,
};
