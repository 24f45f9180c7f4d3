// The open thread's runs as they stream: the active run, the event log, and each node's live status.
import { create } from "zustand";
import type { CallArgs } from "../../../shared/contract";
import type { RunEvent } from "../../../shared/events";
import type { JsonValue } from "../../../shared/encoding";
import type { StoreWriteInfo } from "../../../shared/store";
import type { RunInfo } from "../../../shared/types";
import { engine } from "../api/engine";
import { refreshCurrent } from "./threads";
import { useUi } from "./ui";
import { useSource } from "./source";

export type NodeState = { status: "running" | "done" | "error"; durationMs?: number };

/** One line of the event log; consecutive tokens of one message are merged into one line. */
export interface LogEntry {
  key: string;
  at: string;
  type: RunEvent["type"];
  node: string | null;
  namespace: string[];
  summary: string;
  /** Shown when the line is opened (a stack, an update). */
  detail?: JsonValue | string;
  level: "info" | "warn" | "error";
  /** Read back from an earlier run when the thread was opened, not streamed. */
  past?: boolean;
}

const MAX_LOG = 3000;
/** How far back a token looks for its message's line. */
const TOKEN_LOOKBACK = 200;

interface RunState {
  threadId: string | null;
  active: RunInfo | null;
  log: LogEntry[];
  /** Keyed by node id, or "parent/child" inside a subgraph. */
  nodes: Record<string, NodeState>;
  /** The root graph's state as the running (or last) run streamed it; null until a run streams values. */
  liveValues: JsonValue | null;
  /** Text streamed since the last values, by the message it belongs to (the answer being written). */
  streaming: { messageId: string; node: string; text: string } | null;
  starting: boolean;
  open(threadId: string | null): Promise<void>;
  handle(event: RunEvent): void;
  start(args: Omit<CallArgs<"runs.start">, "threadId"> & { threadId: string }): Promise<RunInfo | undefined>;
  cancel(): Promise<void>;
  clearLog(): void;
}

export function nodeKey(node: string, namespace: string[]): string {
  const parents = namespace.map((ns) => ns.split(":")[0]);
  return [...parents, node].join("/");
}

export const isLive = (run: RunInfo | null) => run?.status === "pending" || run?.status === "running";

export const useRun = create<RunState>()((set, get) => ({
  threadId: null,
  active: null,
  log: [],
  nodes: {},
  liveValues: null,
  streaming: null,
  starting: false,
  async open(threadId) {
    set({ threadId, active: null, log: [], nodes: {}, liveValues: null, streaming: null });
    if (!threadId) return;
    try {
      const [last] = await engine().runs.list({ threadId, limit: 1 });
      if (get().threadId !== threadId || !last) return;
      const nodes: Record<string, NodeState> = {};
      for (const t of last.nodeTimings) if (t.checkpointNs === "") nodes[t.node] = { status: "done", durationMs: t.durationMs };
      set((s) => ({ active: s.active ?? last, nodes: Object.keys(s.nodes).length ? s.nodes : nodes }));
      // Events are live only; what the last run left behind is its console output and its outcome.
      // A source without the console capability (an Agent Server) keeps none: the event log's chip says why.
      const lines = isLive(last) || !useSource.getState().info?.capabilities.console.available ? [] : await engine().runs.console({ runId: last.runId });
      if (get().threadId !== threadId || isLive(last)) return;
      const past: LogEntry[] = lines.slice(-200).map((l, i) => ({
        key: `${last.runId}:past:${i}`,
        at: l.at,
        type: "console",
        node: l.node,
        namespace: [],
        summary: l.line,
        level: l.stream === "stderr" ? "warn" : "info",
        past: true,
      }));
      past.push({
        key: `${last.runId}:past:end`,
        at: last.finishedAt ?? last.createdAt,
        type: "run.finished",
        node: null,
        namespace: [],
        summary: `last run ${last.status}${last.cancelled ? " (cancelled)" : ""}${last.error ? ` — ${last.error.className}: ${last.error.message}` : ""}`,
        ...(last.error?.stack ? { detail: last.error.stack } : {}),
        level: last.status === "error" ? "error" : "info",
        past: true,
      });
      set((s) => (s.log.length ? {} : { log: past }));
    } catch (error) {
      // A source without runs (a store opened read-only) has no past runs to show: not a failure.
      if ((error as { code?: string }).code !== "UNAVAILABLE") useUi.getState().fail(error, "Runs");
    }
  },
  handle(event) {
    if (event.threadId !== get().threadId) return;
    set((s) => reduce(s, event));
  },
  async start(args) {
    set({ starting: true });
    try {
      const run = await engine().runs.start(args);
      // The run's own events may have arrived before this answer: they are newer than it.
      set((s) =>
        s.threadId === run.threadId && s.active?.runId !== run.runId
          ? { active: run, starting: false, nodes: {} }
          : { starting: false },
      );
      return run;
    } catch (error) {
      set({ starting: false });
      return useUi.getState().fail(error, "Run");
    }
  },
  async cancel() {
    const run = get().active;
    if (!run) return;
    try {
      const cancelled = await engine().runs.cancel({ runId: run.runId });
      set((s) => (s.active?.runId === cancelled.runId ? { active: cancelled } : {}));
      // The thread's badge follows the run's end at once, so the two never disagree.
      void refreshCurrent(cancelled.threadId);
    } catch (error) {
      useUi.getState().fail(error, "Cancel");
    }
  },
  clearLog: () => set({ log: [] }),
}));

