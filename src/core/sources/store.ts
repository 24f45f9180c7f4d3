// A LangGraph checkpoint store opened in place (src/core/stores) as a source: it answers every
// read; it has no graphs, edits, imports, runs or console (Threadline never writes to it: a thread
// is copied into Threadline's own store to run or edit it), and it is live by polling.

import type { EventListener, Unsubscribe } from "../../shared/events";
import { available, unavailable, type SourceInfo } from "../../shared/sources";
import { StoreReads } from "../stores/store-reads";
import type { OpenedStore } from "../stores/types";
import { StoreWatcher } from "../stores/watch";
import type { Source, SourcePart } from "./source";

const COPY = "opened read-only: copy the thread into Threadline to run or edit it";

export class StoreSource implements Source {
  readonly reads: SourcePart<"reads">;
  private readonly listeners = new Set<EventListener>();
  private readonly watcher: StoreWatcher;

  constructor(readonly store: OpenedStore) {
    const reads = new StoreReads(store);
    this.reads = {
      "threads.get": (args) => reads["threads.get"](args),
      "threads.search": (args) => reads["threads.search"](args),
      "threads.count": (args) => reads["threads.count"](args),
      "threads.export": (args) => reads["threads.export"](args),
      "state.get": (args) => reads["state.get"](args),
      "history.page": (args) => reads["history.page"](args),
      "history.states": (args) => reads["history.states"](args),
      "history.tree": (args) => reads["history.tree"](args),
    };
    this.watcher = new StoreWatcher(store, (event) => {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A transport's listener failing is that transport's problem.
        }
      }
    });
    this.watcher.start();
  }

  info(): SourceInfo {
    return {
      kind: "store",
      label: this.store.label,
      capabilities: {
        graphs: unavailable("an opened checkpoint store has no graphs; Run, Replay and Edit copy the thread into Threadline's own store and go on there"),
        edits: unavailable(COPY),
        imports: unavailable("imports go into Threadline's own store"),
        runs: unavailable(COPY),
        console: unavailable(COPY),
        timings: unavailable(COPY),
        live: available,
        memory: unavailable("an opened checkpoint store has no LangGraph store (long-term memory)"),
      },
    };
  }

  /** Why the store cannot be read right now (a dropped PostgreSQL connection), or null. */
  get problem(): string | null {
    const status = "status" in this.store ? (this.store as { status: { error: string | null } }).status.error : null;
    return this.watcher.lastError ?? status;
  }

  subscribe(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.watcher.stop();
    this.listeners.clear();
    await this.store.close();
  }
}
