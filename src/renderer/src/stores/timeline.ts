// The open thread's checkpoint timeline: root checkpoints page by page (newest first), laid out in lanes,
// with subgraph checkpoints nested under the root checkpoint whose step ran them, and the selection.
import { create } from "zustand";
import type { CheckpointSummary, CheckpointTreeNode, HistoryPage } from "../../../shared/types";
import { engine, errorMessage } from "../api/engine";
import { LaneLayout, type LaneRow } from "../lib/lanes";

export const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;

export interface Selection {
  checkpointId: string;
  checkpointNs: string;
}

export type TimelineRow =
  | { kind: "root"; item: CheckpointSummary; lane: LaneRow; subgraphCount: number; expanded: boolean }
  /** `run` numbers the subgraph runs under one step (1, 2, 3… for parallel workers). */
  | { kind: "sub"; item: CheckpointTreeNode; lane: LaneRow; depth: number; run: number };

interface TimelineState {
  threadId: string | null;
  roots: CheckpointSummary[];
  layout: LaneLayout;
  /** Subgraph checkpoints by the root checkpoint that ran them (loaded with the whole tree for threads of one page). */
  children: Record<string, CheckpointTreeNode[]>;
  expanded: Record<string, boolean>;
  nextBefore: string | null;
  /**
   * Where the oldest page (read by End) starts in `roots`, while the pages between it and the newest rows
   * are not loaded yet; null when `roots` has no gap. Pages loaded later fill the gap from above.
   */
  boundary: number | null;
  loading: boolean;
  ready: boolean;
  error: string | null;
  selected: Selection | null;
  /** Bumped whenever rows change, for memoised views. */
  version: number;
  open(threadId: string | null): Promise<void>;
  loadMore(): Promise<void>;
  /** Reads the oldest page in one call and appends it below a gap (End on a long thread). */
  loadOldest(): Promise<void>;
  refresh(): Promise<void>;
  toggleExpanded(rootId: string): void;
  select(selection: Selection | null): void;
}

let openSeq = 0;
/** Refreshes in the order they were asked for, and the latest whose answer was applied. */
let refreshSeq = 0;
let appliedRefresh = 0;

