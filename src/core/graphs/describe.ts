import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { z } from "zod";
import type {
  GraphDrawing,
  GraphDrawingNode,
  GraphSchemas,
  JsonSchema,
  ReducerKind,
  ReducerKinds,
} from "../../shared/graph";
import type { InspectableGraph } from "./graph-shape";
import { MESSAGES_SCHEMA } from "./type-schemas/message-schema";
import type { KeySets } from "./type-schemas/types";

// What the UI shows about a graph besides running it: its drawing, its
// input/state schemas and how each state key takes updates. Everything here
// reads LangGraph internals by name (the builder's `_schema*` fields, channel
// `lc_graph_name`), because the graph may come from another copy of
// LangGraph than Threadline's and only its shape can be relied on.

const START_ID = "__start__";
const END_ID = "__end__";

interface DrawableGraph {
  nodes: Record<string, { id: string; name?: string }>;
  edges: { source: string; target: string; conditional?: boolean; data?: unknown }[];
}

/**
 * The graph's nodes and edges, each subgraph nested under the node that runs
 * it (rather than LangGraph's xray flattening into "parent:child" ids), so
 * the UI can expand and collapse it.
 */
export async function drawGraph(graph: InspectableGraph): Promise<GraphDrawing> {
  // The earliest 0.2 releases have only the synchronous getGraph, and no subgraphs to list.
  const early = graph as Partial<Pick<InspectableGraph, "getGraphAsync" | "getSubgraphsAsync">> & { getGraph(): unknown };
  const drawable = (early.getGraphAsync ? await early.getGraphAsync({}) : early.getGraph()) as unknown as DrawableGraph;
  const subgraphs = new Map<string, InspectableGraph>();
  for await (const [name, subgraph] of early.getSubgraphsAsync?.() ?? []) {
    subgraphs.set(name, subgraph as unknown as InspectableGraph);
  }

  const nodes: GraphDrawingNode[] = [];
  for (const node of Object.values(drawable.nodes)) {
    const kind = node.id === START_ID ? "start" : node.id === END_ID ? "end" : "node";
    const subgraph = subgraphs.get(node.id);
    nodes.push({
      id: node.id,
      label: node.name ?? node.id,
      kind,
      ...(subgraph ? { subgraph: await drawGraph(subgraph) } : {}),
    });
  }
  const edges = drawable.edges.map((edge) => ({
    source: edge.source,
    target: edge.target,
    conditional: edge.conditional === true,
    ...(typeof edge.data === "string" && edge.data !== "" ? { label: edge.data } : {}),
  }));
  return { nodes, edges };
}

interface BuilderInternals {
  _schemaDefinition?: Record<string, unknown>;
  _inputDefinition?: Record<string, unknown>;
  _outputDefinition?: Record<string, unknown>;
  _configSchema?: Record<string, unknown>;
  _schemaRuntimeDefinition?: unknown;
  _inputRuntimeDefinition?: unknown;
  _metaRegistry?: { get(schema: unknown): { jsonSchemaExtra?: Record<string, unknown> } | undefined };
}

function builderOf(graph: InspectableGraph): BuilderInternals | undefined {
  const builder = (graph as unknown as { builder?: unknown }).builder;
  return typeof builder === "object" && builder !== null ? (builder as BuilderInternals) : undefined;
}

function isStateSchema(value: unknown): value is { getJsonSchema(): JsonSchema; getInputJsonSchema(): JsonSchema } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getJsonSchema?: unknown }).getJsonSchema === "function" &&
    typeof (value as { getInputJsonSchema?: unknown }).getInputJsonSchema === "function"
  );
}

type ZodObjectLike = { shape: Record<string, unknown> };

function isZodObject(value: unknown): value is ZodObjectLike {
  return (
    typeof value === "object" &&
    value !== null &&
    ("_zod" in value || "_def" in value) &&
    typeof (value as { shape?: unknown }).shape === "object"
  );
}

/** Only the root of a schema should name its dialect; nested copies are noise. */
function withoutNestedDialect(schema: unknown, isRoot = true): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withoutNestedDialect(item, false));
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => isRoot || key !== "$schema")
      .map(([key, value]) => [key, withoutNestedDialect(value, false)]),
  );
}

function zodObjectToJsonSchema(
  schema: ZodObjectLike,
  io: "input" | "output",
  registry: BuilderInternals["_metaRegistry"],
): JsonSchema {
  let json: JsonSchema;
  if ("_zod" in schema) {
    // A field LangGraph can only type as z.custom (messages) becomes {} rather than failing the whole schema.
    json = z.toJSONSchema(schema as unknown as z.ZodType, { unrepresentable: "any", io }) as JsonSchema;
  } else {
    json = toJsonSchema(schema as never) as JsonSchema;
  }
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (properties && registry) {
    for (const [key, field] of Object.entries(schema.shape)) {
      const extra = registry.get(field)?.jsonSchemaExtra;
      if (extra && properties[key]) properties[key] = { ...properties[key], ...extra };
      // zod can only say "any" for LangChain messages: give them the shape a form can fill in.
      const property = properties[key];
      if (property?.langgraph_type === "messages" && property.type === undefined) properties[key] = { ...MESSAGES_SCHEMA, ...property };
    }
  }
  return json;
}

