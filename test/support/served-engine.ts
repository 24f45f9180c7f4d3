// Browser mode in-process, over the real engine (the default engine the worker runs: database,
// example graphs, run manager), reached through createHttpApp's fetch: both APIs with their checks,
// without a process or a worker. For tests that send hostile requests to every route.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createEngine } from "../../src/core/worker/default-engine";
import type { Engine } from "../../src/core/worker/protocol";
import { engineError } from "../../src/core/inspector";
import { dispatch, type EngineServer } from "../../src/shared/contract";
import { ThreadlineError } from "../../src/shared/errors";
import type { EngineEvent, EventListener } from "../../src/shared/events";
import { createHttpApp } from "../../src/server/http";

const PORT = 4321;
export const TOKEN = "served-engine-token";

export interface ServedEngine {
  app: ReturnType<typeof createHttpApp>;
  request(method: string, urlPath: string, body?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function openServedEngine(): Promise<ServedEngine> {
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-served-"));
  const listeners = new Set<EventListener>();
  const engine: Engine = await createEngine(
    { dbFile: path.join(dir, "threads.db"), projectDir: null, owner: `${process.pid}:served`, deadOwners: [], restartReason: null },
    (event: EngineEvent) => listeners.forEach((l) => l(event)),
  );
  const endpoint = {
    // As the worker does: arguments and results cross JSON, errors cross as {code, message}.
    async invoke(name: string, args: unknown) {
      try {
        const result = await dispatch(engine.server as EngineServer, name, JSON.parse(JSON.stringify(args ?? {})), engineError);
        return result === undefined ? undefined : (JSON.parse(JSON.stringify(result)) as unknown);
      } catch (error) {
        throw ThreadlineError.fromWire(ThreadlineError.from(error).toWire());
      }
    },
    onEvent(listener: EventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const app = createHttpApp({ engine: endpoint as never, security: { token: TOKEN, port: () => PORT, allowOrigins: [] } });
  return {
    app,
    request: async (method, urlPath, body) =>
      app.fetch(
        new Request(`http://127.0.0.1:${PORT}${urlPath}`, {
          method,
          headers: { host: `127.0.0.1:${PORT}`, "x-api-key": TOKEN, "content-type": "application/json" },
          ...(body !== undefined && method !== "GET" && method !== "HEAD" ? { body } : {}),
        }),
      ),
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
