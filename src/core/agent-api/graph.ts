// The engine's side of the Agent Server API's graph resources: the drawing as LangGraph itself
// writes it (getGraphAsync(...).toJSON(), what langgraph dev answers: node classes, tool lists,
// schema nodes, `conditional` on every edge, xray), and a graph's subgraphs with their schemas.
import type { JsonObject } from "../../shared/encoding";
import type { ParsedArgs } from "../../shared/contract";
import type { GraphSchemas, JsonSchema } from "../../shared/graph";
import { deriveSchemas } from "../graphs/describe";
import { isCompiledGraph, type InspectableGraph } from "../graphs/graph-shape";
import { ThreadlineError } from "../../shared/errors";

interface Drawable {
  toJSON(): unknown;
}

/** LangGraph's drawable graph as JSON; `xray` as LangGraph takes it (true, or how many levels). */
export async function apiGraph(loaded: unknown, args: ParsedArgs<"graphs.apiGraph">): Promise<{ graph: JsonObject }> {
  const graph = compiled(loaded);
  const xray = args.xray === false ? undefined : args.xray;
  const drawable = (await graph.getGraphAsync({ ...(xray !== undefined ? { xray } : {}) })) as unknown as Drawable;
  // Through JSON: what LangGraph's toJSON leaves as class instances or undefined never reaches the wire.
  return { graph: JSON.parse(JSON.stringify(drawable.toJSON())) as JsonObject };
}

export interface SubgraphSchemas {
  state: JsonSchema | null;
  input: JsonSchema | null;
  output: JsonSchema | null;
}

/** The subgraphs under `namespace` (all levels with `recurse`), by namespace, each with its schemas. */
export async function apiSubgraphs(
  loaded: unknown,
  args: ParsedArgs<"graphs.apiSubgraphs">,
  /** An Annotation subgraph's schemas from its TypeScript types (the graph registry's type reader). */
  typed?: (namespace: string) => Promise<GraphSchemas | undefined>,
): Promise<{ subgraphs: Record<string, SubgraphSchemas> }> {
  const graph = compiled(loaded);
  const subgraphs: Record<string, SubgraphSchemas> = {};
  for await (const [namespace, subgraph] of graph.getSubgraphsAsync(args.namespace, args.recurse)) {
    const schemas = (await typed?.(namespace)) ?? deriveSchemas(subgraph as unknown as InspectableGraph);
    subgraphs[namespace] = { state: schemas.state ?? null, input: schemas.input ?? null, output: schemas.output ?? schemas.state ?? null };
  }
  return { subgraphs };
}

function compiled(graph: unknown): InspectableGraph {
  if (!isCompiledGraph(graph)) throw new ThreadlineError("INTERNAL", "the loaded graph is not a compiled LangGraph graph");
  return graph;
}
