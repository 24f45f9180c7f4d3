// Threads written by another process (a user's app with SqliteCheckpointer on
// the same file, or a second Threadline) show up live: `PRAGMA data_version`
// on our connection changes exactly when another connection commits, so a
// cheap poll tells us when to look, and the thread list's update times tell
// us which threads changed.

import type Database from "better-sqlite3";
import type { ThreadsChangedEvent } from "../../shared/events";
import { newestThreadUpdate, threadsUpdatedSince } from "../storage/thread-meta";

export const WATCH_INTERVAL_MS = 500;

export class DataVersionWatcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private version: number;
  private newest: string;

  constructor(
    private readonly db: Database.Database,
    private readonly onChange: (event: ThreadsChangedEvent) => void,
    private readonly intervalMs = WATCH_INTERVAL_MS,
  ) {
    this.version = this.dataVersion();
    this.newest = newestThreadUpdate(db);
  }

  private dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.intervalMs);
    // The watch alone must not keep a process (or a test) alive.
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Emits threads.changed when another connection committed since the last check. Returns whether it did. */
  check(): boolean {
    if (!this.db.open) {
      this.stop();
      return false;
    }
    const version = this.dataVersion();
    if (version === this.version) return false;
    this.version = version;
    const { threadIds, newest } = threadsUpdatedSince(this.db, this.newest);
    this.newest = newest;
    // A commit that updated no thread (a delete, a metadata-only table) may still have changed any of them.
    this.onChange({
      type: "threads.changed",
      threadIds: threadIds.length > 0 ? threadIds : null,
      source: "external",
      at: new Date().toISOString(),
    });
    return true;
  }
}
