// Real graph runs checkpointed by LangGraph.js's own PostgresSaver (@langchain/langgraph-checkpoint-
// postgres, JSON values), in a schema of its own (its `schema` option): a chat that grows over
// three turns, a human-in-the-loop graph paused at interrupt(), and a parent graph whose node is a
// subgraph with its own checkpointer namespace.

import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { Annotation, interrupt, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

export const JS_THREADS = { chat: "js-chat", paused: "js-paused", nested: "js-nested" } as const;

export async function writeJsRuns(connectionString: string, schema: string): Promise<PostgresSaver> {
  const saver = PostgresSaver.fromConnString(connectionString, { schema });
  await saver.setup();

  const chat = new StateGraph(MessagesAnnotation)
    .addNode("agent", (state) => ({ messages: [new AIMessage(`reply ${state.messages.length}`)] }))
    .addEdge(START, "agent")
    .compile({ checkpointer: saver });
  for (const text of ["hello", "tell me more", "thanks"]) {
    await chat.invoke({ messages: [new HumanMessage(text)] }, { configurable: { thread_id: JS_THREADS.chat } });
  }

  const Approval = Annotation.Root({ request: Annotation<string>, decision: Annotation<string> });
  const paused = new StateGraph(Approval)
    .addNode("ask", (state) => ({ decision: interrupt({ question: `approve ${state.request}?` }) as string }))
    .addEdge(START, "ask")
    .compile({ checkpointer: saver });
  await paused.invoke({ request: "refund 42" }, { configurable: { thread_id: JS_THREADS.paused } });

  const inner = new StateGraph(MessagesAnnotation)
    .addNode("inner_step", () => ({ messages: [new AIMessage("from the subgraph")] }))
    .addEdge(START, "inner_step")
    .compile();
  const outer = new StateGraph(MessagesAnnotation)
    .addNode("sub", inner)
    .addEdge(START, "sub")
    .compile({ checkpointer: saver });
  await outer.invoke({ messages: [new HumanMessage("go")] }, { configurable: { thread_id: JS_THREADS.nested } });
  return saver;
}
