// Graph descriptions shared by the engine and the UI. Plain data only: these
// values cross process boundaries as JSON.

export type GraphSource = "example" | "project";

export interface GraphInfo {
  /** The key in langgraph.json's "graphs", or the example's name. */
  id: string;
  title: string;
  description: string;
  source: GraphSource;
  /** Absolute path of the module the graph was loaded from (projects only). */
  file?: string;
  /** The export that held the graph; absent for a default export. */
  exportName?: string;
  /** A ready-to-run input (built-in examples), plain JSON. */
  sampleInput?: unknown;
  /** The project's own @langchain/langgraph release the graph runs on (projects only), e.g. "0.2.74". */
  langgraphVersion?: string;
}

export type GraphNodeKind = "start" | "end" | "node";

export interface GraphDrawingNode {
  /** Unique within its drawing; for a subgraph's nodes, unique within that subgraph. */
  id: string;
  label: string;
  kind?: GraphNodeKind;
  /** Present when this node is a compiled graph itself. */
  subgraph?: GraphDrawing;
}

export interface GraphDrawingEdge {
  source: string;
  target: string;
  /** True when the edge is taken only on some runs (a router, a Send, a Command goto). */
  conditional: boolean;
  label?: string;
}

export interface GraphDrawing {
  nodes: GraphDrawingNode[];
  edges: GraphDrawingEdge[];
}

/** langgraph.json's `env` names a file that is not there; the graphs load without it. */
export interface MissingEnvFile {
  file: string;
  message: string;
}

export interface GraphLoadFailure {
  /** The graph id from langgraph.json, or "langgraph.json" when the file itself is bad. */
  id: string;
  /** The file at fault: the graph's module, or langgraph.json. */
  file: string;
  message: string;
  /** The user's stack (source-mapped by the loader) when their code threw. */
  stack?: string;
}

export type JsonSchema = Record<string, unknown>;

/**
 * A graph's JSON schemas. zod and StateSchema state give them at once; an Annotation's come from the
 * project's TypeScript types, read in the background: until then `input`/`state` hold the keys alone
 * (`{}` each) and `pending` is set; `graphs.schemas` answers once they are read.
 */
export interface GraphSchemas {
  input?: JsonSchema;
  state?: JsonSchema;
  /** What a run returns (LangGraph's output schema), where it is known apart from the state. */
  output?: JsonSchema;
  /** The graph's `configurable` (an Annotation config schema). */
  config?: JsonSchema;
  /** The TypeScript types are still being read: the schemas above are the keys alone. */
  pending?: boolean;
  /** Why the TypeScript types could not be read: the schemas above are the keys alone. */
  problem?: string;
}

/**
 * How an update to a state key is applied: "reducer" keys combine the update
 * with the current value (append, merge), "replace" keys take the new value.
 */
export type ReducerKind = "reducer" | "replace";

export type ReducerKinds = Record<string, ReducerKind>;