export const useTimeline = create<TimelineState>()((set, get) => ({
  threadId: null,
  roots: [],
  layout: new LaneLayout(),
  children: {},
  expanded: {},
  nextBefore: null,
  boundary: null,
  loading: false,
  ready: false,
  error: null,
  selected: null,
  version: 0,
  async open(threadId) {
    const seq = ++openSeq;
    set({
      threadId,
      roots: [],
      layout: new LaneLayout(),
      children: {},
      expanded: {},
      nextBefore: null,
      boundary: null,
      loading: !!threadId,
      ready: !threadId,
      error: null,
      selected: null,
      version: get().version + 1,
    });
    if (!threadId) return;
    try {
      const page = await engine().history.page({ threadId, limit: FIRST_PAGE });
      if (seq !== openSeq) return;
      const children = page.nextBefore === null ? await loadChildren(threadId) : {};
      if (seq !== openSeq) return;
      const layout = new LaneLayout();
      layout.add(page.items.map(laneInput));
      set((s) => ({
        roots: page.items,
        layout,
        children,
        nextBefore: page.nextBefore,
        loading: false,
        ready: true,
        version: s.version + 1,
      }));
    } catch (error) {
      if (seq === openSeq) set({ loading: false, ready: true, error: errorMessage(error) });
    }
  },
  async loadMore() {
    const { threadId, nextBefore, loading } = get();
    if (!threadId || !nextBefore || loading) return;
    const seq = openSeq;
    set({ loading: true });
    try {
      const page = await engine().history.page({ threadId, limit: NEXT_PAGE, before: nextBefore });
      if (seq !== openSeq) return;
      if (get().boundary !== null) return await fillGap(page, seq);
      // With the last page in, the whole tree is wanted anyway: read it for the subgraph checkpoints.
      const children = page.nextBefore === null ? await loadChildren(threadId) : get().children;
      if (seq !== openSeq) return;
      // Lanes carry on from the last row laid out, so an older page is appended to the same layout.
      const layout = get().layout;
      layout.add(page.items.map(laneInput));
      set((s) => ({ roots: [...s.roots, ...page.items], children, nextBefore: page.nextBefore, loading: false, version: s.version + 1 }));
    } catch (error) {
      if (seq === openSeq) set({ loading: false, error: errorMessage(error) });
    }
  },
  async loadOldest() {
    const { threadId, nextBefore, loading, boundary } = get();
    if (!threadId || !nextBefore || loading || boundary !== null) return;
    const seq = openSeq;
    set({ loading: true });
    try {
      const page = await engine().history.page({ threadId, limit: FIRST_PAGE, oldest: true });
      if (seq !== openSeq) return;
      const s = get();
      const known = new Set(s.roots.map((r) => r.checkpointId));
      const tail = page.items.filter((i) => !known.has(i.checkpointId));
      // The oldest page reaches rows already loaded: the thread is whole, with no gap.
      const joined = tail.length < page.items.length;
      const children = joined ? await loadChildren(threadId) : s.children;
      if (seq !== openSeq) return;
      s.layout.add(tail.map(laneInput));
      set((st) => ({
        roots: [...st.roots, ...tail],
        children,
        boundary: joined ? null : st.roots.length,
        nextBefore: joined ? null : st.nextBefore,
        loading: false,
        version: st.version + 1,
      }));
    } catch (error) {
      if (seq === openSeq) set({ loading: false, error: errorMessage(error) });
    }
  },
  async refresh() {
    const threadId = get().threadId;
    if (!threadId) return;
    const seq = openSeq;
    const order = ++refreshSeq;
    // Refreshes overlap while a run streams, and their answers can come back in any order: one older than
    // what is shown already is dropped, and rows are merged into the rows shown when the answer is applied
    // (not those shown when it was asked for), so that no row another call added meanwhile is lost.
    const stale = () => seq !== openSeq || order < appliedRefresh;
    try {
      const page = await engine().history.page({ threadId, limit: FIRST_PAGE });
      if (stale()) return;
      const fullyLoaded = get().nextBefore === null;
      const children = fullyLoaded && page.nextBefore === null ? await loadChildren(threadId) : get().children;
      if (stale()) return;
      appliedRefresh = order;
      const { roots } = get();
      const known = new Set(roots.map((r) => r.checkpointId));
      const fresh = page.items.filter((i) => !known.has(i.checkpointId));
      if (fresh.length === 0 && children === get().children) return;
      const merged = [...fresh, ...roots].sort((a, b) => (a.checkpointId < b.checkpointId ? 1 : -1));
      // New rows arrive at the top, so lanes are laid out again from there.
      const layout = new LaneLayout();
      layout.add(merged.map(laneInput));
      set((s) => ({
        roots: merged,
        layout,
        children,
        // A page that reaches rows already shown leaves a whole thread whole; one that does not left a gap.
        nextBefore: s.nextBefore === null && fresh.length === page.items.length ? page.nextBefore : s.nextBefore,
        boundary: s.boundary === null ? null : s.boundary + fresh.length,
        version: s.version + 1,
      }));
    } catch (error) {
      if (seq === openSeq) set({ error: errorMessage(error) });
    }
  },
  toggleExpanded(rootId) {
    set((s) => ({ expanded: { ...s.expanded, [rootId]: !s.expanded[rootId] }, version: s.version + 1 }));
  },
  select(selection) {
    set({ selected: selection });
  },
}));

/**
 * A page read from the newest rows' cursor while the oldest page sits below a gap: its rows go into the
 * gap, and once it reaches the oldest page's rows the thread is whole. Lanes are laid out again, since
 * rows arrived in the middle.
 */
async function fillGap(page: HistoryPage, seq: number): Promise<void> {
  const s = useTimeline.getState();
  const boundary = s.boundary!;
  const tail = new Set(s.roots.slice(boundary).map((r) => r.checkpointId));
  const fresh = page.items.filter((i) => !tail.has(i.checkpointId));
  const joined = fresh.length < page.items.length || page.nextBefore === null;
  const children = joined ? await loadChildren(s.threadId!) : s.children;
  if (seq !== openSeq) return;
  const roots = [...s.roots.slice(0, boundary), ...fresh, ...s.roots.slice(boundary)];
  const layout = new LaneLayout();
  layout.add(roots.map(laneInput));
  useTimeline.setState((st) => ({
    roots,
    layout,
    children,
    boundary: joined ? null : boundary + fresh.length,
    nextBefore: joined ? null : page.nextBefore,
    loading: false,
    version: st.version + 1,
  }));
}

