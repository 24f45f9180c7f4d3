// Follows an opened store live: polls its cheap change signal (a SQLite file every 250 ms, a
// PostgreSQL database every second) and reports the threads that changed as `threads.changed`.
// A failed poll (a dropped connection) is kept as the store's status and retried next time.

import type { ThreadsChangedEvent } from "../../shared/events";
import type { OpenedStore } from "./types";

export const POLL_MS = { sqlite: 250, postgres: 1000 } as const;

export class StoreWatcher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Why the last poll failed, until one succeeds. */
  lastError: string | null = null;

  constructor(
    private readonly store: OpenedStore,
    private readonly emit: (event: ThreadsChangedEvent) => void,
    private readonly intervalMs: number = POLL_MS[store.kind],
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.check().finally(() => this.schedule()), this.intervalMs);
    this.timer.unref?.();
  }

  /** Polls now; answers the threads that changed. */
  async check(): Promise<string[]> {
    try {
      const changed = await this.store.poll();
      const recovered = this.lastError !== null;
      this.lastError = null;
      // After a reconnect anything may have changed while we could not look.
      if (changed.length > 0 || recovered) {
        this.emit({ type: "threads.changed", threadIds: recovered ? null : changed, source: "external", at: new Date().toISOString() });
      }
      return changed;
    } catch (error) {
      const first = this.lastError === null;
      this.lastError = (error as Error).message;
      // The page re-reads its source list on this, and shows the store as disconnected.
      if (first) this.emit({ type: "threads.changed", threadIds: null, source: "external", at: new Date().toISOString() });
      return [];
    }
  }
}