function reduce(s: RunState, event: RunEvent): Partial<RunState> {
  const log = appendLog(s.log, event);
  switch (event.type) {
    case "run.created":
    case "run.started":
      return {
        log,
        active: event.run,
        nodes: s.active?.runId === event.runId ? s.nodes : {},
        streaming: null,
      };
    case "values":
      return event.namespace.length === 0 ? { log, liveValues: event.values, streaming: null } : { log };
    case "token": {
      if (event.namespace.length > 0) return { log };
      const messageId = event.messageId ?? `${event.runId}:${event.node}`;
      const text = s.streaming?.messageId === messageId ? s.streaming.text + event.text : event.text;
      return { log, streaming: { messageId, node: event.node, text } };
    }
    case "node.started":
      return { log, nodes: { ...s.nodes, [nodeKey(event.node, event.namespace)]: { status: "running" } } };
    case "node.finished":
      return {
        log,
        nodes: { ...s.nodes, [nodeKey(event.node, event.namespace)]: timed() ? { status: "done", durationMs: event.durationMs } : { status: "done" } },
      };
    case "error": {
      const nodes = { ...s.nodes };
      if (event.error.node) nodes[event.error.node] = { ...nodes[event.error.node], status: "error" };
      return { log, nodes };
    }
    case "run.finished": {
      // A node still "running" at the end never finished: it was interrupted or failed.
      const nodes = Object.fromEntries(
        Object.entries(s.nodes).map(([k, v]) => [k, v.status === "running" ? { status: event.status === "error" ? "error" : "done" } : v]),
      ) as Record<string, NodeState>;
      return { log, active: event.run, nodes, streaming: null };
    }
    default:
      return { log };
  }
}

