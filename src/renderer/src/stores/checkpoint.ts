// The selected checkpoint's state, and the diff shown beside it (against its parent, or a pinned checkpoint).
import { create } from "zustand";
import type { DiffResult, StateSnapshot } from "../../../shared/types";
import { engine, errorMessage } from "../api/engine";
import type { Selection } from "./timeline";
import { useUi } from "./ui";

interface CheckpointState {
  threadId: string | null;
  selection: Selection | null;
  snapshot: StateSnapshot | null;
  loading: boolean;
  error: string | null;
  /** The "from" side picked by the user; null compares with the parent. */
  pinned: Selection | null;
  diff: DiffResult | null;
  diffLoading: boolean;
  diffError: string | null;
  /** How many elements of each long list the snapshot holds (its newest); see `slices`. */
  maxItems: number;
  /** Reads the shown checkpoint again with more of its long lists: `count` more, or all. */
  showMoreItems(count: number | "all"): Promise<void>;
  /** Which diff `diff` (or the one loading) is: "to|from". */
  diffKey: string | null;
  load(threadId: string | null, selection: Selection | null, maxItems?: number): Promise<void>;
  pin(selection: Selection | null): void;
  /** Loads the diff of the shown checkpoint unless it is loaded or loading: the Diff tab calls it when shown. */
  ensureDiff(): Promise<void>;
  /** The next window of a long diff. */
  moreDiff(): Promise<void>;
}

/**
 * Elements of a long list (messages) read with a checkpoint at first: an agent's thread holds thousands,
 * which the page shows a screenful at a time; the rest come on demand (showMoreItems).
 */
export const STATE_ITEMS = 200;
const ALL_ITEMS = 1_000_000;

/** Diff entries asked for at a time: a long thread's diff can hold thousands the page shows only on demand. */
export const DIFF_PAGE = 200;

let loadSeq = 0;
let diffSeq = 0;

export const useCheckpoint = create<CheckpointState>()((set, get) => ({
  threadId: null,
  selection: null,
  snapshot: null,
  loading: false,
  error: null,
  pinned: null,
  diff: null,
  diffLoading: false,
  diffError: null,
  diffKey: null,
  maxItems: STATE_ITEMS,
  async load(threadId, selection, maxItems = STATE_ITEMS) {
    const seq = ++loadSeq;
    const pinned = threadId === get().threadId ? get().pinned : null;
    set({ threadId, selection, loading: !!threadId, error: null, pinned, diff: null, diffError: null, diffKey: null, maxItems });
    if (!threadId) {
      set({ snapshot: null });
      return;
    }
    try {
      const snapshot = await engine().state.get({
        threadId,
        ...(selection ? { checkpointId: selection.checkpointId, checkpointNs: selection.checkpointNs } : {}),
        maxItems,
      });
      if (seq !== loadSeq) return;
      set({ snapshot, loading: false });
    } catch (error) {
      if (seq === loadSeq) set({ snapshot: null, loading: false, error: errorMessage(error) });
    }
  },
  async showMoreItems(count) {
    const { threadId, selection, snapshot, maxItems } = get();
    const ref = snapshot?.checkpoint;
    // The checkpoint shown, even when it was read as the head (no selection): a run may have moved the head since.
    const at = selection ?? (ref ? { checkpointId: ref.checkpointId, checkpointNs: ref.checkpointNs } : null);
    await get().load(threadId, at, count === "all" ? ALL_ITEMS : maxItems + count);
  },
  pin(selection) {
    // The Diff tab, when shown, asks for the new diff (ensureDiff); selecting on another tab reads no diff at all,
    // which on a long thread costs two full states on the engine.
    set({ pinned: selection, diff: null, diffKey: null, diffError: null });
  },
  async ensureDiff() {
    const { threadId, snapshot, pinned, diffKey } = get();
    const to = snapshot?.checkpoint;
    if (!threadId || !to) return;
    const from = pinned && pinned.checkpointNs === to.checkpointNs ? pinned.checkpointId : undefined;
    const key = `${to.checkpointId}|${from ?? ""}`;
    if (key === diffKey) return;
    const seq = ++diffSeq;
    set({ diffKey: key, diffLoading: true, diffError: null });
    try {
      const diff = await engine().diff.get({ threadId, checkpointNs: to.checkpointNs, to: to.checkpointId, ...(from ? { from } : {}), limit: DIFF_PAGE });
      if (seq === diffSeq) set({ diff, diffLoading: false });
    } catch (error) {
      if (seq === diffSeq) set({ diff: null, diffLoading: false, diffError: errorMessage(error) });
    }
  },
  async moreDiff() {
    const { threadId, diff, diffLoading } = get();
    if (!threadId || !diff || diffLoading || diff.entries.length >= diff.total) return;
    const seq = diffSeq;
    set({ diffLoading: true });
    try {
      const next = await engine().diff.get({
        threadId,
        checkpointNs: diff.to.checkpointNs,
        to: diff.to.checkpointId,
        ...(diff.from ? { from: diff.from.checkpointId } : {}),
        offset: diff.entries.length,
        limit: DIFF_PAGE * 5,
      });
      if (seq === diffSeq) set({ diff: { ...next, entries: [...diff.entries, ...next.entries] }, diffLoading: false });
    } catch (error) {
      if (seq === diffSeq) set({ diffLoading: false, diffError: errorMessage(error) });
    }
  },
}));

/** The snapshot with every list whole: itself unless it was read with cut lists (then read again, whole). */
export async function wholeState(snapshot: StateSnapshot): Promise<StateSnapshot | null> {
  const ref = snapshot.checkpoint;
  if (!snapshot.slices || !ref) return snapshot;
  try {
    return await engine().state.get({ threadId: ref.threadId, checkpointId: ref.checkpointId, checkpointNs: ref.checkpointNs });
  } catch (error) {
    useUi.getState().notify("error", `Could not read the whole state: ${errorMessage(error)}`);
    return null;
  }
}

/** What components read from the checkpoint store. */
export const checkpointSelectors = {
  threadId: (s: CheckpointState) => s.threadId,
  selection: (s: CheckpointState) => s.selection,
  snapshot: (s: CheckpointState) => s.snapshot,
  values: (s: CheckpointState) => s.snapshot?.values ?? null,
  slices: (s: CheckpointState) => s.snapshot?.slices ?? null,
  loading: (s: CheckpointState) => s.loading,
  error: (s: CheckpointState) => s.error,
  pinned: (s: CheckpointState) => s.pinned,
  diff: (s: CheckpointState) => s.diff,
  diffLoading: (s: CheckpointState) => s.diffLoading,
  diffError: (s: CheckpointState) => s.diffError,
};
