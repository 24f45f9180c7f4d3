// The contract's runs.* calls served by a RunManager: what the Inspector (and
// a test engine) spread into their EngineServer.

import type { EngineServer } from "../../shared/contract";
import type { RunManager } from "../threads/context";

type RunCallName = "runs.start" | "runs.get" | "runs.list" | "runs.cancel" | "runs.join" | "runs.console";

export function runCalls(runs: RunManager): Pick<EngineServer, RunCallName> {
  return {
    "runs.start": (args) => runs.start(args),
    "runs.get": ({ runId }) => runs.get(runId),
    "runs.list": ({ threadId, limit, offset }) => runs.list(threadId, { limit, offset }),
    "runs.cancel": ({ runId, action }) => runs.cancel(runId, action),
    "runs.join": ({ runId }) => runs.join(runId),
    "runs.console": ({ runId }) => runs.console(runId),
  };
}
