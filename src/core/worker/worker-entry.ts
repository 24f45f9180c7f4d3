// The engine's worker thread: opens the database and the graphs (through the
// engine module), validates each call's arguments with the contract's zod
// schema, and forwards events. The user's code runs here, so this file also
// keeps that code from ending the engine: an uncaught exception, an
// unhandled rejection or a process.exit() inside a run ends that run with an
// error (attributed through runScope), and console output becomes the run's.

import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { dispatch, isCallName, type EngineServer } from "../../shared/contract";
import { ThreadlineError } from "../../shared/errors";
import { engineError } from "../inspector";
import type { EngineEvent } from "../../shared/events";
import { installConsoleCapture } from "../runs/console-capture";
import { currentNode, runScope } from "../runs/run-scope";
import { ProcessExitError, toUserError } from "../runs/user-error";
import { createEngine as createDefaultEngine } from "./default-engine";
import type { CreateEngine, Engine, HostMessage, WorkerInit, WorkerMessage } from "./protocol";
import { ValuesDeltaEncoder } from "./values-delta";
import { IdleCollector } from "./idle-collector";
import { adoptActivityClock } from "./process-activity";

if (isMainThread || !parentPort) throw new Error("worker-entry runs only as a worker thread (see EngineHost)");
const port = parentPort;
const init = workerData as WorkerInit;
adoptActivityClock(init.activity);
// Each answer and event is work done: the collector waits for quiet after it (idle-collector.ts).
const collector = new IdleCollector();
const post = (message: WorkerMessage) => {
  port.postMessage(message);
  if (message.type !== "pong") collector.touch();
};

process.setSourceMapsEnabled(true);
installConsoleCapture();
const engineLog = console.error.bind(console);

/** Errors that escaped the user's code: the run they belong to ends with them; outside any run they are logged. */
function onEscapedError(kind: string, error: unknown): void {
  const scope = runScope.getStore();
  if (scope) {
    scope.fail(toUserError(error, currentNode()));
    return;
  }
  engineLog(`[threadline engine] ${kind} outside any run:`, error);
}
process.on("uncaughtException", (error) => onEscapedError("uncaught exception", error));
process.on("unhandledRejection", (reason) => onEscapedError("unhandled rejection", reason));

// In a worker, process.exit() would end the whole engine (every run, the
// database); inside a run it ends only that run. Outside a run it still
// exits, and the host restarts the worker.
const realExit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  if (runScope.getStore()) throw new ProcessExitError(code, currentNode());
  return realExit(code as number | undefined);
}) as typeof process.exit;

let engine: Engine | undefined;
const deltas = new ValuesDeltaEncoder();

async function start(): Promise<void> {
  try {
    let createEngine: CreateEngine = createDefaultEngine;
    if (init.engineModule) {
      const module = (await import(init.engineModule)) as { createEngine?: CreateEngine };
      if (typeof module.createEngine !== "function") throw new Error(`${init.engineModule} does not export createEngine`);
      createEngine = module.createEngine;
    }
    engine = await createEngine(
      {
        dbFile: init.dbFile,
        projectDir: init.projectDir,
        examples: init.examples === true,
        owner: init.owner,
        deadOwners: init.deadOwners,
        restartReason: init.restartReason,
      },
      (event: EngineEvent) => {
        const { event: posted, delta } = deltas.encode(event);
        post({ type: "event", event: posted, ...(delta ? { valuesDelta: delta } : {}) });
      },
    );
    post({ type: "ready" });
  } catch (error) {
    post({ type: "fatal", error: ThreadlineError.from(error).toWire() });
  }
}

async function onCall(id: number, name: string, args: unknown, partial: boolean, local: boolean): Promise<void> {
  // A call is work from its start (a history page posts nothing for a while), not only once it answers.
  collector.touch();
  try {
    if (!engine) throw new ThreadlineError("UNAVAILABLE", "the engine is not ready");
    const server = engine.server;
    if (isCallName(name) && typeof server[name] !== "function") {
      throw new ThreadlineError("INVALID_ARGUMENT", `${name} is not served by this engine`);
    }
    const context = partial || local ? { ...(partial ? { partial: (value: unknown) => post({ type: "partial", id, value }) } : {}), ...(local ? { local } : {}) } : undefined;
    const result = await dispatch(server as EngineServer, name, args, engineError, context);
    post({ type: "result", id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    post({ type: "result", id, ok: false, error: ThreadlineError.from(error).toWire() });
  }
}

port.on("message", (message: HostMessage) => {
  if (message.type === "ping") post({ type: "pong" });
  else if (message.type === "call") void onCall(message.id, message.name, message.args, message.partial === true, message.local === true);
  else if (message.type === "recover") {
    try {
      engine?.recover?.(message.owners, message.reason);
      post({ type: "result", id: message.id, ok: true, result: null });
    } catch (error) {
      post({ type: "result", id: message.id, ok: false, error: ThreadlineError.from(error).toWire() });
    }
  } else if (message.type === "close") {
    void (async () => {
      try {
        await engine?.close();
      } finally {
        post({ type: "closed" });
      }
    })();
  }
});

void start();
