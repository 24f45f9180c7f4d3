// Page-wide UI state: theme, the main tab, and errors shown as notices.
import { create } from "zustand";
import { errorMessage } from "../api/engine";

export type Theme = "light" | "dark";
export type MainTab = "run" | "checkpoint" | "diff";

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
}

interface UiState {
  theme: Theme;
  tab: MainTab;
  notices: Notice[];
  setTheme(theme: Theme): void;
  setTab(tab: MainTab): void;
  notify(kind: Notice["kind"], text: string): void;
  /** Shows a failed call's error; returns undefined so callers can `return fail(e)`. */
  fail(error: unknown, context?: string): undefined;
  dismiss(id: number): void;
}

const THEME_KEY = "threadline.theme";

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
  setTheme(theme) {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  setTab: (tab) => set({ tab }),
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
