// The engine's domain types, as they cross the contract. Everything here is
// plain JSON: values from the user's graph are already encoded with
// encoding.ts (`Encoded`), so a transport only has to JSON.stringify.
//
// Names follow LangGraph's Agent Server (threads, state, history, runs) in
// camelCase; the REST adapter maps them to snake_case.

import type { JsonValue } from "./encoding";

/** A value encoded with encodeValue (tags for Dates, messages, bytes…). */
export type Encoded = JsonValue;

export type Metadata = Record<string, JsonValue>;

// ---------------------------------------------------------------------------
// threads

/**
 * As LangGraph's server computes it: busy while a run is active, interrupted
 * when the head checkpoint waits on an interrupt or a breakpoint, error when
 * the last run failed, otherwise idle.
 */
export const THREAD_STATUSES = ["idle", "busy", "interrupted", "error"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export interface ThreadInfo {
  threadId: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; the last checkpoint, run or metadata change. */
  updatedAt: string;
  metadata: Metadata;
  status: ThreadStatus;
  /** The graph that last ran on it (`metadata.graph_id`), if any. */
  graphId: string | null;
  /** The head checkpoint of the root namespace; null for a thread with no checkpoint yet. */
  headCheckpointId: string | null;
  /** Interrupts waiting at the head, for the interrupt panel (empty unless status is interrupted). */
  interrupts: InterruptInfo[];
  /** `metadata.title` when it is a string, else the first human message of its input, else its first input text ("topic: tidal energy"); null when none. */
  title: string | null;
  /** Checkpoints of the thread in every namespace; -1 where the source cannot tell without reading the whole history (an Agent Server). */
  checkpointCount: number;
}

// ---------------------------------------------------------------------------
// state

export interface CheckpointRef {
  threadId: string;
  /** "" for the root graph; "node:taskId|…" for a subgraph, as LangGraph writes it. */
  checkpointNs: string;
  checkpointId: string;
}

export interface InterruptInfo {
  id: string | null;
  value: Encoded;
}

/** An exception thrown by the user's code: data, kept with its stack. */
export interface UserError {
  node: string | null;
  className: string;
  message: string;
  /** Source-mapped where the loader could. */
  stack: string | null;
}

export interface TaskInfo {
  id: string;
  name: string;
  /** LangGraph's task path, e.g. ["__pregel_pull", "agent"]. */
  path: Encoded;
  error: UserError | null;
  interrupts: InterruptInfo[];
  /** For a task that runs a subgraph: where its state lives. */
  subgraph: { checkpointNs: string } | null;
  /** The task's own state snapshot, when asked for with `subgraphs: true`. */
  state: StateSnapshot | null;
  result: Encoded | null;
}

export interface PendingWrite {
  taskId: string;
  channel: string;
  value: Encoded;
}

export type CheckpointSource = "input" | "loop" | "update" | "fork";

export interface CheckpointMetadataInfo {
  source: CheckpointSource | string;
  step: number;
  /** The node(s) whose writes produced this checkpoint. */
  nodes: string[];
  /** Everything else LangGraph or the user put in the metadata (graph_id, run_id, …). */
  extra: Metadata;
  /** LangGraph's `parents` (the checkpoint of each enclosing graph, by namespace), when not empty. */
  parents?: Record<string, string>;
  /** What each node wrote, where the saver recorded it (older LangGraph, Python): encoded. */
  writes?: Encoded;
}

export interface StateSnapshot {
  values: Encoded;
  next: string[];
  tasks: TaskInfo[];
  metadata: CheckpointMetadataInfo | null;
  pendingWrites: PendingWrite[];
  /** Where this snapshot was read from; null for a thread with no checkpoint. */
  checkpoint: CheckpointRef | null;
  parent: CheckpointRef | null;
  /** ISO 8601. */
  createdAt: string | null;
  /** State keys whose list was cut to its newest elements (`state.get`'s `maxItems`); absent when none was. */
  slices?: Record<string, ListSlice>;
}

/** The part of a list value a snapshot holds: its elements from `start` on, of `total`. */
export interface ListSlice {
  start: number;
  total: number;
}

// ---------------------------------------------------------------------------
// history

export interface CheckpointSummary {
  checkpointId: string;
  checkpointNs: string;
  parentCheckpointId: string | null;
  step: number;
  source: CheckpointSource | string;
  /** The node(s) whose run produced it, sorted. */
  nodes: string[];
  /** ISO 8601 (the checkpoint's own ts). */
  createdAt: string;
  /** It has pending interrupt writes (an `interrupt()` is waiting there). */
  hasInterrupts: boolean;
  /** What the step wrote, in one line ("+1 AIMessage → tools", "outcome: sent"); empty when unknown. */
  changes?: string;
  /**
   * An update ("update"): the node its values were applied as. A fork ("fork", LangGraph's copy of
   * its parent that a replay starts from): the node(s) that wrote the copied checkpoint. Absent when unknown.
   */
  appliedAs?: string[];
}

export interface HistoryPage {
  /** Newest first. */
  items: CheckpointSummary[];
  /** Pass as `before` for the next (older) page; null at the first checkpoint. */
  nextBefore: string | null;
}

/**
 * Every checkpoint of a thread, all namespaces, oldest first; the tree is
 * given by `parentCheckpointId` (forks share a parent) and, for a subgraph
 * checkpoint, by the root checkpoint it ran under.
 */
export interface CheckpointTree {
  threadId: string;
  nodes: CheckpointTreeNode[];
}

export interface CheckpointTreeNode extends CheckpointSummary {
  /** For a subgraph checkpoint: the root checkpoint written by the step that ran it (its start while that step is unfinished). */
  parentRootCheckpointId: string | null;
}

// ---------------------------------------------------------------------------
// diff

export type DiffKind = "added" | "removed" | "changed";

/**
 * Object keys are strings, array positions numbers; an array element matched
 * by its `id` is `{id, index}` (index in `after`, or in `before` when removed).
 */
export type PathSegment = string | number | { id: string; index: number };

export interface DiffEntry {
  path: PathSegment[];
  kind: DiffKind;
  /** Absent when added. */
  before?: Encoded;
  /** Absent when removed. */
  after?: Encoded;
}

export interface DiffResult {
  /** Null when `to` is the first checkpoint: everything is added. */
  from: CheckpointRef | null;
  to: CheckpointRef;
  /** The entries of the window asked for (`offset`, `limit`), in document order. */
  entries: DiffEntry[];
  /** Entries in the whole diff, and how many of each kind. */
  total: number;
  counts: Record<DiffKind, number>;
}

export function formatPath(path: PathSegment[]): string {
  return path
    .map((seg, i) => {
      if (typeof seg === "number") return `[${seg}]`;
      if (typeof seg === "object") return `[id=${seg.id}]`;
      return /^[A-Za-z_$][\w$]*$/.test(seg) ? (i === 0 ? seg : `.${seg}`) : `[${JSON.stringify(seg)}]`;
    })
    .join("");
}

// ---------------------------------------------------------------------------
// runs

export const RUN_STATUSES = ["pending", "running", "success", "error", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const MULTITASK_STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];

/** A list of nodes, or "*" for every node. */
export type NodeSelection = string[] | "*";

export interface ConsoleLine {
  stream: "stdout" | "stderr";
  line: string;
  node: string | null;
  /** ISO 8601. */
  at: string;
}

export interface NodeTiming {
  node: string;
  taskId: string;
  checkpointNs: string;
  step: number;
  durationMs: number;
}

export interface RunInfo {
  runId: string;
  threadId: string;
  graphId: string;
  status: RunStatus;
  multitaskStrategy: MultitaskStrategy;
  /** ISO 8601. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The checkpoint it started from, when replaying. */
  checkpointId: string | null;
  /** True when it was cancelled (its status is then interrupted, as in LangGraph). */
  cancelled: boolean;
  nodeTimings: NodeTiming[];
  error: UserError | null;
  /** Run metadata given at start. */
  metadata: Metadata;
}

export interface Breakpoints {
  graphId: string;
  before: NodeSelection;
  after: NodeSelection;
}

// ---------------------------------------------------------------------------
// project

export interface ProjectInfo {
  /** The open project's folder, or null when only the built-in examples are loaded. */
  dir: string | null;
  /** The database file. */
  dbFile: string;
  /** Threadline's version. */
  version: string;
  /** This engine's id (a new one each start): /info names it, so that an engine never connects to itself. */
  instance?: string;
}

// ---------------------------------------------------------------------------
// export / import

export interface LangGraphImportResult {
  /** Which saver wrote the file: Python's (msgpack values) or JS's (JSON values). */
  flavour: string;
  threads: { sourceId: string; threadId: string; checkpoints: number; writes: number }[];
  /** Threads left out (already present under "skip", or undecodable), with the reason. */
  skipped: { threadId: string; reason: string }[];
}

export const THREAD_EXPORT_FORMAT = "threadline.thread";
export const THREAD_EXPORT_VERSION = 1;
