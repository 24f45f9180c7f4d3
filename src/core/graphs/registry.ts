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
import { deriveSchemas, drawGraph, reducerKindsOf } from "./describe";
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
  ) {}

  static async create(options: GraphRegistryOptions): Promise<GraphRegistry> {
    const candidates: { info: GraphInfo; graph: unknown; factory?: GraphFactory }[] = [];
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
        const { build, ...info } = example;
        candidates.push({ info: { ...info, source: "example" }, graph: build() });
      }
    }

    const entries = new Map<string, Entry>();
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
    return new GraphRegistry(entries, failures, options, missingEnv);
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

  schemas(id: string): GraphSchemas {
    return this.entry(id).schemas;
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
