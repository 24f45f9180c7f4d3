import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { ThreadlineError } from "../../shared/errors";
import type {
  GraphDrawing,
  GraphInfo,
  GraphLoadFailure,
  GraphSchemas,
  MissingEnvFile,
  ReducerKinds,
} from "../../shared/graph";
import { existsSync } from "node:fs";
import path from "node:path";
import { annotationKeys, deriveSchemas, drawGraph, reducerKindsOf } from "./describe";
import { TypeSchemaService, type TypedOutcome, type TypeSchemaOptions } from "./type-schemas/service";
import type { ExtractRequest } from "./type-schemas/types";
import { EXAMPLE_GRAPHS } from "./examples";
import { type InspectableGraph, withCheckpointer } from "./graph-shape";
import { callFactory, loadProject, type GraphFactory } from "./project";
import { lineOf } from "./langgraph-line";
import type { ReleaseInfo } from "../../shared/langgraph-release";

export interface GraphRegistryOptions {
  checkpointer: BaseCheckpointSaver;
  /** Given to every graph, as `langgraph dev` gives its store (config.store, getStore(), runtime.store). */
  store?: object;
  /** A folder with a langgraph.json. */
  projectDir?: string;
  /** The built-in examples: by default only when no project is open (a project's graphs are the graphs). */
  includeExamples?: boolean;
  /** Problems found beside the graphs (the store's configuration), listed with the load failures. */
  problems?: GraphLoadFailure[];
  /** Reading Annotation state's TypeScript types (type-schemas/); without it their schemas are the keys alone. */
  typeSchemas?: TypeSchemaOptions;
}

export interface RegisteredGraph {
  info: GraphInfo;
  /** Compiled, with the registry's checkpointer. */
  graph: InspectableGraph;
}

interface Entry extends RegisteredGraph {
  factory?: GraphFactory;
  drawing: GraphDrawing;
  schemas: GraphSchemas;
  reducerKinds: ReducerKinds;
}

/**
 * The graphs one engine can run: the built-in examples and a project's
 * graphs, each compiled with Threadline's checkpointer and described once at
 * load (drawing, schemas, reducers), since a loaded module never changes: an
 * edited project gets a new engine.
 */
export class GraphRegistry {
  private constructor(
    private readonly entries: Map<string, Entry>,
    private readonly loadFailures: GraphLoadFailure[],
    private readonly options: GraphRegistryOptions,
    readonly missingEnv: MissingEnvFile | null,
    private readonly typed: TypeSchemaService | null,
  ) {}

  static async create(options: GraphRegistryOptions): Promise<GraphRegistry> {
    const candidates: { info: GraphInfo; graph: unknown; factory?: GraphFactory; typeSource?: string }[] = [];
    const failures: GraphLoadFailure[] = [...(options.problems ?? [])];
    let missingEnv: MissingEnvFile | null = null;

    if (options.projectDir !== undefined) {
      const project = await loadProject(options.projectDir);
      candidates.push(...project.graphs);
      failures.push(...project.failures);
      missingEnv = project.missingEnv ?? null;
    }
    if (options.includeExamples ?? options.projectDir === undefined) {
      // A project graph keeps its id when an example has the same one.
      const taken = new Set([...candidates.map((c) => c.info.id), ...failures.map((f) => f.id)]);
      for (const example of EXAMPLE_GRAPHS) {
        if (taken.has(example.id)) continue;
        const { build, typeSource, ...info } = example;
        candidates.push({ info: { ...info, source: "example" }, graph: build(), ...(typeSource ? { typeSource } : {}) });
      }
    }

    const entries = new Map<string, Entry>();
    const typeRequest: ExtractRequest = { graphs: [] };
    for (const candidate of candidates) {
      try {
        const graph = withCheckpointer(candidate.graph, options.checkpointer, options.store);
        entries.set(candidate.info.id, {
          info: candidate.info,
          graph,
          ...(candidate.factory ? { factory: candidate.factory } : {}),
          drawing: await drawGraph(graph),
          schemas: deriveSchemas(graph),
          reducerKinds: reducerKindsOf(graph),
        });
        const file = candidate.info.file ?? candidate.typeSource;
        if (file && existsSync(file)) typeRequest.graphs.push(...(await typeTargets(candidate.info.id, graph, path.resolve(file))));
      } catch (error) {
        // compile() validates the graph (unreachable nodes, unknown edge targets): the user's mistake, with their stack.
        failures.push({
          id: candidate.info.id,
          file: candidate.info.file ?? "",
          message: `${candidate.info.id} could not be compiled: ${error instanceof Error ? error.message : String(error)}`,
          ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
        });
      }
    }
    const typed = options.typeSchemas && typeRequest.graphs.length > 0 ? new TypeSchemaService(typeRequest, options.typeSchemas) : null;
    return new GraphRegistry(entries, failures, options, missingEnv, typed);
  }

