// A run's events, kept from the moment the engine emits them, so that a
// stream opened after `runs.start` returned (or reopened with Last-Event-ID)
// misses nothing; and their translation into LangGraph's SSE events for the
// stream modes a client asked for.
import { tagOf, type JsonObject, type JsonValue } from "../../shared/encoding";
import { isRunEvent, type EngineEvent, type RunEvent } from "../../shared/events";
import { toApiValue } from "../../shared/agent-api/values";
import { approxBytes, MB } from "../approx-bytes";

export interface SseEvent {
  id: string;
  event: string;
  data: JsonValue;
}

export const STREAM_MODES = ["values", "updates", "messages", "messages-tuple", "debug", "tasks", "checkpoints", "custom", "events"] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export interface StreamRequest {
  modes: ReadonlySet<string>;
  subgraphs: boolean;
}

interface RunLog {
  events: RunEvent[];
  finished: boolean;
  wake: Set<() => void>;
  /** About how much memory its events hold (approx-bytes.ts). */
  bytes: number;
  /**
   * Whether a stream can be read again (LangGraph's `stream_resumable`): from the start, or after a
   * Last-Event-ID. Otherwise, as on LangGraph's server, what one stream has delivered is gone: a
   * later stream starts after it, whatever Last-Event-ID it names.
   */
  resumable: boolean;
  /** With `resumable` false: how many events some stream has delivered. */
  consumed: number;
}

/**
 * Finished runs whose events are kept for late joiners and Last-Event-ID, the oldest dropped first:
 * at most this many, holding at most this many bytes together (a run's events carry its whole
 * state at each step, so a count alone let 300 runs with 100 KB messages hold 820 MB). The most
 * recent finished run is kept whatever its size.
 */
export const KEEP_FINISHED = 200;
export const KEEP_FINISHED_BYTES = 64 * MB;

export class RunEventLogs {
  private readonly logs = new Map<string, RunLog>();
  private readonly finishedOrder: string[] = [];
  private finishedBytes = 0;

  constructor(private readonly budget = { runs: KEEP_FINISHED, bytes: KEEP_FINISHED_BYTES }) {}

  /** Bytes held by finished runs' events (for tests and the bench). */
  get keptBytes(): number {
    return this.finishedBytes;
  }

  /** Who follows every run of a thread (GET /threads/:id/stream), by thread. */
  private readonly threadWatchers = new Map<string, Set<(event: RunEvent) => void>>();

  /** Calls `listener` with each run event on the thread from now on; returns the unsubscribe. */
  watchThread(threadId: string, listener: (event: RunEvent) => void): () => void {
    let watchers = this.threadWatchers.get(threadId);
    if (!watchers) this.threadWatchers.set(threadId, (watchers = new Set()));
    watchers.add(listener);
    return () => {
      watchers.delete(listener);
      if (watchers.size === 0) this.threadWatchers.delete(threadId);
    };
  }

  accept(event: EngineEvent): void {
    if (!isRunEvent(event)) return;
    for (const watcher of this.threadWatchers.get(event.threadId) ?? []) watcher(event);
    const log = this.log(event.runId);
    log.events.push(event);
    log.bytes += approxBytes(event);
    if (event.type === "run.finished") {
      log.finished = true;
      this.finishedOrder.push(event.runId);
      this.finishedBytes += log.bytes;
      while (
        this.finishedOrder.length > this.budget.runs ||
        (this.finishedBytes > this.budget.bytes && this.finishedOrder.length > 1)
      ) {
        const dropped = this.finishedOrder.shift()!;
        this.finishedBytes -= this.logs.get(dropped)?.bytes ?? 0;
        this.logs.delete(dropped);
      }
    }
    for (const wake of log.wake) wake();
    log.wake.clear();
  }

  /**
   * A run the Agent Server API started without `stream_resumable` (runs the inspector starts
   * stay resumable): its events go to whichever stream reads them first, once.
   */
  notResumable(runId: string): void {
    this.log(runId).resumable = false;
  }

  has(runId: string): boolean {
    return this.logs.has(runId);
  }

  /**
   * What LangGraph's `wait` and `join` answer: the run's last `values` event
   * (its final state, or `{__interrupt__: […]}` when it stopped there);
   * undefined when the run's events are no longer kept.
   */
  lastValues(runId: string): JsonValue | undefined {
    const log = this.logs.get(runId);
    if (!log) return undefined;
    const translator = new Translator({ modes: new Set(["values"]), subgraphs: false });
    let last: JsonValue | undefined;
    for (const event of log.events) {
      for (const out of translator.translate(event)) if (out.event === "values") last = out.data;
    }
    return last;
  }

