// The remote source against LangGraph's own `langgraph dev` (the JS server; the Python one cannot
// be installed here), over the compatibility project: a tool agent, an interrupt graph and a
// fan-out with a subgraph, the same graphs the built-in examples are.
import { startLangGraphDev } from "../langgraph-compat/servers";
import { describeRemoteFlows } from "./flows";

describeRemoteFlows(
  "langgraph dev",
  async () => {
    const server = await startLangGraphDev();
    // langgraph dev takes no key: none is sent.
    return { url: server.url, apiKey: null, stop: () => server.stop() };
  },
  { agent: "react-agent", review: "human-in-the-loop", fanOut: "fan-out" },
);
