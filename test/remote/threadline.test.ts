// The remote source against `threadline serve` itself, as its own process (a server refuses a connection
// from its own process: its answers would come from that very connection), over the compatibility project
// (the built-in examples' graphs), with the key the server printed.
import { startThreadline } from "../langgraph-compat/servers";
import { describeRemoteFlows } from "./flows";

describeRemoteFlows(
  "threadline serve",
  async () => {
    const server = await startThreadline();
    return { url: server.url, apiKey: server.apiKey, stop: () => server.stop() };
  },
  { agent: "react-agent", review: "human-in-the-loop", fanOut: "fan-out" },
);
