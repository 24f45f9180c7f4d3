// What the thread, state and transfer services share: the database, the
// checkpointer, the graphs, and where events go.

import type Database from "better-sqlite3";
import type { GraphDrawing, GraphInfo, GraphLoadFailure,
  MissingEnvFile, GraphSchemas, ReducerKinds } from "../../shared/graph";
import type { EmitEvent, RunManager } from "../runs/types";
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
  schemas(id: string): GraphSchemas;
  reducerKinds(id: string): ReducerKinds;
}

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
