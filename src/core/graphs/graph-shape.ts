import type { BaseCheckpointSaver, CompiledGraph } from "@langchain/langgraph";

// A project's graphs come from the project's own copy of @langchain/langgraph,
// so `instanceof` against Threadline's copy would fail: graphs are recognised
// by shape instead.

/** A compiled graph as the engine uses it (runs, state, history). */
export type InspectableGraph = CompiledGraph<string>;

/** An uncompiled graph builder such as StateGraph. */
export interface GraphBuilderLike {
  compile(options?: { checkpointer?: BaseCheckpointSaver; store?: object }): unknown;
}

const hasFunctions = (value: object, names: string[]) =>
  names.every((name) => typeof (value as Record<string, unknown>)[name] === "function");

export function isCompiledGraph(value: unknown): value is InspectableGraph {
  return (
    typeof value === "object" &&
    value !== null &&
    hasFunctions(value, ["invoke", "stream", "getState"]) &&
    // getGraphAsync from 0.2.x on; the first 0.2 releases have getGraph only.
    (hasFunctions(value, ["getGraphAsync"]) || hasFunctions(value, ["getGraph"])) &&
    typeof (value as { nodes?: unknown }).nodes === "object"
  );
}

export function isGraphBuilder(value: unknown): value is GraphBuilderLike {
  return typeof value === "object" && value !== null && hasFunctions(value, ["compile", "addNode", "addEdge"]);
}

/** What a value is, in words, for a message that says why it is not a graph. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `an instance of ${name}` : "a plain object";
  }
  if (typeof value === "function") return "a function";
  return `a ${typeof value}`;
}

/**
 * Gives the graph Threadline's checkpointer and store. A builder is compiled with them; a compiled
 * graph gets them assigned, as LangGraph's own server does, since recompiling would drop what the
 * user passed to compile() (interrupts, name). Subgraphs need nothing: a parent lends its
 * checkpointer and store to them through the run config.
 */
export function withCheckpointer(value: unknown, checkpointer: BaseCheckpointSaver, store?: object): InspectableGraph {
  if (isCompiledGraph(value)) {
    value.checkpointer = checkpointer;
    // As `langgraph dev`: the server's store replaces one given to compile().
    if (store) (value as { store?: unknown }).store = store;
    return value;
  }
  if (isGraphBuilder(value)) {
    const compiled = value.compile({ checkpointer, ...(store ? { store } : {}) });
    if (isCompiledGraph(compiled)) return compiled;
    throw new Error(`compile() returned ${describeValue(compiled)}, not a compiled graph`);
  }
  throw new Error(`${describeValue(value)} is not a LangGraph graph`);
}
