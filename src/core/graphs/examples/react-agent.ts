import type { BaseMessage } from "@langchain/core/messages";
import { END, MessagesZodMeta, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { registry } from "@langchain/langgraph/zod";
import { z } from "zod";
import { ScriptedChatModel } from "./scripted-model";
import { exampleTools } from "./tools";

// Zod state (rather than an Annotation) so the inspector can derive a real
// JSON schema for this graph's input.
export const ReactAgentState = z.object({
  messages: z
    .custom<BaseMessage[]>()
    // describe() before register(): zod returns a new schema from describe(), which the registry would not know.
    .describe("The conversation: the user's question, tool calls, tool results and the answer.")
    // Spread: zod's registry wants an object type with an index signature, which the SchemaMeta interface lacks.
    .register(registry, { ...MessagesZodMeta }),
});

export function buildReactAgent(options: { tokenDelayMs?: number } = {}) {
  const model = new ScriptedChatModel({ tokenDelayMs: options.tokenDelayMs }).bindTools(exampleTools);

  return new StateGraph(ReactAgentState)
    .addNode("agent", async (state, config) => ({ messages: [await model.invoke(state.messages, config)] }))
    .addNode("tools", new ToolNode(exampleTools))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent");
}

export const reactAgentExample = {
  id: "react-agent",
  title: "ReAct agent",
  description:
    "A tool-calling agent driven by a scripted chat model (no API key): it calls a weather tool and a calculator " +
    "one turn at a time, then streams its answer token by token. Ask for the weather in a city and/or a sum.",
  sampleInput: {
    messages: [{ role: "user", content: "What's the weather in Paris, and what is (12 + 3) * 7?" }],
  },
  build: () => buildReactAgent(),
};
