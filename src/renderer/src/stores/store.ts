// The Store view's state: LangGraph's store of the open engine — its namespaces, the items of the
// selected one (searched by filter and, where langgraph.json indexes the store, by meaning), edits.
import { create } from "zustand";
import type { JsonValue } from "../../../shared/encoding";
import type { StoreCapabilities, StoreItemInfo } from "../../../shared/store";
import { engine, errorMessage } from "../api/engine";
import { useUi } from "./ui";

const PAGE = 50;

export interface StoreSearch {
  /** JSON object text; empty for none. */
  filter: string;
  query: string;
}

interface StoreViewState {
  open: boolean;
  capabilities: StoreCapabilities | null;
  namespaces: string[][];
  /** The namespace prefix whose items are shown; [] for all. */
  selected: string[];
  search: StoreSearch;
  items: StoreItemInfo[];
  /** More items may follow the ones shown. */
  more: boolean;
  loading: boolean;
  error: string | null;
  show(open: boolean): void;
  refresh(): Promise<void>;
  select(prefix: string[]): Promise<void>;
  setSearch(search: StoreSearch): Promise<void>;
  loadMore(): Promise<void>;
  put(namespace: string[], key: string, value: JsonValue): Promise<boolean>;
  remove(namespace: string[], key: string): Promise<void>;
}

/** The filter text as an object, or an error saying what is wrong with it. */
export function parseFilter(text: string): { ok: true; filter?: Record<string, JsonValue> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true };
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "The filter must be a JSON object, e.g. {\"kind\": \"note\"}" };
    return { ok: true, filter: value as Record<string, JsonValue> };
  } catch (error) {
    return { ok: false, error: `The filter is not JSON: ${(error as Error).message}` };
  }
}

async function allNamespaces(): Promise<string[][]> {
  const out: string[][] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await engine().store.listNamespaces({ limit: 1000, offset });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

export const useStoreView = create<StoreViewState>()((set, get) => {
  async function fetchItems(offset: number): Promise<StoreItemInfo[] | null> {
    const { selected, search, capabilities } = get();
    const filter = parseFilter(search.filter);
    if (!filter.ok) {
      set({ error: filter.error, loading: false });
      return null;
    }
    const query = capabilities?.semanticSearch && search.query.trim() ? search.query.trim() : undefined;
    return engine().store.search({ namespacePrefix: selected, limit: PAGE, offset, ...(filter.filter ? { filter: filter.filter } : {}), ...(query ? { query } : {}) });
  }

  async function loadItems(): Promise<void> {
    set({ loading: true, error: null });
    try {
      const items = await fetchItems(0);
      if (items) set({ items, more: items.length === PAGE, loading: false });
    } catch (error) {
      set({ loading: false, error: errorMessage(error) });
    }
  }

  return {
    open: false,
    capabilities: null,
    namespaces: [],
    selected: [],
    search: { filter: "", query: "" },
    items: [],
    more: false,
    loading: false,
    error: null,
    show(open) {
      set({ open });
      if (open) void get().refresh();
    },
    async refresh() {
      try {
        const [capabilities, namespaces] = await Promise.all([engine().store.info(), allNamespaces()]);
        set({ capabilities, namespaces });
      } catch (error) {
        set({ error: errorMessage(error) });
        return;
      }
      await loadItems();
    },
    async select(prefix) {
      set({ selected: prefix });
      await loadItems();
    },
    async setSearch(search) {
      set({ search });
      await loadItems();
    },
    async loadMore() {
      try {
        const next = await fetchItems(get().items.length);
        if (next) set((s) => ({ items: [...s.items, ...next], more: next.length === PAGE }));
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    async put(namespace, key, value) {
      try {
        await engine().store.put({ namespace, key, value });
      } catch (error) {
        useUi.getState().fail(error, "Saving the item failed");
        return false;
      }
      await get().refresh();
      return true;
    },
    async remove(namespace, key) {
      try {
        await engine().store.delete({ namespace, key });
      } catch (error) {
        useUi.getState().fail(error, "Deleting the item failed");
        return;
      }
      await get().refresh();
    },
  };
});

/** What components read from the Store view's state. */
export const storeViewSelectors = {
  open: (s: StoreViewState) => s.open,
  namespaces: (s: StoreViewState) => s.namespaces,
  selected: (s: StoreViewState) => s.selected,
  search: (s: StoreViewState) => s.search,
  items: (s: StoreViewState) => s.items,
  more: (s: StoreViewState) => s.more,
  loading: (s: StoreViewState) => s.loading,
  error: (s: StoreViewState) => s.error,
  capabilities: (s: StoreViewState) => s.capabilities,
  semanticSearch: (s: StoreViewState) => s.capabilities?.semanticSearch ?? false,
};
