// Events fan out to every open event stream. A bounded log of the latest ones lets a client that
// lost its connection resume from the last id it saw (SSE's Last-Event-ID) without a gap. Bounded
// by count and by bytes: one `values` event carries a run's whole state, so 2,000 of them could
// hold gigabytes.
import { approxBytes, MB } from "./approx-bytes";
import type { EngineEvent, Unsubscribe } from "../shared/events";

export interface LoggedEvent {
  id: number;
  event: EngineEvent;
}

/** At most this many events, holding at most this many bytes; the newest is always kept. */
export const EVENT_LOG_CAPACITY = 2000;
export const EVENT_LOG_BYTES = 32 * MB;

export class EventLog {
  private readonly entries: LoggedEvent[] = [];
  private readonly subscribers = new Set<(entry: LoggedEvent) => void>();
  private readonly sizes: number[] = [];
  private bytes = 0;
  private nextId = 1;

  constructor(
    private readonly capacity = EVENT_LOG_CAPACITY,
    private readonly maxBytes = EVENT_LOG_BYTES,
  ) {}

  /** Bytes the kept events hold (for tests). */
  get keptBytes(): number {
    return this.bytes;
  }

  push(event: EngineEvent): void {
    const entry = { id: this.nextId++, event };
    const size = approxBytes(event);
    this.entries.push(entry);
    this.sizes.push(size);
    this.bytes += size;
    while (this.entries.length > this.capacity || (this.bytes > this.maxBytes && this.entries.length > 1)) {
      this.entries.shift();
      this.bytes -= this.sizes.shift()!;
    }
    for (const subscriber of this.subscribers) subscriber(entry);
  }

  /** Entries after `lastId` still in the log, then every new one, in order. */
  subscribe(lastId: number | null, subscriber: (entry: LoggedEvent) => void): Unsubscribe {
    if (lastId !== null) for (const entry of this.entries) if (entry.id > lastId) subscriber(entry);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
}