  list(): GraphInfo[] {
    return [...this.entries.values()].map((entry) => entry.info);
  }

  failures(): GraphLoadFailure[] {
    return [...this.loadFailures];
  }

  /** NOT_FOUND for an unknown id; GRAPH_LOAD_FAILED, with the reason, for a graph that did not load. */
  get(id: string): RegisteredGraph {
    const { info, graph } = this.entry(id);
    return { info, graph };
  }

  /**
   * The graph a run uses: a factory export is called again with the run's config, as `langgraph
   * dev` does for every run, and gets the checkpointer and store; any other graph is the one loaded.
   */
  async forRun(id: string, config: Record<string, unknown>, context?: unknown): Promise<InspectableGraph> {
    const entry = this.entry(id);
    if (!entry.factory) return entry.graph;
    const label = `Graph "${id}"'s factory (${entry.info.file ?? id})`;
    try {
      const produced = await callFactory(entry.factory, label, config, {
        accessContext: "threads.create_run",
        executionRuntime: { context },
      });
      return withCheckpointer(produced, this.options.checkpointer, this.options.store);
    } catch (error) {
      throw new ThreadlineError("GRAPH_LOAD_FAILED", error instanceof Error ? error.message : String(error));
    }
  }

  drawing(id: string): GraphDrawing {
    return this.entry(id).drawing;
  }

  /** What is known now; for an Annotation, starts reading its types and says `pending` until they are read. */
  schemas(id: string): GraphSchemas {
    const { schemas } = this.entry(id);
    if (!this.typed?.has(id)) return schemas;
    return withTypes(schemas, this.typed.current(id));
  }

  /** The schemas once an Annotation's types are read, or reading them failed or timed out. */
  async waitSchemas(id: string): Promise<GraphSchemas> {
    const { schemas } = this.entry(id);
    if (!this.typed?.has(id)) return schemas;
    return withTypes(schemas, await this.typed.wait(id));
  }

  /** A subgraph's schemas from its Annotation's types (waiting for them); undefined when they are not read from types. */
  async subgraphSchemas(id: string, namespace: string): Promise<GraphSchemas | undefined> {
    const key = subgraphKey(id, namespace);
    if (!this.typed?.has(key)) return undefined;
    const outcome = await this.typed.wait(key);
    return outcome.status === "done" ? outcome.schemas : undefined;
  }

  /** How many type extractions ran (a disk cache hit runs none); for tests. */
  get typeExtractions(): number {
    return this.typed?.extractions ?? 0;
  }

  close(): void {
    this.typed?.close();
  }

  reducerKinds(id: string): ReducerKinds {
    return this.entry(id).reducerKinds;
  }

  release(id: string): ReleaseInfo {
    const { version, overwrite } = lineOf(this.entry(id).graph);
    return { version, overwrite };
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (entry) return entry;
    const failure = this.loadFailures.find((f) => f.id === id);
    if (failure) throw new ThreadlineError("GRAPH_LOAD_FAILED", `Graph "${id}" did not load: ${failure.message}`);
    const known = [...this.entries.keys()];
    throw new ThreadlineError(
      "NOT_FOUND",
      `No graph "${id}"${known.length > 0 ? ` (graphs: ${known.join(", ")})` : ""}`,
    );
  }
}

function withTypes(keysOnly: GraphSchemas, outcome: TypedOutcome): GraphSchemas {
  if (outcome.status === "pending") return { ...keysOnly, pending: true };
  if (outcome.status === "failed") return { ...keysOnly, problem: outcome.message };
  return { ...keysOnly, ...outcome.schemas };
}

const subgraphKey = (graphId: string, namespace: string) => `${graphId}|${namespace}`;

/**
 * What the type reader is asked for a graph: its own Annotation keys, and its subgraphs' (under
 * "graph|namespace"), all read from the graph's file and what it imports.
 */
async function typeTargets(graphId: string, graph: InspectableGraph, file: string): Promise<ExtractRequest["graphs"]> {
  const targets: ExtractRequest["graphs"] = [];
  const keys = annotationKeys(graph);
  if (keys) targets.push({ id: graphId, file, keys });
  const listing = (graph as Partial<Pick<InspectableGraph, "getSubgraphsAsync">>).getSubgraphsAsync?.(undefined, true);
  for await (const [namespace, subgraph] of listing ?? []) {
    const subgraphKeys = annotationKeys(subgraph as unknown as InspectableGraph);
    if (subgraphKeys) targets.push({ id: subgraphKey(graphId, namespace), file, keys: subgraphKeys });
  }
  return targets;
}
