// Turns LangGraph's stream chunks ([namespace, mode, payload], with
// streamMode updates/values/messages/tasks/checkpoints/custom and
// subgraphs: true) into the payloads of RunEvents, and keeps the run's
// per-node timings and the checkpoints it wrote.

import { encodeValue, type EncodeMemo } from "../../shared/encoding";
import type { RunEvent } from "../../shared/events";
import type { CheckpointSummary, InterruptInfo, NodeTiming } from "../../shared/types";

const INTERRUPT_KEY = "__interrupt__";
const nsKey = (ns: readonly string[]) => ns.join("|");
const now = () => new Date().toISOString();

/** What the mapper reads and fills in about its run. */
export interface MappedRun {
  /** The thread's head when the run started: LangGraph streams it again, but it is not new. */
  startHead: string | null;
  /** The step of the checkpoint the run starts from. */
  startStep: number | null;
  nodeTimings: NodeTiming[];
  createdCheckpoints: string[];
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<RunEvent, "runId" | "threadId" | "seq" | "at">;

interface TaskStart {
  node: string;
  step: number;
  startedAt: number;
}

/** Turns LangGraph's [namespace, mode, payload] chunks into run events. */
export class ChunkMapper {
  interrupted = false;
  private readonly tasks = new Map<string, TaskStart>();
  /** Per namespace: the step of the last checkpoint, and the nodes finished since. */
  private readonly lastStep = new Map<string, number>();
  private readonly writers = new Map<string, string[]>();
  private readonly seenCheckpoints = new Set<string>();
  private readonly seenInterrupts = new Set<string>();
  /** Messages whose first token went out (with LangGraph's metadata of the message). */
  private readonly seenMessages = new Set<string>();
  /**
   * The run's messages encoded once: each values event holds the same encoded message objects as
   * the one before, which is what lets it travel as a delta (worker/values-delta.ts).
   */
  private readonly memo: EncodeMemo = new WeakMap();

  constructor(
    private readonly run: MappedRun,
    private readonly emit: (body: EventBody) => void,
  ) {
    if (run.startHead) this.seenCheckpoints.add(run.startHead);
    // LangGraph sends a step's values before its checkpoint: until the first checkpoint arrives, values belong to the start.
    if (run.startStep !== null) this.lastStep.set("", run.startStep - 1);
  }

  accept(namespace: string[], mode: string, payload: unknown): void {
    switch (mode) {
      case "tasks":
        return this.onTask(namespace, payload as TaskPayload);
      case "updates":
        return this.onUpdates(namespace, payload as Record<string, unknown>);
      case "values":
        return this.onValues(namespace, payload);
      case "checkpoints":
        return this.onCheckpoint(namespace, payload as CheckpointPayload);
      case "messages":
        return this.onMessage(namespace, payload as [unknown, Record<string, unknown>]);
      case "custom":
        return this.emit({ type: "custom", node: null, data: encodeValue(payload), namespace });
    }
  }

  private onTask(namespace: string[], task: TaskPayload): void {
    const key = `${nsKey(namespace)}#${task.id}`;
    if ("input" in task) {
      const step = (this.lastStep.get(nsKey(namespace)) ?? -1) + 1;
      this.tasks.set(key, { node: task.name, step, startedAt: performance.now() });
      this.emit({ type: "node.started", node: task.name, taskId: task.id, step, namespace });
      return;
    }
    const start = this.tasks.get(key);
    this.tasks.delete(key);
    const step = start?.step ?? (this.lastStep.get(nsKey(namespace)) ?? -1) + 1;
    const durationMs = start ? Math.round((performance.now() - start.startedAt) * 1000) / 1000 : 0;
    const failed = task.error !== null && task.error !== undefined;
    if (!failed && (task.interrupts?.length ?? 0) === 0) {
      const w = this.writers.get(nsKey(namespace)) ?? [];
      w.push(task.name);
      this.writers.set(nsKey(namespace), w);
    }
    const timing: NodeTiming = { node: task.name, taskId: task.id, checkpointNs: nsKey(namespace), step, durationMs };
    this.run.nodeTimings.push(timing);
    this.emit({
      type: "node.finished",
      node: task.name,
      taskId: task.id,
      step,
      update: failed ? null : encodeValue(task.result ?? null),
      durationMs,
      namespace,
    });
  }