function short(value: unknown, max = 140): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function appendLog(log: LogEntry[], event: RunEvent): LogEntry[] {
  const base = { at: event.at, type: event.type, namespace: "namespace" in event ? event.namespace : [] };
  const key = `${event.runId}:${event.seq}`;
  let entry: LogEntry;
  switch (event.type) {
    case "token": {
      // One line per streamed message, even when other events arrive between its tokens.
      const id = event.messageId ?? event.node;
      const prefix = `${event.runId}:tok:${id}:`;
      for (let i = log.length - 1; i >= Math.max(0, log.length - TOKEN_LOOKBACK); i--) {
        if (log[i]!.type === "token" && log[i]!.key.startsWith(prefix)) {
          const next = log.slice();
          next[i] = { ...log[i]!, summary: log[i]!.summary + event.text };
          return next;
        }
      }
      entry = { ...base, key: `${event.runId}:tok:${id}:${event.seq}`, node: event.node, summary: event.text, level: "info" };
      break;
    }
    case "run.created":
      entry = { ...base, key, node: null, summary: `run ${event.run.runId} created`, level: "info" };
      break;
    case "run.started":
      entry = { ...base, key, node: null, summary: `run started on ${event.run.graphId}`, level: "info" };
      break;
    case "node.started":
      entry = { ...base, key, node: event.node, summary: `started (step ${event.step})`, level: "info" };
      break;
    case "node.finished":
      entry = {
        ...base,
        key,
        node: event.node,
        summary: `finished${timed() ? ` in ${formatMs(event.durationMs)}` : ""} · update ${short(event.update, 100)}`,
        detail: event.update,
        level: "info",
      };
      break;
    case "values":
      entry = { ...base, key, node: null, summary: `values after step ${event.step}`, detail: event.values, level: "info" };
      break;
    case "checkpoint":
      entry = {
        ...base,
        key,
        node: event.checkpoint.nodes.join(", ") || null,
        summary: `checkpoint step ${event.checkpoint.step} (${event.checkpoint.source})`,
        level: "info",
      };
      break;
    case "interrupt":
      entry = { ...base, key, node: null, summary: `interrupt: ${short(event.interrupts.map((i) => i.value))}`, detail: event.interrupts as unknown as JsonValue, level: "warn" };
      break;
    case "custom":
      entry = { ...base, key, node: event.node, summary: `custom ${short(event.data)}`, detail: event.data, level: "info" };
      break;
    case "console":
      entry = { ...base, key, node: event.node, summary: event.line, level: event.stream === "stderr" ? "warn" : "info" };
      break;
    case "store.write":
      entry = { ...base, key, node: null, summary: `store ${storeWritesSummary(event.writes)}`, detail: event.writes as unknown as JsonValue, level: "info" };
      break;
    case "error":
      entry = {
        ...base,
        key,
        node: event.error.node,
        summary: `${event.error.className}: ${event.error.message}`,
        detail: event.error.stack ?? undefined,
        level: "error",
      };
      break;
    case "run.finished":
      entry = {
        ...base,
        key,
        node: null,
        summary: `run ${event.status}${event.run.cancelled ? " (cancelled)" : ""}${event.error ? ` — ${event.error.className}: ${event.error.message}` : ""}`,
        level: event.status === "error" ? "error" : "info",
      };
      break;
  }
  const next = log.length >= MAX_LOG ? log.slice(log.length - MAX_LOG + 1) : log.slice();
  next.push(entry);
  return next;
}

/** "put memories/ada/k1, delete prefs/x" */
function storeWritesSummary(writes: readonly StoreWriteInfo[]): string {
  return writes.map((w) => `${w.op} ${[...w.namespace, w.key].join("/")}`).join(", ");
}

/** Whether the source measures node durations (an Agent Server does not: its node events carry none). */
function timed(): boolean {
  return useSource.getState().info?.capabilities.timings?.available ?? true;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** What components read from the run store. */
export const runSelectors = {
  active: (s: RunState) => s.active,
  live: (s: RunState) => isLive(s.active),
  starting: (s: RunState) => s.starting,
  log: (s: RunState) => s.log,
  nodes: (s: RunState) => s.nodes,
  liveValues: (s: RunState) => s.liveValues,
  streaming: (s: RunState) => s.streaming,
  error: (s: RunState) => s.active?.error ?? null,
};

/** The run's status as one word, the same everywhere it is shown ("cancelled" rather than "interrupted (cancelled)"). */
export function runStatusLabel(run: RunInfo | null): string {
  if (!run) return "no run yet";
  if (run.cancelled) return "cancelled";
  return run.status;
}
