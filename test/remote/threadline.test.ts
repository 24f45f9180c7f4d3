// The remote source against `threadline serve` itself (in this process: its HTTP app over a worker
// engine with the built-in examples), with the key the server printed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "../../src/server/serve";
import { describeRemoteFlows } from "./flows";

describeRemoteFlows(
  "threadline serve",
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "threadline-remote-"));
    const server = await startServer({ dbFile: path.join(dir, "threads.db"), port: 0 });
    return {
      url: server.url,
      apiKey: server.token,
      stop: async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { agent: "react-agent", review: "human-in-the-loop", fanOut: "fan-out" },
);
