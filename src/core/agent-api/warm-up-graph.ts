// The graph the history warm-up (warm-up.ts) writes its synthetic thread with: a ReAct agent's shape
// (agent and tools nodes, a messages channel), built from the same copy of @langchain/langgraph as
// the project's graphs. A project's modules are loaded in their own loader namespace (see
// graphs/project-import.ts), so its LangGraph is a separate instance of the package, with functions
// of its own: warming Threadline's copy left the code a real page runs (getStateHistory, the
// channels, task ids) uncompiled, and a fresh server's first page paid for it.
import * as ourLangGraph from "@langchain/langgraph";
import type { GraphInfo } from "../../shared/graph";
import { ThreadlineError } from "../../shared/errors";
import { reducerKindsOf } from "../graphs/describe";
import { withCheckpointer, type InspectableGraph } from "../graphs/graph-shape";
import { lineOf } from "../graphs/langgraph-line";
import type { GraphSource } from "../threads/context";
import type { BaseCheckpointSaver } from "@langchain/langgraph";

export const WARM_UP_GRAPH_ID = "threadline-warm-up";

type LangGraphModule = Pick<typeof ourLangGraph, "StateGraph" | "MessagesAnnotation" | "START" | "END">;

/**
 * The agent/tools loop over `langgraph` (a project's own module, or Threadline's), compiled with
 * `checkpointer`. Its nodes never run: the warm-up writes each turn as a state update.
 */
export function warmUpGraph(langgraph: Record<string, unknown> | undefined, checkpointer: BaseCheckpointSaver): InspectableGraph {
  const { StateGraph, MessagesAnnotation, START, END } = (langgraph ?? ourLangGraph) as unknown as LangGraphModule;
  const route = (state: { messages: object[] }) => {
    const last = state.messages.at(-1) as { tool_calls?: unknown[] } | undefined;
    return last?.tool_calls?.length ? "tools" : END;
  };
  const builder = new StateGraph(MessagesAnnotation)
    .addNode("agent", () => ({ messages: [] }))
    .addNode("tools", () => ({ messages: [] }))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", route, ["tools", END])
    .addEdge("tools", "agent");
  return withCheckpointer(builder, checkpointer);
}

const INFO: GraphInfo = { id: WARM_UP_GRAPH_ID, title: "History warm-up", description: "A synthetic ReAct thread, in memory", source: "example" };

/** The warm-up's one graph as the engine's services read graphs: only what reading history asks for. */
export function warmUpGraphSource(graph: InspectableGraph): GraphSource {
  const own = (id: string) => {
    if (id !== WARM_UP_GRAPH_ID) throw new ThreadlineError("NOT_FOUND", `No graph "${id}" in the history warm-up`);
  };
  // Drawings and schemas are for the UI, which never reads the warm-up's private engine.
  const undescribed = (): never => {
    throw new ThreadlineError("INTERNAL", "the history warm-up's graph is not described");
  };
  return {
    list: () => [INFO],
    failures: () => [],
    get: (id) => (own(id), { info: INFO, graph }),
    drawing: undescribed,
    schemas: undescribed,
    reducerKinds: (id) => (own(id), reducerKindsOf(graph)),
    release: (id) => {
      own(id);
      const { version, overwrite } = lineOf(graph);
      return { version, overwrite };
    },
  };
}