  private onUpdates(namespace: string[], update: Record<string, unknown>): void {
    if (!(INTERRUPT_KEY in update)) return;
    if (namespace.length === 0) this.interrupted = true;
    const interrupts = (update[INTERRUPT_KEY] as { id?: string; value?: unknown }[]) ?? [];
    const fresh = interrupts.filter((i) => {
      const id = i.id ?? JSON.stringify(encodeValue(i.value));
      if (this.seenInterrupts.has(id)) return false;
      this.seenInterrupts.add(id);
      return true;
    });
    if (fresh.length === 0) return;
    const infos: InterruptInfo[] = fresh.map((i) => ({ id: i.id ?? null, value: encodeValue(i.value) }));
    this.emit({ type: "interrupt", interrupts: infos, namespace });
  }

  private onValues(namespace: string[], values: unknown): void {
    // An interrupt is also sent as "values" ({__interrupt__: […]}); it is not the state.
    if (typeof values === "object" && values !== null && INTERRUPT_KEY in values && Object.keys(values).length === 1) return;
    const step = (this.lastStep.get(nsKey(namespace)) ?? -1) + 1;
    this.emit({ type: "values", values: encodeValue(values, this.memo), step, namespace });
  }

  private onCheckpoint(namespace: string[], payload: CheckpointPayload): void {
    const key = nsKey(namespace);
    const configurable = payload.config?.configurable ?? {};
    const checkpointId = String(configurable.checkpoint_id ?? "");
    const step = typeof payload.metadata?.step === "number" ? payload.metadata.step : (this.lastStep.get(key) ?? -1) + 1;
    this.lastStep.set(key, step);
    const writers = this.writers.get(key) ?? [];
    this.writers.set(key, []);
    if (!checkpointId || this.seenCheckpoints.has(checkpointId)) return;
    this.seenCheckpoints.add(checkpointId);
    this.run.createdCheckpoints.push(checkpointId);
    const checkpoint: CheckpointSummary = {
      checkpointId,
      checkpointNs: String(configurable.checkpoint_ns ?? ""),
      parentCheckpointId: (payload.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null,
      step,
      source: String(payload.metadata?.source ?? "loop"),
      nodes: [...new Set(writers)].sort(),
      createdAt: now(),
      hasInterrupts: (payload.tasks ?? []).some((t) => (t.interrupts?.length ?? 0) > 0),
    };
    this.emit({ type: "checkpoint", checkpoint });
  }

  private onMessage(namespace: string[], [message, metadata]: [unknown, Record<string, unknown>]): void {
    const m = message as { id?: unknown; content?: unknown };
    const node = typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : "";
    const messageId = typeof m.id === "string" ? m.id : null;
    // The metadata is the same for every chunk of a message: sent with its first one only.
    const first = messageId === null || !this.seenMessages.has(messageId);
    if (messageId !== null) this.seenMessages.add(messageId);
    this.emit({
      type: "token",
      node,
      messageId,
      text: textOf(m.content),
      chunk: encodeValue(message),
      namespace,
      ...(first && metadata ? { metadata: encodeValue(metadata) } : {}),
    });
  }
}

interface TaskPayload {
  id: string;
  name: string;
  input?: unknown;
  result?: unknown;
  error?: unknown;
  interrupts?: unknown[];
}

interface CheckpointPayload {
  config?: { configurable?: Record<string, unknown> };
  parentConfig?: { configurable?: Record<string, unknown> };
  metadata?: { step?: number; source?: string };
  next?: string[];
  tasks?: { interrupts?: unknown[] }[];
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : ""))
      .join("");
  }
  return "";
}