function keysOnly(definition: Record<string, unknown> | undefined): JsonSchema | undefined {
  if (!definition) return undefined;
  return { type: "object", properties: Object.fromEntries(Object.keys(definition).map((key) => [key, {}])) };
}

/** An input schema in which every key may be left out, as LangGraph accepts a partial update as input. */
function asPartial(schema: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = schema;
  return rest;
}

/**
 * The JSON schemas of the graph's input and state: full schemas for zod and
 * StateSchema state, the keys alone for an Annotation (its types exist only at
 * compile time).
 */
export function deriveSchemas(graph: InspectableGraph): GraphSchemas {
  const builder = builderOf(graph);
  if (!builder) return {};
  const stateRuntime = builder._schemaRuntimeDefinition;
  const inputRuntime = builder._inputRuntimeDefinition;
  const registry = builder._metaRegistry;

  const attempt = (derive: () => JsonSchema | undefined, fallback: JsonSchema | undefined) => {
    try {
      const schema = derive();
      return schema ? (withoutNestedDialect(schema) as JsonSchema) : fallback;
    } catch {
      return fallback;
    }
  };

  const state = attempt(() => {
    if (isStateSchema(stateRuntime)) return stateRuntime.getJsonSchema();
    if (isZodObject(stateRuntime)) return zodObjectToJsonSchema(stateRuntime, "output", registry);
    return undefined;
  }, keysOnly(builder._schemaDefinition));

  const input = attempt(
    () => {
      if (isStateSchema(inputRuntime)) return inputRuntime.getJsonSchema();
      if (isZodObject(inputRuntime)) return zodObjectToJsonSchema(inputRuntime, "input", registry);
      // No input schema of its own: the graph takes any part of its state.
      if (isStateSchema(stateRuntime)) return stateRuntime.getInputJsonSchema();
      if (isZodObject(stateRuntime)) return asPartial(zodObjectToJsonSchema(stateRuntime, "input", registry));
      return undefined;
    },
    keysOnly(builder._inputDefinition ?? builder._schemaDefinition),
  );

  return { ...(input ? { input } : {}), ...(state ? { state } : {}) };
}

// Channels whose update is combined with the current value. Anything else a
// state key can be (LastValue, AnyValue, EphemeralValue, UntrackedValue)
// takes the new value as is.
const REDUCING_CHANNELS = new Set(["BinaryOperatorAggregate", "Topic", "DeltaChannel"]);

function isInternalChannel(name: string): boolean {
  return name.startsWith("__") || name.includes(":");
}

/** For each state key, whether an update is reduced into it (append, merge) or replaces it. */
export function reducerKindsOf(graph: InspectableGraph): ReducerKinds {
  const channels = (graph as unknown as { channels?: Record<string, { lc_graph_name?: string }> }).channels ?? {};
  const stateKeys = Object.keys(builderOf(graph)?._schemaDefinition ?? channels).filter(
    (key) => !isInternalChannel(key),
  );
  const kinds: ReducerKinds = {};
  for (const key of stateKeys) {
    const channelName = channels[key]?.lc_graph_name;
    const kind: ReducerKind = channelName !== undefined && REDUCING_CHANNELS.has(channelName) ? "reducer" : "replace";
    kinds[key] = kind;
  }
  return kinds;
}

/**
 * The keys of an Annotation-based graph's state, input, output and config, for reading their types
 * from the project's source (type-schemas/); undefined for zod and StateSchema state, whose
 * schemas exist at runtime. Keys whose reducer is LangGraph's messages reducer are named apart.
 */
export function annotationKeys(graph: InspectableGraph): KeySets | undefined {
  const builder = builderOf(graph);
  if (!builder?._schemaDefinition) return undefined;
  // zod or StateSchema state has a runtime definition (the input's may be LangGraph's "partial state" symbol).
  const runtime = (value: unknown) => typeof value === "object" && value !== null;
  if (runtime(builder._schemaRuntimeDefinition) || runtime(builder._inputRuntimeDefinition)) return undefined;
  const keys = (definition: Record<string, unknown> | undefined) =>
    definition ? Object.keys(definition).filter((key) => !isInternalChannel(key)) : undefined;
  const channels = (graph as unknown as { channels?: Record<string, { operator?: { name?: string } }> }).channels ?? {};
  const state = keys(builder._schemaDefinition) ?? [];
  const input = keys(builder._inputDefinition);
  const output = keys(builder._outputDefinition);
  return {
    state,
    ...(input ? { input } : {}),
    ...(output ? { output } : {}),
    config: keys(builder._configSchema) ?? [],
    messages: state.filter((key) => channels[key]?.operator?.name === "messagesStateReducer"),
  };
}