function laneInput(item: CheckpointSummary) {
  return { id: item.checkpointId, parentId: item.parentCheckpointId };
}

async function loadChildren(threadId: string): Promise<Record<string, CheckpointTreeNode[]>> {
  const tree = await engine().history.tree({ threadId });
  const children: Record<string, CheckpointTreeNode[]> = {};
  for (const node of tree.nodes) {
    if (node.checkpointNs === "" || !node.parentRootCheckpointId) continue;
    (children[node.parentRootCheckpointId] ??= []).push(node);
  }
  // Newest first, like the root rows, and grouped by namespace so one subgraph run reads as a block.
  for (const list of Object.values(children)) {
    list.sort((a, b) => (a.checkpointNs === b.checkpointNs ? (a.checkpointId < b.checkpointId ? 1 : -1) : a.checkpointNs < b.checkpointNs ? -1 : 1));
  }
  return children;
}

/** Resolves once the timeline's state satisfies `done` (at once if it does already). */
export function timelineWhen(done: (s: TimelineState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done(useTimeline.getState())) return resolve();
    const stop = useTimeline.subscribe((s) => done(s) && (stop(), resolve()));
  });
}

/** Resolves once the open thread's rows are read and no page is loading. */
export const timelineSettled = () => timelineWhen((s) => s.ready && !s.loading);

/** The rows to draw, in order: each root, then (when expanded) its subgraph checkpoints. */
export function visibleRows(s: Pick<TimelineState, "roots" | "layout" | "children" | "expanded">): TimelineRow[] {
  const rows: TimelineRow[] = [];
  s.roots.forEach((item, i) => {
    const lane = s.layout.rows[i]!;
    const subs = s.children[item.checkpointId] ?? [];
    const expanded = !!s.expanded[item.checkpointId];
    rows.push({ kind: "root", item, lane, subgraphCount: subs.length, expanded });
    if (expanded) {
      // Under the dot, the lane goes on down: subgraph rows draw only the lines passing by.
      const passing: LaneRow = { col: lane.col, top: lane.bottom, merges: [], bottom: lane.bottom };
      const runs = new Map<string, number>();
      for (const sub of subs) {
        if (!runs.has(sub.checkpointNs)) runs.set(sub.checkpointNs, runs.size + 1);
        rows.push({ kind: "sub", item: sub, lane: passing, depth: sub.checkpointNs.split("|").length, run: runs.get(sub.checkpointNs)! });
      }
    }
  });
  return rows;
}

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  return !!a && !!b && a.checkpointId === b.checkpointId && a.checkpointNs === b.checkpointNs;
}

/** What components read from the timeline store. */
export const timelineSelectors = {
  threadId: (s: TimelineState) => s.threadId,
  roots: (s: TimelineState) => s.roots,
  layout: (s: TimelineState) => s.layout,
  children: (s: TimelineState) => s.children,
  expanded: (s: TimelineState) => s.expanded,
  version: (s: TimelineState) => s.version,
  ready: (s: TimelineState) => s.ready,
  loading: (s: TimelineState) => s.loading,
  error: (s: TimelineState) => s.error,
  nextBefore: (s: TimelineState) => s.nextBefore,
  boundary: (s: TimelineState) => s.boundary,
  selected: (s: TimelineState) => s.selected,
  /** The loaded summary of a checkpoint (root or subgraph), or null. */
  summary: (ref: Selection | null) => (s: TimelineState) => {
    if (!ref) return null;
    if (ref.checkpointNs === "") return s.roots.find((r) => r.checkpointId === ref.checkpointId) ?? null;
    for (const list of Object.values(s.children)) {
      const found = list.find((c) => c.checkpointId === ref.checkpointId && c.checkpointNs === ref.checkpointNs);
      if (found) return found;
    }
    return null;
  },
};
