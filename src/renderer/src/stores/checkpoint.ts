// The selected checkpoint's state, and the diff shown beside it (against its parent, or a pinned checkpoint).
import { create } from "zustand";
import type { DiffResult, StateSnapshot } from "../../../shared/types";
import { engine, errorMessage } from "../api/engine";
import type { Selection } from "./timeline";

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
  load(threadId: string | null, selection: Selection | null): Promise<void>;
  pin(selection: Selection | null): void;
  loadDiff(): Promise<void>;
}

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
  async load(threadId, selection) {
    const seq = ++loadSeq;
    const pinned = threadId === get().threadId ? get().pinned : null;
    set({ threadId, selection, loading: !!threadId, error: null, pinned, diff: null, diffError: null });
    if (!threadId) {
      set({ snapshot: null });
      return;
    }
    try {
      const snapshot = await engine().state.get({
        threadId,
        ...(selection ? { checkpointId: selection.checkpointId, checkpointNs: selection.checkpointNs } : {}),
      });
      if (seq !== loadSeq) return;
      set({ snapshot, loading: false });
    } catch (error) {
      if (seq === loadSeq) set({ snapshot: null, loading: false, error: errorMessage(error) });
    }
    void get().loadDiff();
  },
  pin(selection) {
    set({ pinned: selection });
    void get().loadDiff();
  },
  async loadDiff() {
    const { threadId, snapshot, pinned } = get();
    const to = snapshot?.checkpoint;
    if (!threadId || !to) {
      set({ diff: null });
      return;
    }
    const seq = ++diffSeq;
    set({ diffLoading: true, diffError: null });
    try {
      const from = pinned && pinned.checkpointNs === to.checkpointNs ? pinned.checkpointId : undefined;
      const diff = await engine().diff.get({ threadId, checkpointNs: to.checkpointNs, to: to.checkpointId, ...(from ? { from } : {}) });
      if (seq === diffSeq) set({ diff, diffLoading: false });
    } catch (error) {
      if (seq === diffSeq) set({ diff: null, diffLoading: false, diffError: errorMessage(error) });
    }
  },
}));

/** What components read from the checkpoint store. */
export const checkpointSelectors = {
  threadId: (s: CheckpointState) => s.threadId,
  selection: (s: CheckpointState) => s.selection,
  snapshot: (s: CheckpointState) => s.snapshot,
  values: (s: CheckpointState) => s.snapshot?.values ?? null,
  loading: (s: CheckpointState) => s.loading,
  error: (s: CheckpointState) => s.error,
  pinned: (s: CheckpointState) => s.pinned,
  diff: (s: CheckpointState) => s.diff,
  diffLoading: (s: CheckpointState) => s.diffLoading,
  diffError: (s: CheckpointState) => s.diffError,
};
