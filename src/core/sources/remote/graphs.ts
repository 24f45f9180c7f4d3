// An Agent Server's assistants as the graphs to run and draw: one graph per graph id (the server's
// default assistant for it), drawn from getGraph with xray, its input form from getSchemas.
// Breakpoints are kept here, per connection: the server has no place for them, and every run
// started from here sends them as interrupt_before/after.
import type { Assistant } from "@langchain/langgraph-sdk";
import type { ParsedArgs } from "../../../shared/contract";
import { invalidArgument, notFound, ThreadlineError } from "../../../shared/errors";
import type { GraphDrawing, GraphInfo, GraphSchemas, JsonSchema } from "../../../shared/graph";
import type { Breakpoints, NodeSelection } from "../../../shared/types";
import type { SourcePart } from "../source";
import type { RemoteConnection } from "./connection";
import { toDrawing } from "./drawing";

const ASSISTANT_PAGE = 100;
/** How long the drawing waits for the input form's schemas before it goes without them. */
const SCHEMAS_TIMEOUT_MS = 10_000;

export class RemoteGraphs {
  private readonly breakpoints = new Map<string, Breakpoints>();
  private readonly drawings = new Map<string, GraphDrawing>();
  private readonly schemaCache = new Map<string, GraphSchemas>();
  /** The graph of each assistant listed so far. */
  private readonly graphOfAssistant = new Map<string, string>();

  constructor(private readonly connection: RemoteConnection) {}

  private async assistants(): Promise<Assistant[]> {
    const out: Assistant[] = [];
    for (let offset = 0; ; offset += ASSISTANT_PAGE) {
      const page = await this.connection.call(() => this.connection.client.assistants.search({ limit: ASSISTANT_PAGE, offset }));
      out.push(...page);
      for (const a of page) this.graphOfAssistant.set(a.assistant_id, a.graph_id);
      if (page.length < ASSISTANT_PAGE) return out;
    }
  }

  /** One graph per graph id: the assistant the server made for it (created_by system), else the first. */
  async list(): Promise<GraphInfo[]> {
    const byGraph = new Map<string, Assistant>();
    for (const a of await this.assistants()) {
      const known = byGraph.get(a.graph_id);
      if (!known || (a.metadata?.created_by === "system" && known.metadata?.created_by !== "system")) byGraph.set(a.graph_id, a);
    }
    return [...byGraph.values()].map((a) => ({
      id: a.graph_id,
      title: a.name && a.name !== a.graph_id ? `${a.graph_id} (${a.name})` : a.graph_id,
      description: typeof a.description === "string" ? a.description : "",
      source: "project" as const,
    }));
  }

  async drawing(graphId: string): Promise<GraphDrawing> {
    const known = this.drawings.get(graphId);
    if (known) return known;
    const drawing = toDrawing(await this.connection.call(() => this.connection.client.assistants.getGraph(graphId, { xray: true })));
    this.drawings.set(graphId, drawing);
    return drawing;
  }

  async get(graphId: string) {
    const graphs = await this.list();
    const graph = graphs.find((g) => g.id === graphId);
    if (!graph) throw notFound(`The Agent Server has no graph "${graphId}"`);
    const [drawing, schemas] = await Promise.all([this.drawing(graphId), this.schemas(graphId)]);
    // The server applies every update through the graph's reducers; it does not say which keys have one.
    return { graph, drawing, schemas, reducers: {} };
  }

  /**
   * The input form's schemas. Only a convenience: a server that fails to make them (langgraph dev
   * derives them from the graph's TypeScript types, and answers 500 when that fails or times out on
   * a busy machine) or takes longer than SCHEMAS_TIMEOUT_MS leaves the graph drawn and runnable, with
   * an empty input to fill in.
   */
  private async schemas(graphId: string): Promise<GraphSchemas> {
    const known = this.schemaCache.get(graphId);
    if (known) return known;
    try {
      const schemas = await this.connection.call(() =>
        this.connection.client.assistants.getSchemas(graphId, { signal: AbortSignal.timeout(SCHEMAS_TIMEOUT_MS) }),
      );
      const out: GraphSchemas = {
        ...(schemas.input_schema ? { input: schemas.input_schema as JsonSchema } : {}),
        ...(schemas.state_schema ? { state: schemas.state_schema as JsonSchema } : {}),
        ...(schemas.output_schema ? { output: schemas.output_schema as JsonSchema } : {}),
        ...(schemas.config_schema ? { config: schemas.config_schema as JsonSchema } : {}),
      };
      this.schemaCache.set(graphId, out);
      return out;
    } catch (error) {
      if (error instanceof ThreadlineError && error.code === "UNAVAILABLE" && /cannot reach|refused the API key/.test(error.message)) throw error;
      return {};
    }
  }

  /** The graph an assistant runs (a run names its assistant); the id itself when it is not listed. */
  async graphOf(assistantId: string): Promise<string> {
    if (!this.graphOfAssistant.has(assistantId)) await this.assistants().catch(() => []);
    return this.graphOfAssistant.get(assistantId) ?? assistantId;
  }

  breakpointsOf(graphId: string): Breakpoints {
    return this.breakpoints.get(graphId) ?? { graphId, before: [], after: [] };
  }

  private async setBreakpoints(args: ParsedArgs<"breakpoints.set">): Promise<Breakpoints> {
    const nodes = new Set((await this.drawing(args.graphId)).nodes.map((n) => n.id));
    const check = (field: string, selection: NodeSelection) => {
      if (selection === "*") return;
      const unknown = selection.filter((n) => !nodes.has(n));
      if (unknown.length > 0) {
        throw invalidArgument(`breakpoints.set: ${field}: graph "${args.graphId}" has no node ${unknown.map((n) => `"${n}"`).join(", ")}`);
      }
    };
    check("before", args.before);
    check("after", args.after);
    const breakpoints = { graphId: args.graphId, before: args.before, after: args.after };
    this.breakpoints.set(args.graphId, breakpoints);
    return breakpoints;
  }

  part(): SourcePart<"graphs"> {
    return {
      "graphs.list": async () => ({ graphs: await this.list(), failures: [] }),
      "graphs.get": (args) => this.get(args.graphId),
      "graphs.schemas": async (args) => {
        if (!(await this.list()).some((g) => g.id === args.graphId)) throw notFound(`The Agent Server has no graph "${args.graphId}"`);
        return this.schemas(args.graphId);
      },
      "graphs.reload": async () => {
        this.drawings.clear();
        this.schemaCache.clear();
        return { graphs: await this.list(), failures: [] };
      },
      "breakpoints.get": async (args) => {
        await this.drawing(args.graphId);
        return this.breakpointsOf(args.graphId);
      },
      "breakpoints.set": (args) => this.setBreakpoints(args),
    };
  }
}
