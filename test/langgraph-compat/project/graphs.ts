// The built-in examples as a LangGraph project, so that `langgraph dev` and
// `threadline serve --project` run the very same graphs. Uncompiled: each
// server compiles them with its own checkpointer.
import { buildFanOut, buildHumanInTheLoop, buildReactAgent } from "../../../src/core/graphs/examples";

export const reactAgent = buildReactAgent();
export const humanInTheLoop = buildHumanInTheLoop();
export const fanOut = buildFanOut();
// A memory graph (LangGraph's store, shared across threads), the same one the fixture project runs.
export { graph as memory } from "../../fixtures/projects/memory/src/memory";

