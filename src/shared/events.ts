// Every event the engine pushes, written once. Transports forward them as
// they are (JSON); `seq` orders a run's events and lets a stream be resumed
// (SSE Last-Event-ID) from the last one seen.

import type {
  CheckpointSummary,
  ConsoleLine,
  Encoded,
  InterruptInfo,
  RunInfo,
  RunStatus,
  UserError,
} from "./types";
import type { StoreWriteInfo } from "./store";

interface RunEventBase {
  runId: string;
  threadId: string;
  /** 1, 2, 3… within a run. */
  seq: number;
  /** ISO 8601. */
  at: string;
}

/** Subgraph path of the event, e.g. ["research:<taskId>"]; [] for the root graph. */
type Namespaced = { namespace: string[] };

export type RunEvent = RunEventBase &
  (
    | { type: "run.created"; run: RunInfo }
    | { type: "run.started"; run: RunInfo }
    | ({ type: "node.started"; node: string; taskId: string; step: number } & Namespaced)
    | ({ type: "node.finished"; node: string; taskId: string; step: number; update: Encoded; durationMs: number } & Namespaced)
    | ({ type: "values"; values: Encoded; step: number } & Namespaced)
    | { type: "checkpoint"; checkpoint: CheckpointSummary }
    | ({ type: "interrupt"; interrupts: InterruptInfo[] } & Namespaced)
    | ({
        type: "token";
        node: string;
        /** Id of the message the token belongs to, when the model gave one. */
        messageId: string | null;
        text: string;
        /** The full chunk (an AIMessageChunk, encoded), for tool-call chunks and metadata. */
        chunk: Encoded;
        /**
         * LangGraph's metadata of the message (langgraph_step/node/path/checkpoint_ns, tags, ls_*
         * fields, the run's config metadata), encoded; on the first token of each message only.
         */
        metadata?: Encoded;
      } & Namespaced)
    | ({ type: "custom"; node: string | null; data: Encoded } & Namespaced)
    | ({ type: "console" } & Omit<ConsoleLine, "at">)
    /** The run's code wrote to the store (put or delete), as one batch of LangGraph's store. */
    | { type: "store.write"; writes: StoreWriteInfo[] }
    | { type: "error"; error: UserError }
    | { type: "run.finished"; status: RunStatus; error: UserError | null; run: RunInfo }
  );

export type RunEventType = RunEvent["type"];

/** Another process (or this engine) wrote threads: lists and open timelines should refresh. */
export interface ThreadsChangedEvent {
  type: "threads.changed";
  /** The threads known to have changed, or null when the writer is another process and any may have. */
  threadIds: string[] | null;
  source: "engine" | "external";
  at: string;
}

/** The engine's worker was restarted (project edited, runaway run stopped): caches are stale. */
export interface WorkerRestartedEvent {
  type: "worker.restarted";
  reason: string;
  at: string;
}

export type EngineEvent = RunEvent | ThreadsChangedEvent | WorkerRestartedEvent;
export type EngineEventType = EngineEvent["type"];

/** Every event type, for the transports' coverage test. */
export const ENGINE_EVENT_TYPES = [
  "run.created",
  "run.started",
  "node.started",
  "node.finished",
  "values",
  "checkpoint",
  "interrupt",
  "token",
  "custom",
  "console",
  "store.write",
  "error",
  "run.finished",
  "threads.changed",
  "worker.restarted",
] as const satisfies readonly EngineEventType[];

// Fails to compile when an event type is missing from the list above.
type _AllListed = Exclude<EngineEventType, (typeof ENGINE_EVENT_TYPES)[number]> extends never ? true : never;
export const _allEventTypesListed: _AllListed = true;

export function isRunEvent(event: EngineEvent): event is RunEvent {
  return "runId" in event;
}

export type EventListener = (event: EngineEvent) => void;
export type Unsubscribe = () => void;
