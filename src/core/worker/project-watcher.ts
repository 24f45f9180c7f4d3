// Watches a project folder so its engine can be restarted when a file
// changes (ES modules cannot be unloaded). node_modules and .git are never
// watched: the top level is watched alone and each other folder recursively,
// so a large node_modules costs no inotify watches. Bursts (an editor's save,
// a git checkout) are debounced into one change.

import { watch, type FSWatcher } from "node:fs";
import { readdirSync } from "node:fs";
import path from "node:path";

export interface ProjectWatchOptions {
  debounceMs?: number;
  /** Folder names never watched, at any depth. */
  ignoreDirs?: readonly string[];
  /** Absolute paths whose changes are ignored (the database file when it sits in the project). */
  ignoreFiles?: readonly string[];
}

// .langgraph_api is where `langgraph dev` keeps its in-memory store, rewritten while it serves
// the same project: not the user's code.
const DEFAULT_IGNORED_DIRS = ["node_modules", ".git", ".langgraph_api"];
// SQLite's side files change on every write; Threadline's own database may live in the project.
const IGNORED_SUFFIXES = ["-wal", "-shm", "-journal"];
// Only code and configuration can change what a graph does. An agent that writes its own files into
// the project (logs, outputs, a database) must not restart the engine, which would end its runs.
const CODE_FILE = /\.(?:[cm]?[jt]sx?|json)$|(?:^|[\\/])\.env(?:\.[^\\/]*)?$/;

export function watchProject(dir: string, onChange: (file: string) => void, options: ProjectWatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 300;
  const ignoredDirs = new Set(options.ignoreDirs ?? DEFAULT_IGNORED_DIRS);
  const ignoredFiles = new Set((options.ignoreFiles ?? []).map((f) => path.resolve(f)));
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let lastFile = "";
  let closed = false;

  const ignored = (file: string) => {
    if (ignoredFiles.has(file)) return true;
    if (!CODE_FILE.test(file)) return true;
    if (IGNORED_SUFFIXES.some((s) => file.endsWith(s)) && ignoredFiles.has(file.replace(/-(wal|shm|journal)$/, ""))) return true;
    return path.relative(dir, file).split(path.sep).some((part) => ignoredDirs.has(part));
  };

  const changed = (file: string) => {
    if (closed || ignored(file)) return;
    lastFile = file;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!closed) onChange(lastFile);
    }, debounceMs);
  };

  const watchFolder = (folder: string) => {
    if (watchers.has(folder)) return;
    try {
      const watcher = watch(folder, { recursive: true }, (_event, name) =>
        changed(name ? path.join(folder, name.toString()) : folder),
      );
      watcher.on("error", () => watchers.delete(folder));
      watchers.set(folder, watcher);
    } catch {
      // Removed before we got to it, or unreadable: nothing to watch.
    }
  };

  const scanTopLevel = () => {
    let entries: import("node:fs").Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !ignoredDirs.has(entry.name)) watchFolder(path.join(dir, entry.name));
    }
  };

  const top = watch(dir, (_event, name) => {
    if (!name) return;
    const file = path.join(dir, name.toString());
    // A new folder appears as an event on the top level: start watching inside it.
    scanTopLevel();
    changed(file);
  });
  scanTopLevel();

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    top.close();
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
