// A graph of its own file (langgraph dev reads each graph file's TypeScript types for its schemas,
// and this one must not change what it reads from graphs.ts). Uncompiled, like the others.
import { Annotation, StateGraph } from "@langchain/langgraph";

// Says what it was configured with: an assistant's config (configurable) and context reach the node.
const GreetingState = Annotation.Root({ said: Annotation<string> });
export const greeter = new StateGraph(GreetingState)
  .addNode("greet", (_state: unknown, config: { configurable?: { greeting?: string }; context?: { name?: string } }) => ({
    said: `${config.configurable?.greeting ?? "hi"} ${config.context?.name ?? "nobody"}`,
  }))
  .addEdge("__start__", "greet");
