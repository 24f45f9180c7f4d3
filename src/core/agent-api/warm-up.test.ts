// The warm-up builds real pages over its own synthetic thread, in memory, and leaves nothing behind.
import * as ourLangGraph from "@langchain/langgraph";
import { warmUpHistory } from "./warm-up";
import { warmUpGraph } from "./warm-up-graph";
import { MemorySaver } from "@langchain/langgraph";

/** Threadline's LangGraph, with a StateGraph that counts the graphs built from it: a stand-in for a project's copy. */
function countingLangGraph() {
  const counter = { built: 0 };
  class StateGraph extends ourLangGraph.StateGraph<typeof ourLangGraph.MessagesAnnotation.spec> {
    constructor(...args: ConstructorParameters<typeof ourLangGraph.StateGraph<typeof ourLangGraph.MessagesAnnotation.spec>>) {
      super(...args);
      counter.built++;
    }
  }
  return { counter, module: { ...ourLangGraph, StateGraph } as Record<string, unknown> };
}

describe("warming up the history path", () => {
  it("builds a full page of LangGraph's JSON from a synthetic ReAct thread, handing it out in parts when asked", async () => {
    const parts: unknown[] = [];
    const { states } = await warmUpHistory({}, { partial: (part) => parts.push(part) });
    // With partial results, every state went out in a part and the result holds none.
    expect(states).toEqual([]);
    const handed = parts.flatMap((part) => (part as { states: { json: string }[] }).states);
    expect(handed).toHaveLength(50);
    // In parts of about 1 MB, not one message per state (each wakes the HTTP thread): this page is one part.
    expect(parts).toHaveLength(1);
    type State = { values: { messages: { type: string; id?: string }[] }; next: string[]; metadata: Record<string, unknown> };
    const [first, second] = handed.slice(0, 2).map((state) => JSON.parse(state.json) as State);
    // The newest state: the question, 30 agent/tool turns and the answer.
    expect(first!.values.messages).toHaveLength(62);
    expect(first!.values.messages.at(-1)).toMatchObject({ type: "ai", id: "warm-answer" });
    expect(first!.next).toEqual([]);
    // The one before waits for the agent; its metadata has the keys an Agent Server API run stores.
    expect(second!.values.messages.at(-1)!.type).toBe("tool");
    expect(second!.next).toEqual(["agent"]);
    expect(second!.metadata).toMatchObject({ graph_id: "threadline-warm-up", run_id: "warm-up-run", source: "update" });
  }, 60_000);

  it("builds its graph with the project's LangGraph when given one, whose code a real page runs", async () => {
    const { counter, module } = countingLangGraph();
    const { states } = await warmUpHistory({ langgraph: module });
    expect(counter.built).toBe(1);
    expect(states).toHaveLength(50);
  }, 60_000);

  it("falls back to Threadline's LangGraph when the project's cannot build the graph (no MessagesAnnotation)", async () => {
    const { MessagesAnnotation: _missing, ...older } = ourLangGraph;
    expect(() => warmUpGraph(older, new MemorySaver())).toThrow();
    const { states } = await warmUpHistory({ langgraph: older });
    expect(states).toHaveLength(50);
  }, 60_000);

  it("answers the whole page in its result without a partial callback", async () => {
    const { states } = await warmUpHistory();
    expect(states).toHaveLength(50);
  }, 60_000);
});
