// Events fan out to every open event stream. A bounded log of the latest ones lets a client that
// lost its connection resume from the last id it saw (SSE's Last-Event-ID) without a gap.
import type { EngineEvent, Unsubscribe } from "../shared/events";

export interface LoggedEvent {
  id: number;
  event: EngineEvent;
}

export class EventLog {
  private readonly entries: LoggedEvent[] = [];
  private readonly subscribers = new Set<(entry: LoggedEvent) => void>();
  private nextId = 1;

  constructor(private readonly capacity = 2000) {}

  push(event: EngineEvent): void {
    const entry = { id: this.nextId++, event };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    for (const subscriber of this.subscribers) subscriber(entry);
  }

  /** Entries after `lastId` still in the log, then every new one, in order. */
  subscribe(lastId: number | null, subscriber: (entry: LoggedEvent) => void): Unsubscribe {
    if (lastId !== null) for (const entry of this.entries) if (entry.id > lastId) subscriber(entry);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
}
