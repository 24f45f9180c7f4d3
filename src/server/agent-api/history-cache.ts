// A checkpoint's state reads the same until something is stored for that checkpoint again (a
// resumed or replayed task's pending writes) or the thread's graph changes; LangGraph clients read
// history over and over (Studio and `useStream` fetch it after every run). This cache keeps each
// state's JSON with the checkpoint's revision at the time it was read (see history.revisions),
// and serves it only while the revision is unchanged: a page after a run then builds only the
// run's new checkpoints. The engine's restart (new graph code) clears it.
import type { EngineEvent } from "../../shared/events";
import type { ApiStateText } from "../../shared/agent-api/state";

/** One state as the JSON text it is sent as: kept as text, so that the cache's size is known exactly. */
export type CachedState = ApiStateText;

/** A page entry to look up: a checkpoint and its current revision. */
export interface PageItem {
  checkpointId: string;
  revision: string | null;
}

const key = (checkpointNs: string, checkpointId: string) => `${checkpointNs}\0${checkpointId}`;

export class HistoryCache {
  /** Per thread, most recently used last. */
  private readonly threads = new Map<string, Map<string, CachedState>>();
  private size = 0;

  /** 64 MB of JSON by default: a 400-message state is about 100 KB. */
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  accept(event: EngineEvent): void {
    // New graph code may read every checkpoint differently; revisions cannot see that.
    if (event.type === "worker.restarted") this.clear();
  }

  /** The cached JSON of each item's state, where its revision is known and still the same. */
  lookup(threadId: string, checkpointNs: string, items: readonly PageItem[]): (string | undefined)[] {
    const states = this.threads.get(threadId);
    if (!states) return items.map(() => undefined);
    this.threads.delete(threadId);
    this.threads.set(threadId, states);
    return items.map((item) => {
      const cached = states.get(key(checkpointNs, item.checkpointId));
      return cached && item.revision !== null && cached.revision === item.revision ? cached.json : undefined;
    });
  }

  /** Keeps the states that carry a revision; a newer entry replaces an older one. */
  put(threadId: string, states: readonly CachedState[]): void {
    let cached = this.threads.get(threadId);
    for (const state of states) {
      if (state.revision === null) continue;
      if (!cached) this.threads.set(threadId, (cached = new Map()));
      const k = key(state.checkpointNs, state.checkpointId);
      this.size += state.json.length - (cached.get(k)?.json.length ?? 0);
      cached.set(k, state);
    }
    // Least recently used threads go first; the one just read stays.
    for (const [oldest, entries] of this.threads) {
      if (this.size <= this.maxBytes || oldest === threadId) break;
      this.drop(oldest, entries);
    }
  }

  /** Whether any state of the thread is kept (else a page of it has nothing to look up). */
  holds(threadId: string): boolean {
    return this.threads.has(threadId);
  }

  /** Frees a deleted thread's states (their revisions would no longer be asked for). */
  forget(threadId: string): void {
    const entries = this.threads.get(threadId);
    if (entries) this.drop(threadId, entries);
  }

  /** Bytes of JSON held. */
  get bytes(): number {
    return this.size;
  }

  private drop(threadId: string, entries: Map<string, CachedState>): void {
    for (const state of entries.values()) this.size -= state.json.length;
    this.threads.delete(threadId);
  }

  clear(): void {
    this.threads.clear();
    this.size = 0;
  }
}

/** `[texts joined by commas]` as UTF-8 bytes, written once into one buffer: a response body. */
export function jsonArrayBytes(texts: readonly string[]): Buffer<ArrayBuffer> {
  return joinedBytes("[", texts, "]");
}

/**
 * `open`, the texts joined by commas, then `close`, as UTF-8 bytes written straight into one buffer:
 * no joined string is built (a history page's states are 100 KB each, 5 MB in all).
 */
export function joinedBytes(open: string, texts: readonly string[], close: string): Buffer<ArrayBuffer> {
  let size = Buffer.byteLength(open) + Buffer.byteLength(close) + Math.max(0, texts.length - 1);
  for (const text of texts) size += Buffer.byteLength(text);
  const bytes = Buffer.allocUnsafe(size);
  let offset = bytes.write(open, 0);
  texts.forEach((text, i) => {
    if (i > 0) offset += bytes.write(",", offset);
    offset += bytes.write(text, offset);
  });
  bytes.write(close, offset);
  return bytes;
}
