// An Agent Server's run stream (the SDK's events: values, updates, messages-tuple, debug and
// custom, with subgraphs: "mode|namespace|…") as the run events the UI consumes from the local
// runner. The server does not time its nodes for a client: node.finished carries no duration
// (durationMs 0), and the source says so (capability "timings").
import type { CheckpointSummary, InterruptInfo, UserError } from "../../../shared/types";
import type { EventBody } from "../../runs/chunk-mapper";
import { fromServer } from "./values";

const INTERRUPT_KEY = "__interrupt__";

interface DebugEvent {
  type?: string;
  step?: number;
  timestamp?: string;
  payload?: Record<string, unknown>;
}

type Config = { configurable?: Record<string, unknown> } | null | undefined;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === "string" ? p : typeof p?.text === "string" ? p.text : "")).join("");
  return "";
}

/** A task's result as the debug stream sends it: [[channel, value], …] (JS and Python) or an object. */
function resultObject(result: unknown): Record<string, unknown> | null {
  if (Array.isArray(result)) {
    const pairs = result.filter((p): p is [string, unknown] => Array.isArray(p) && p.length === 2 && typeof p[0] === "string");
    return Object.fromEntries(pairs);
  }
  return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : null;
}

export class RemoteStreamMapper {
  runId: string | null = null;
  /** The root graph stopped at an interrupt or a breakpoint (an interrupt was sent, or its last checkpoint has nodes to run). */
  get interrupted(): boolean {
    return this.sawInterrupt || this.rootNext.length > 0;
  }
  private sawInterrupt = false;
  private rootNext: string[] = [];
  error: UserError | null = null;
  private readonly steps = new Map<string, number>();
  private readonly writers = new Map<string, string[]>();
  private readonly seenCheckpoints = new Set<string>();
  private readonly seenInterrupts = new Set<string>();
  private readonly seenMessages = new Set<string>();

  constructor(private readonly emit: (body: EventBody) => void) {}

  accept(event: string, data: unknown): void {
    const [mode, ...namespace] = event.split("|");
    const ns = namespace.join("|");
    switch (mode) {
      case "metadata":
        this.runId = String((data as { run_id?: unknown })?.run_id ?? "") || null;
        return;
      case "values":
        return this.onValues(namespace, ns, data);
      case "updates":
        return this.onUpdates(namespace, data);
      case "messages":
        return this.onMessage(namespace, data as [unknown, Record<string, unknown>]);
      case "debug":
        return this.onDebug(namespace, ns, data as DebugEvent);
      case "custom":
        return this.emit({ type: "custom", node: null, data: fromServer(data), namespace });
      case "error":
        return this.onError(data);
    }
  }

  private onValues(namespace: string[], ns: string, values: unknown): void {
    if (typeof values === "object" && values !== null && INTERRUPT_KEY in values && Object.keys(values).length === 1) return;
    this.emit({ type: "values", values: fromServer(values), step: (this.steps.get(ns) ?? -1) + 1, namespace });
  }

  private onUpdates(namespace: string[], update: unknown): void {
    if (typeof update !== "object" || update === null || !(INTERRUPT_KEY in update)) return;
    if (namespace.length === 0) this.sawInterrupt = true;
    const list = ((update as Record<string, unknown>)[INTERRUPT_KEY] as { id?: string; value?: unknown }[] | undefined) ?? [];
    const fresh = list.filter((i) => {
      const id = i.id ?? JSON.stringify(i.value);
      if (this.seenInterrupts.has(id)) return false;
      this.seenInterrupts.add(id);
      return true;
    });
    if (fresh.length === 0) return;
    const interrupts: InterruptInfo[] = fresh.map((i) => ({ id: i.id ?? null, value: fromServer(i.value) }));
    this.emit({ type: "interrupt", interrupts, namespace });
  }

  private onMessage(namespace: string[], data: [unknown, Record<string, unknown>]): void {
    if (!Array.isArray(data)) return;
    const [message, metadata] = data;
    const m = (message ?? {}) as { id?: unknown; content?: unknown };
    const messageId = typeof m.id === "string" ? m.id : null;
    const first = messageId === null || !this.seenMessages.has(messageId);
    if (messageId !== null) this.seenMessages.add(messageId);
    this.emit({
      type: "token",
      node: typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : "",
      messageId,
      text: textOf(m.content),
      chunk: fromServer(message),
      namespace,
      ...(first && metadata ? { metadata: fromServer(metadata) } : {}),
    });
  }

  private onDebug(namespace: string[], ns: string, event: DebugEvent): void {
    const payload = event.payload ?? {};
    const step = typeof event.step === "number" ? event.step : (this.steps.get(ns) ?? -1) + 1;
    if (event.type === "task") {
      this.emit({ type: "node.started", node: String(payload.name), taskId: String(payload.id), step, namespace });
    } else if (event.type === "task_result") {
      const failed = payload.error !== null && payload.error !== undefined;
      const interrupted = Array.isArray(payload.interrupts) && payload.interrupts.length > 0;
      if (!failed && !interrupted) (this.writers.get(ns) ?? this.writers.set(ns, []).get(ns)!).push(String(payload.name));
      const result = resultObject(payload.result);
      this.emit({
        type: "node.finished",
        node: String(payload.name),
        taskId: String(payload.id),
        step,
        update: failed || result === null ? null : fromServer(result),
        durationMs: 0,
        namespace,
      });
    } else if (event.type === "checkpoint") {
      this.onCheckpoint(ns, payload, event.timestamp);
    }
  }

  private onCheckpoint(ns: string, payload: Record<string, unknown>, timestamp: string | undefined): void {
    const configurable = (payload.config as Config)?.configurable ?? {};
    const parent = ((payload.parent_config ?? payload.parentConfig) as Config)?.configurable ?? {};
    const metadata = (payload.metadata ?? {}) as { step?: unknown; source?: unknown };
    const step = typeof metadata.step === "number" ? metadata.step : (this.steps.get(ns) ?? -1) + 1;
    this.steps.set(ns, step);
    if (ns === "") this.rootNext = Array.isArray(payload.next) ? payload.next.map(String) : [];
    const writers = this.writers.get(ns) ?? [];
    this.writers.set(ns, []);
    const checkpointId = typeof configurable.checkpoint_id === "string" ? configurable.checkpoint_id : "";
    if (!checkpointId || this.seenCheckpoints.has(checkpointId)) return;
    this.seenCheckpoints.add(checkpointId);
    const tasks = Array.isArray(payload.tasks) ? (payload.tasks as { interrupts?: unknown[] }[]) : [];
    const checkpoint: CheckpointSummary = {
      checkpointId,
      checkpointNs: typeof configurable.checkpoint_ns === "string" ? configurable.checkpoint_ns : ns,
      parentCheckpointId: typeof parent.checkpoint_id === "string" ? parent.checkpoint_id : null,
      step,
      source: typeof metadata.source === "string" ? metadata.source : "loop",
      nodes: [...new Set(writers)].sort(),
      createdAt: timestamp ?? new Date().toISOString(),
      hasInterrupts: tasks.some((t) => (t.interrupts?.length ?? 0) > 0),
    };
    this.emit({ type: "checkpoint", checkpoint });
  }

  private onError(data: unknown): void {
    const d = (data ?? {}) as { error?: unknown; message?: unknown };
    const message = typeof d.message === "string" ? d.message : typeof data === "string" ? data : JSON.stringify(data);
    this.error = { node: null, className: typeof d.error === "string" ? d.error : "Error", message, stack: null };
    this.emit({ type: "error", error: this.error });
  }
}
