/**
 * A run's events wait until the checkpoints they announce can be read. The saver writes a run's
 * rows to the database in batches (storage/step-batch.ts), while the UI and the Agent API read
 * them on another connection (the primary worker) as soon as a "checkpoint" or "run.finished"
 * event says so. So while the saver holds rows not yet written, events are queued, in order, and
 * sent right after the batch is written (at the latest when the event loop turns). The end of a
 * run writes its batch at once rather than waiting.
 */
import type { EngineEvent } from "../../shared/events";

export interface BatchedWrites {
  readonly hasPendingWrites: boolean;
  flushWrites(): void;
  onWritesFlushed(listener: () => void): () => void;
}

/** Event types after which nothing more of the run is coming soon: its rows are written at once. */
const FINAL = new Set<string>(["run.finished", "threads.changed"]);

export function gateEvents(writes: BatchedWrites, emit: (event: EngineEvent) => void): (event: EngineEvent) => void {
  let queued: EngineEvent[] = [];
  const drain = () => {
    while (queued.length > 0) {
      const events = queued;
      queued = [];
      for (const event of events) emit(event);
    }
  };
  writes.onWritesFlushed(drain);
  return (event) => {
    if (!writes.hasPendingWrites && queued.length === 0) {
      emit(event);
      return;
    }
    queued.push(event);
    if (FINAL.has(event.type)) {
      // Written now (which drains the queue through the listener); should that fail, the events
      // still go out: the batch stays pending and is retried, and the run's end must be told.
      try {
        writes.flushWrites();
      } finally {
        drain();
      }
    }
  };
}