  private log(runId: string): RunLog {
    let log = this.logs.get(runId);
    if (!log) {
      log = { events: [], finished: false, wake: new Set(), bytes: 0, resumable: true, consumed: 0 };
      this.logs.set(runId, log);
    }
    return log;
  }

  /**
   * The run's events as SSE events, from the start or after `lastEventId`,
   * until the run finishes or `signal` aborts. The first event is LangGraph's
   * `metadata` unless the stream is being resumed.
   */
  async *stream(runId: string, request: StreamRequest, options: { lastEventId?: string; signal?: AbortSignal } = {}): AsyncGenerator<SseEvent> {
    const log = this.log(runId);
    const after = log.resumable ? parseEventId(options.lastEventId) : null;
    // The metadata event is the stream's first; a stream after a non-resumable one starts later.
    if (!after && (log.resumable || log.consumed === 0)) yield { id: "0_0", event: "metadata", data: { run_id: runId, attempt: 1 } };
    const translator = new Translator(request);
    const { signal } = options;
    // One abort listener for the whole stream (not one per wait, which piled up past Node's
    // limit of 10 and printed MaxListenersExceededWarning on every longer run).
    let wakeUp: (() => void) | undefined;
    const onAbort = () => wakeUp?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let next = log.resumable ? 0 : log.consumed;
      for (;;) {
        while (next < log.events.length) {
          const event = log.events[next++]!;
          if (!log.resumable) log.consumed = Math.max(log.consumed, next);
          const out = translator.translate(event);
          for (let k = 0; k < out.length; k++) {
            if (after && (event.seq < after.seq || (event.seq === after.seq && k <= after.k))) continue;
            yield { id: `${event.seq}_${k}`, event: out[k]!.event, data: out[k]!.data };
          }
        }
        if (log.finished || signal?.aborted) return;
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          log.wake.add(resolve);
        });
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function parseEventId(id: string | undefined): { seq: number; k: number } | null {
  const match = id?.match(/^(\d+)_(\d+)$/);
  return match ? { seq: Number(match[1]), k: Number(match[2]) } : null;
}

interface Out {
  event: string;
  data: JsonValue;
}

/** One stream's translation state: messages mode accumulates chunks per message id. */
export class Translator {
  private readonly partial = new Map<string, JsonObject>();
  private readonly completed = new Set<string>();
  /** LangGraph's metadata of each message seen, by message id. */
  private readonly metadataOf = new Map<string, JsonObject>();
  private sawInterrupt = false;

  constructor(private readonly request: StreamRequest) {}

