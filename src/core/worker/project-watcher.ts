// Watches a project folder so its engine can be restarted when a file
// changes (ES modules cannot be unloaded). Each folder is watched on its own
// (not recursively), walking the tree ourselves: node_modules and .git are
// never entered, so they cost no inotify watches, and a folder's watch sees a
// file renamed over another (sed -i, an editor's safe-save), which Node's
// recursive watching on Linux misses once the file's inode has changed.
// Bursts (an editor's save, a git checkout) are debounced into one change.

import { watch, type FSWatcher } from "node:fs";
import { existsSync, readdirSync } from "node:fs";
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
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => {
        if (!name) return;
        const file = path.join(folder, name.toString());
        // A folder removed (or renamed away): forget its watch, so one made again in its place is watched.
        const gone = watchers.get(file);
        if (gone && !existsSync(file)) {
          gone.close();
          watchers.delete(file);
        }
        // A new folder appears as an event in its parent: start watching inside it.
        if (!ignoredDirs.has(name.toString())) watchTree(file);
        changed(file);
      });
    } catch {
      // Removed before we got to it, or unreadable (or not a folder): nothing to watch.
      return;
    }
    watcher.on("error", () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
  };

  /** Watches `folder` and every folder under it that is not ignored. */
  const watchTree = (folder: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    watchFolder(folder);
    for (const entry of entries) {
      if (entry.isDirectory() && !ignoredDirs.has(entry.name)) watchTree(path.join(folder, entry.name));
    }
  };

  watchTree(dir);

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
