// What the thread, state and transfer services share: the database, the
// checkpointer, the graphs, the run manager, and where events go. The graph
// registry and the run manager sit above threads (see eslint/core-layers.js),
// so they are reached through the interfaces declared here.

import type Database from "better-sqlite3";
import type { ParsedArgs } from "../../shared/contract";
import type { EngineEvent } from "../../shared/events";
import type { GraphDrawing, GraphInfo, GraphLoadFailure, GraphSchemas, MissingEnvFile, ReducerKinds } from "../../shared/graph";
import type { ReleaseInfo } from "../../shared/langgraph-release";
import type { ConsoleLine, RunInfo } from "../../shared/types";
import type { CheckpointStore, Checkpoints } from "./checkpoint-store";
import type { GraphStateSnapshot } from "./snapshot";

/** A compiled graph, by the methods the engine calls; structural, since a project may bring its own LangGraph. */
export interface CompiledGraphLike {
  getState(config: object, options?: { subgraphs?: boolean }): Promise<unknown>;
  getStateHistory(
    config: object,
    options?: { limit?: number; before?: object; filter?: Record<string, unknown> },
  ): AsyncIterable<unknown>;
  updateState(config: object, values: unknown, asNode?: string): Promise<{ configurable?: Record<string, unknown> }>;
}

/** The graph registry (src/core/graphs/registry.ts) as the engine uses it. */
export interface GraphSource {
  list(): GraphInfo[];
  failures(): GraphLoadFailure[];
  /** langgraph.json's env file is missing (reported apart from the graphs, which load without it). */
  readonly missingEnv?: MissingEnvFile | null;
  /** NOT_FOUND for an unknown id; GRAPH_LOAD_FAILED for one that did not load. */
  get(id: string): { info: GraphInfo; graph: CompiledGraphLike | object };
  drawing(id: string): GraphDrawing;
  /** What is known now: for an Annotation whose types are still being read, the keys alone (`pending`). */
  schemas(id: string): GraphSchemas;
  /** The schemas once an Annotation's TypeScript types are read (or reading them failed or timed out). */
  waitSchemas?(id: string): Promise<GraphSchemas>;
  /** A subgraph's schemas from its Annotation's TypeScript types, once read; undefined when they are not read from types. */
  subgraphSchemas?(id: string, namespace: string): Promise<GraphSchemas | undefined>;
  reducerKinds(id: string): ReducerKinds;
  /** The LangGraph.js release the graph runs on (a project's own, or Threadline's). */
  release?(id: string): ReleaseInfo;
}

/**
 * The run manager (src/core/runs/run-manager.ts) as the engine uses it: the Inspector validates
 * arguments and delegates every `runs.*` call here; thread status asks `isBusy`. Runs and console
 * lines live in the tables of ../storage/runs-table.ts; ../runs/runs-store.ts admits runs (the
 * cross-process lock that the multitask strategies need) and recovers them after a crash.
 */
export interface RunManager {
  /** Starts (or enqueues) a run; CONFLICT on a busy thread under "reject"; NOT_FOUND for an unknown graph or checkpoint. */
  start(args: ParsedArgs<"runs.start">): Promise<RunInfo>;
  /** NOT_FOUND when unknown. */
  get(runId: string): RunInfo;
  /** Newest first. */
  list(threadId: string, page: { limit: number; offset: number }): RunInfo[];
  cancel(runId: string, action: "interrupt" | "rollback"): Promise<RunInfo>;
  /** Resolves when the run has ended, with its final state. */
  join(runId: string): Promise<RunInfo>;
  console(runId: string): ConsoleLine[];
  /** True while the thread has a pending or running run, in this or any process. */
  isBusy(threadId: string): boolean;
  /** Cancels the thread's active runs and waits for them (before a thread is deleted). */
  cancelThread?(threadId: string): Promise<void>;
  /** Cancels everything (engine shutdown). */
  close(): Promise<void>;
}

/** How the engine hands events to whoever listens (the transports). */
export type EmitEvent = (event: EngineEvent) => void;

export interface EngineContext {
  db: Database.Database;
  store: CheckpointStore;
  checkpoints: Checkpoints;
  graphs(): GraphSource;
  runs(): RunManager | undefined;
  emit: EmitEvent;
  now(): string;
}

export function asCompiled(graph: CompiledGraphLike | object): CompiledGraphLike {
  return graph as CompiledGraphLike;
}

export type { GraphStateSnapshot };