  translate(event: RunEvent): Out[] {
    const namespace = "namespace" in event ? event.namespace : [];
    if (namespace.length > 0 && !this.request.subgraphs) return [];
    const modes = this.request.modes;
    const name = (mode: string) => (namespace.length > 0 ? `${mode}|${namespace.join("|")}` : mode);
    const out: Out[] = [];
    switch (event.type) {
      case "values": {
        const values = toApiValue(event.values);
        if (modes.has("messages") && namespace.length === 0) out.push(...this.completeMessages(values));
        if (modes.has("values")) out.push({ event: name("values"), data: values });
        break;
      }
      case "node.started":
        if (modes.has("tasks")) out.push({ event: name("tasks"), data: { id: event.taskId, name: event.node, input: null, triggers: [] } });
        if (modes.has("debug")) {
          out.push({
            event: name("debug"),
            data: { type: "task", timestamp: event.at, step: event.step, payload: { id: event.taskId, name: event.node, input: null, triggers: [] } },
          });
        }
        break;
      case "node.finished": {
        const update = event.update === null ? null : toApiValue(event.update);
        const result = { id: event.taskId, name: event.node, result: update, error: null, interrupts: [] };
        if (modes.has("updates") && update !== null && !isEmptyObject(update)) out.push({ event: name("updates"), data: { [event.node]: update } });
        if (modes.has("tasks")) out.push({ event: name("tasks"), data: result });
        if (modes.has("debug")) out.push({ event: name("debug"), data: { type: "task_result", timestamp: event.at, step: event.step, payload: result } });
        break;
      }
      case "interrupt": {
        if (namespace.length === 0) this.sawInterrupt = true;
        const interrupts = event.interrupts.map((i) => ({ ...(i.id !== null ? { id: i.id } : {}), value: toApiValue(i.value) }));
        if (modes.has("updates")) out.push({ event: name("updates"), data: { __interrupt__: interrupts } });
        if (modes.has("values")) out.push({ event: name("values"), data: { __interrupt__: interrupts } });
        break;
      }
      case "checkpoint": {
        const c = event.checkpoint;
        const ns = c.checkpointNs ? c.checkpointNs.split("|") : [];
        if (ns.length > 0 && !this.request.subgraphs) break;
        const config = { configurable: { thread_id: event.threadId, checkpoint_ns: c.checkpointNs, checkpoint_id: c.checkpointId } };
        const payload = {
          config,
          parent_config: c.parentCheckpointId
            ? { configurable: { thread_id: event.threadId, checkpoint_ns: c.checkpointNs, checkpoint_id: c.parentCheckpointId } }
            : null,
          metadata: { source: c.source, step: c.step, parents: {} },
          checkpoint: { thread_id: event.threadId, checkpoint_ns: c.checkpointNs, checkpoint_id: c.checkpointId, checkpoint_map: null },
        };
        const eventName = ns.length > 0 ? `debug|${ns.join("|")}` : "debug";
        if (modes.has("debug")) out.push({ event: eventName, data: { type: "checkpoint", timestamp: event.at, step: c.step, payload } });
        if (modes.has("checkpoints")) out.push({ event: eventName.replace("debug", "checkpoints"), data: payload });
        break;
      }
      case "token": {
        const chunk = toApiValue(event.chunk);
        const metadata = { thread_id: event.threadId, run_id: event.runId, ...this.messageMetadata(event) };
        if (modes.has("messages-tuple")) out.push({ event: name("messages"), data: [chunk, metadata] });
        // LangGraph's `messages` mode streams what chat models generate; a node's returned messages come as complete ones.
        const fromModel = /Chunk$/.test(tagOf(event.chunk)?.$type === "message" ? String((event.chunk as JsonObject).class) : "");
        if (modes.has("messages") && namespace.length === 0 && fromModel) out.push(...this.partialMessage(chunk, event.messageId, metadata));
        break;
      }
      case "custom":
        if (modes.has("custom")) out.push({ event: name("custom"), data: toApiValue(event.data) });
        break;
      case "error":
        out.push({ event: "error", data: { error: event.error.className, message: event.error.message } });
        break;
      case "run.finished":
        // A breakpoint (interrupt_before/after) stops the run with no interrupt value: LangGraph still says so.
        if (event.status === "interrupted" && !event.run.cancelled && !this.sawInterrupt) {
          if (modes.has("updates")) out.push({ event: "updates", data: { __interrupt__: [] } });
          if (modes.has("values")) out.push({ event: "values", data: { __interrupt__: [] } });
        }
        break;
      default:
        break;
    }
    return out;
  }

  /**
   * LangGraph's metadata of a token's message (it comes with the message's first token), or what
   * the event itself tells when LangGraph sent none.
   */
  private messageMetadata(event: Extract<RunEvent, { type: "token" }>): JsonObject {
    const given = event.metadata === undefined ? undefined : toApiValue(event.metadata);
    if (given && typeof given === "object" && !Array.isArray(given)) {
      if (event.messageId) this.metadataOf.set(event.messageId, given);
      return given;
    }
    const known = event.messageId ? this.metadataOf.get(event.messageId) : undefined;
    return known ?? { langgraph_node: event.node, langgraph_checkpoint_ns: event.namespace.join("|") };
  }

  private partialMessage(chunk: JsonValue, messageId: string | null, metadata: JsonObject): Out[] {
    if (!messageId || typeof chunk !== "object" || chunk === null || Array.isArray(chunk)) return [];
    const out: Out[] = [];
    const previous = this.partial.get(messageId);
    if (!previous) out.push({ event: "messages/metadata", data: { [messageId]: { metadata } } });
    const content = `${typeof previous?.content === "string" ? previous.content : ""}${typeof chunk.content === "string" ? chunk.content : ""}`;
    const merged: JsonObject = { ...previous, ...chunk, content };
    this.partial.set(messageId, merged);
    out.push({ event: "messages/partial", data: [merged] });
    return out;
  }

  private completeMessages(values: JsonValue): Out[] {
    const messages = typeof values === "object" && values !== null && !Array.isArray(values) ? values.messages : undefined;
    if (!Array.isArray(messages)) return [];
    const fresh = messages.filter((m): m is JsonObject => {
      const id = typeof m === "object" && m !== null && !Array.isArray(m) ? m.id : undefined;
      if (typeof id !== "string" || this.completed.has(id)) return false;
      this.completed.add(id);
      return true;
    });
    return fresh.length > 0 ? [{ event: "messages/complete", data: fresh }] : [];
  }
}

function isEmptyObject(value: JsonValue): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
