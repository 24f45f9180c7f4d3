// The graphs the engine serves, the picked one's drawing, schemas and reducers, and its breakpoints.
import { create } from "zustand";
import type { CallResult } from "../../../shared/contract";
import type { GraphInfo, GraphLoadFailure, GraphSchemas, MissingEnvFile } from "../../../shared/graph";
import type { Breakpoints, NodeSelection } from "../../../shared/types";
import { engine, errorMessage } from "../api/engine";
import { useUi } from "./ui";

export type GraphDetail = CallResult<"graphs.get">;

interface GraphsState {
  graphs: GraphInfo[];
  failures: GraphLoadFailure[];
  /** langgraph.json names an env file that is not there. */
  missingEnv: MissingEnvFile | null;
  loaded: boolean;
  error: string | null;
  selectedId: string | null;
  details: Record<string, GraphDetail>;
  /** Why a graph's detail could not be read, by graph id. */
  detailErrors: Record<string, string>;
  breakpoints: Record<string, Breakpoints>;
  load(): Promise<void>;
  /** The picker: the graph a new thread runs. */
  select(graphId: string): Promise<void>;
  /** Loads a graph's drawing, schemas and breakpoints once (the picked graph's, or an open thread's own). */
  ensureDetail(graphId: string): Promise<void>;
  /** Waits for a graph's typed schemas while the engine reads them (`pending`), then shows them. */
  awaitSchemas(graphId: string): Promise<void>;
  toggleBreakpoint(graphId: string, node: string, when: "before" | "after"): Promise<void>;
}

const PICK_KEY = "threadline.graph";

export const useGraphs = create<GraphsState>()((set, get) => ({
  graphs: [],
  failures: [],
  missingEnv: null,
  loaded: false,
  error: null,
  selectedId: null,
  details: {},
  detailErrors: {},
  breakpoints: {},
  async load() {
    try {
      const { graphs, failures, missingEnv } = await engine().graphs.list();
      set({ graphs, failures, missingEnv: missingEnv ?? null, loaded: true, error: null });
      const saved = localStorage.getItem(PICK_KEY);
      const current = get().selectedId;
      const pick = [current, saved, graphs[0]?.id].find((id) => id && graphs.some((g) => g.id === id));
      if (pick) await get().select(pick);
    } catch (error) {
      set({ loaded: true, error: errorMessage(error) });
    }
  },
  async select(graphId) {
    set({ selectedId: graphId });
    localStorage.setItem(PICK_KEY, graphId);
    await get().ensureDetail(graphId);
  },
  async ensureDetail(graphId) {
    if (get().details[graphId]) return;
    set((s) => ({ detailErrors: omit(s.detailErrors, graphId) }));
    try {
      const [detail, breakpoints] = await Promise.all([
        engine().graphs.get({ graphId }),
        engine().breakpoints.get({ graphId }),
      ]);
      set((s) => ({
        details: { ...s.details, [graphId]: detail },
        breakpoints: { ...s.breakpoints, [graphId]: breakpoints },
      }));
      if (detail.schemas.pending) void get().awaitSchemas(graphId);
    } catch (error) {
      set((s) => ({ detailErrors: { ...s.detailErrors, [graphId]: errorMessage(error) } }));
    }
  },
  async awaitSchemas(graphId) {
    // An Annotation's types are read in the background: the keys alone until then, the typed schemas after.
    let schemas: GraphSchemas;
    try {
      schemas = await engine().graphs.schemas({ graphId });
    } catch (error) {
      schemas = { ...get().details[graphId]?.schemas, pending: false, problem: errorMessage(error) };
    }
    set((s) => {
      const known = s.details[graphId];
      return known ? { details: { ...s.details, [graphId]: { ...known, schemas } } } : {};
    });
  },
  async toggleBreakpoint(graphId, node, when) {
    const current = get().breakpoints[graphId] ?? { graphId, before: [], after: [] };
    const toggled = toggle(current[when], node);
    const next = { ...current, [when]: toggled };
    set((s) => ({ breakpoints: { ...s.breakpoints, [graphId]: next } }));
    try {
      const saved = await engine().breakpoints.set({ graphId, before: next.before, after: next.after });
      set((s) => ({ breakpoints: { ...s.breakpoints, [graphId]: saved } }));
    } catch (error) {
      set((s) => ({ breakpoints: { ...s.breakpoints, [graphId]: current } }));
      useUi.getState().fail(error, "Breakpoint");
    }
  },
}));

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function toggle(selection: NodeSelection, node: string): NodeSelection {
  // Toggling one node of "every node" leaves every other node selected, which needs the node list: keep "*" simple.
  if (selection === "*") return [];
  return selection.includes(node) ? selection.filter((n) => n !== node) : [...selection, node];
}

/** What components read from the graphs store; a graph id of null reads nothing. */
export const graphSelectors = {
  graphs: (s: GraphsState) => s.graphs,
  failures: (s: GraphsState) => s.failures,
  loaded: (s: GraphsState) => s.loaded,
  error: (s: GraphsState) => s.error,
  pickedId: (s: GraphsState) => s.selectedId,
  missingEnv: (s: GraphsState) => s.missingEnv,
  info: (graphId: string | null) => (s: GraphsState): GraphInfo | null => s.graphs.find((g) => g.id === graphId) ?? null,
  known: (graphId: string | null) => (s: GraphsState): boolean => s.graphs.some((g) => g.id === graphId),
  detail: (graphId: string | null) => (s: GraphsState): GraphDetail | null => (graphId && s.details[graphId]) || null,
  detailError: (graphId: string | null) => (s: GraphsState): string | null => (graphId && s.detailErrors[graphId]) || null,
  breakpoints: (graphId: string | null) => (s: GraphsState): Breakpoints | undefined => (graphId ? s.breakpoints[graphId] : undefined),
};
