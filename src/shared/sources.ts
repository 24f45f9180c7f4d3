// What the UI learns about the source the inspector serves from (`source.info`): which kind it is,
// what to call it, and which of the things only some sources can do this one does, each disabled
// one with the reason to show. The calls a capability gates are marked in the contract (`needs`).

export const SOURCE_KINDS = [
  /** Threadline's own SQLite store and the LangGraph.js runner in the engine's worker. */
  "local",
  /** A LangGraph checkpoint store (SQLite or PostgreSQL saver) opened in place, read-only. */
  "store",
  /** A LangGraph Agent Server (`langgraph dev`, a deployment) over its REST API. */
  "remote",
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * What only some sources can do. Reading (threads, history pages, tree, state, diff, export) is not
 * here: every source answers it.
 */
export const CAPABILITIES = [
  /** The graphs to run and draw, and their breakpoints. */
  "graphs",
  /** Writes to threads: create, edit metadata, delete, copy, fork, update state. */
  "edits",
  /** Threads brought in from elsewhere: an exported thread, a LangGraph SQLite saver's file. */
  "imports",
  /** Starting, following and cancelling runs. */
  "runs",
  /** A run's per-node console output, which only the local runner captures. */
  "console",
  /** How long each node ran, which only the local runner measures. */
  "timings",
  /** New threads and checkpoints written by others show up without asking (`threads.changed`). */
  "live",
  /** LangGraph's store, the long-term memory shared by every thread: items, namespaces, search. */
  "memory",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type CapabilityState = { available: true } | { available: false; reason: string };

export interface SourceInfo {
  kind: SourceKind;
  /** What the UI calls it: a file path, a database or server address (never with a password or key). */
  label: string;
  capabilities: Record<Capability, CapabilityState>;
}

export const available: CapabilityState = { available: true };
export const unavailable = (reason: string): CapabilityState => ({ available: false, reason });
