// Starts browser mode: the engine's worker, and the HTTP transport on 127.0.0.1 only.
import { mkdirSync } from "node:fs";
import v8 from "node:v8";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { openEngine } from "../core/worker/open-engine";
import { warmUpServer } from "./agent-api";
import { createHttpApp, type EngineEndpoint } from "./http";
import { newToken, normaliseOrigin } from "./security";

export interface ServeOptions {
  dbFile: string;
  projectDir?: string | null;
  /** List the built-in examples although a project is open. */
  examples?: boolean;
  /** 0 picks a free port. */
  port?: number;
  allowOrigins?: string[];
  staticDir?: string | null;
  /** A token to use instead of a fresh random one (tests). */
  token?: string;
  /**
   * Build and send history pages of a synthetic thread before the server is handed out, so that a
   * client's first getHistory runs compiled code (`threadline serve` does; tests that start many
   * servers skip it). See agent-api/warm-up.ts.
   */
  warmUp?: boolean;
  /** An engine to serve instead of starting a worker (tests). */
  engine?: EngineEndpoint & { close(): Promise<void> };
}

export interface RunningServer {
  url: string;
  /** The page's address, carrying the token. */
  pageUrl: string;
  token: string;
  port: number;
  engine: EngineEndpoint;
  close(): Promise<void>;
}

export const HOST = "127.0.0.1";

/**
 * V8 starts each isolate's young generation at 1 MB semi-spaces and shrinks it back after a quiet
 * spell. A history page of a long thread allocates tens of MB of short-lived objects while it keeps
 * the page's messages alive: built right after a run, the engine worker's page took 22 scavenges
 * (about 57 ms, each copying the live messages again); with semi-spaces of at least 4 MB, 7
 * (about 13 ms), and the server's CPU for a fresh server's first page went from 178 to 149 ms
 * (medians of 5, issue 15). At 4 MB the page right after a 17 s run still ran 5–6 scavenges
 * (14 ms) where a fresh server's first page, whose warm-up had just grown the space, ran 3 (7 ms):
 * V8 shrank the engine worker's young generation at the page's first scavenge, the worker having
 * been idle through the run. At 8 MB it ran 3 (7 ms). Set before the workers start: V8 reads it
 * as each worker's heap is set up. It costs a few MB per thread, within run-memory's bound.
 */
function largerYoungGeneration(): void {
  v8.setFlagsFromString("--min-semi-space-size=8");
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const allowOrigins = (options.allowOrigins ?? []).map(normaliseOrigin);
  mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });
  largerYoungGeneration();
  // A bad --db fails the command, not every later call.
  const engine = options.engine ?? (await openEngine({ dbFile: options.dbFile, projectDir: options.projectDir ?? null, examples: options.examples === true }));
  const token = options.token ?? newToken();
  let port = options.port ?? 0;
  const app = createHttpApp({
    engine,
    security: { token, port: () => port, allowOrigins },
    staticDir: options.staticDir ?? null,
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: HOST });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => resolve());
    });
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "EADDRINUSE" ? `port ${port} is already in use; pick another with --port` : String(error));
  }
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;
  // Before the server is handed out (and `threadline serve` prints its address): the first history
  // page a client asks for then runs compiled code.
  if (options.warmUp) {
    await warmUpServer(engine, { url, token }).catch((error: unknown) => console.error(`threadline: warming up the history path failed: ${String(error)}`));
  }
  return {
    url,
    pageUrl: `${url}/?token=${encodeURIComponent(token)}`,
    token,
    port,
    engine,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open until their clients go: end them.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await engine.close();
    },
  };
}
