// Page-wide UI state: theme, the main tab, and errors shown as notices.
import { create } from "zustand";
import { errorMessage } from "../api/engine";
import { writePlace } from "../lib/url";

export type Theme = "light" | "dark";
export type MainTab = "run" | "checkpoint" | "diff";

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
}

/** Resizable panes, by name: a width or height in pixels. */
export type PaneSizes = Record<string, number>;

interface UiState {
  theme: Theme;
  tab: MainTab;
  notices: Notice[];
  panes: PaneSizes;
  setPane(name: string, size: number): void;
  setTheme(theme: Theme): void;
  setTab(tab: MainTab): void;
  notify(kind: Notice["kind"], text: string): void;
  /** Shows a failed call's error; returns undefined so callers can `return fail(e)`. */
  fail(error: unknown, context?: string): undefined;
  dismiss(id: number): void;
}

const THEME_KEY = "threadline.theme";
const PANES_KEY = "threadline.panes";

function savedPanes(): PaneSizes {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PANES_KEY) ?? "{}");
    if (typeof parsed !== "object" || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])));
  } catch {
    return {};
  }
}

function initialTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

let nextNotice = 1;

export const useUi = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  tab: "run",
  notices: [],
  panes: savedPanes(),
  setPane(name, size) {
    const panes = { ...get().panes, [name]: Math.round(size) };
    localStorage.setItem(PANES_KEY, JSON.stringify(panes));
    set({ panes });
  },
  setTheme(theme) {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  setTab(tab) {
    set({ tab });
    writePlace({ tab });
  },
  notify(kind, text) {
    const notice = { id: nextNotice++, kind, text };
    set((s) => ({ notices: [...s.notices.slice(-4), notice] }));
    if (kind === "info") setTimeout(() => get().dismiss(notice.id), 4000);
  },
  fail(error, context) {
    get().notify("error", context ? `${context}: ${errorMessage(error)}` : errorMessage(error));
    return undefined;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

/** What components read from the UI store. */
export const uiSelectors = {
  theme: (s: UiState) => s.theme,
  tab: (s: UiState) => s.tab,
  notices: (s: UiState) => s.notices,
  pane: (name: string, fallback: number) => (s: UiState) => s.panes[name] ?? fallback,
};
