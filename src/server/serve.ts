// Starts browser mode: the engine's worker, and the HTTP transport on 127.0.0.1 only.
import { mkdirSync } from "node:fs";
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

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const allowOrigins = (options.allowOrigins ?? []).map(normaliseOrigin);
  mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });
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
