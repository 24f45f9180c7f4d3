// A checkpoint never changes once written, so neither does its entry in a
// thread's history, until the thread is written to again (a run's pending
// writes land on its head). LangGraph clients read history over and over
// (Studio and `useStream` fetch it after every run); this cache answers them
// from the states already built, and forgets a thread on any event that says
// it was written: a run's events, threads.changed (for this thread, or for
// any when another process wrote), a restarted engine.
import { isRunEvent, type EngineEvent } from "../../shared/events";
import type { ApiThreadState } from "./shapes";

/** One state as the JSON text it is sent as: kept as text, so that the cache's size is known exactly. */
export interface CachedState {
  checkpointNs: string;
  checkpointId: string;
  json: string;
}

export function cachedState(state: ApiThreadState): CachedState | null {
  if (!state.checkpoint) return null;
  return { checkpointNs: state.checkpoint.checkpoint_ns, checkpointId: state.checkpoint.checkpoint_id, json: JSON.stringify(state) };
}

const key = (checkpointNs: string, checkpointId: string) => `${checkpointNs}\0${checkpointId}`;

export class HistoryCache {
  /** Per thread, most recently used last. */
  private readonly threads = new Map<string, Map<string, string>>();
  /** Per thread: which checkpoints a page (namespace, limit, before) holds. */
  private readonly pages = new Map<string, Map<string, readonly string[]>>();
  private size = 0;
  /**
   * Bumped whenever a thread is forgotten: states read before a write must not be
   * cached after it (a read and a run's write can overlap).
   */
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  /** 64 MB of JSON by default: a 400-message state is about 100 KB. */
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  accept(event: EngineEvent): void {
    if (isRunEvent(event)) this.forget(event.threadId);
    else if (event.type === "threads.changed") {
      // Not knowing which threads changed means any may have.
      if (!Array.isArray(event.threadIds)) this.clear();
      else for (const threadId of event.threadIds) this.forget(threadId);
    } else if (event.type === "worker.restarted") this.clear();
  }

  /** The JSON of these checkpoints' states, in this order, if every one is cached. */
  get(threadId: string, checkpointNs: string, checkpointIds: readonly string[]): string[] | undefined {
    const states = this.threads.get(threadId);
    if (!states) return undefined;
    const out: string[] = [];
    for (const id of checkpointIds) {
      const json = states.get(key(checkpointNs, id));
      if (json === undefined) return undefined;
      out.push(json);
    }
    this.threads.delete(threadId);
    this.threads.set(threadId, states);
    return out;
  }

  /** The checkpoint ids of a page read before, while the thread is unchanged. */
  page(threadId: string, page: string): readonly string[] | undefined {
    return this.pages.get(threadId)?.get(page);
  }

  putPage(threadId: string, page: string, checkpointIds: readonly string[], generation: string): void {
    if (generation !== this.generation(threadId)) return;
    let pages = this.pages.get(threadId);
    if (!pages) this.pages.set(threadId, (pages = new Map()));
    pages.set(page, checkpointIds);
  }

  /** Pass to `put` the generation read before the states were. */
  generation(threadId: string): string {
    return `${this.epoch}.${this.generations.get(threadId) ?? 0}`;
  }

  put(threadId: string, states: readonly CachedState[], generation: string): void {
    if (generation !== this.generation(threadId)) return;
    let cached = this.threads.get(threadId);
    if (!cached) {
      cached = new Map();
      this.threads.set(threadId, cached);
    }
    for (const state of states) {
      const k = key(state.checkpointNs, state.checkpointId);
      this.size += state.json.length - (cached.get(k)?.length ?? 0);
      cached.set(k, state.json);
    }
    // Least recently used threads go first; the one just read stays.
    for (const [oldest, entries] of this.threads) {
      if (this.size <= this.maxBytes || oldest === threadId) break;
      this.drop(oldest, entries);
    }
  }

  forget(threadId: string): void {
    this.generations.set(threadId, (this.generations.get(threadId) ?? 0) + 1);
    const entries = this.threads.get(threadId);
    if (entries) this.drop(threadId, entries);
    this.pages.delete(threadId);
  }

  private drop(threadId: string, entries: Map<string, string>): void {
    for (const json of entries.values()) this.size -= json.length;
    this.threads.delete(threadId);
    this.pages.delete(threadId);
  }

  clear(): void {
    this.epoch++;
    this.generations.clear();
    this.threads.clear();
    this.pages.clear();
    this.size = 0;
  }
}
