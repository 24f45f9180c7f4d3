// Browser mode's transport for the contract: one POST route per call, derived from CALLS, and one
// Server-Sent Events stream for the engine's events. The receiving side validates arguments
// (dispatch → parseArgs happens in the engine's worker); errors leave as {code, message}.
import { existsSync } from "node:fs";
import path from "node:path";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { serveStatic } from "@hono/node-server/serve-static";
import { API_PREFIX, callPath, EVENTS_PATH } from "../shared/http-client";
import { ThreadlineError } from "../shared/errors";
import { jsonTextNestingExceeds, MAX_NESTING_DEPTH, TOO_DEEP_MESSAGE } from "../shared/nesting";
import { HTTP_STATUS } from "./error-status";
import { EventLog } from "./event-log";
import { CALL_NAMES, callFacts, type CallName, type Invoke } from "../shared/contract";
import type { EventListener, Unsubscribe } from "../shared/events";
import { AGENT_API_PATHS, createAgentApi } from "./agent-api";
import { requestActivity } from "./request-activity";
import { hostAndOrigin, requireToken, type SecurityOptions } from "./security";

/** What browser mode needs of the engine: EngineHost provides it (and the Agent Server API takes the same). */
export interface EngineEndpoint {
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
  /** `invoke` with parts of the result ahead of it (see CallContext), when the engine can: EngineHost. */
  stream?(name: CallName, args: unknown, partial: (value: unknown) => void): Promise<unknown>;
  /**
   * The same engine answering from Threadline's own store whichever source the UI has made active:
   * EngineHost. The Agent Server API uses it, so that every client sees this server's threads.
   */
  ownStore?(): Omit<EngineEndpoint, "ownStore">;
}

export interface HttpAppOptions {
  engine: EngineEndpoint;
  security: SecurityOptions;
  /** The built renderer (out/renderer); null serves the API only. */
  staticDir?: string | null;
  bodyLimitBytes?: number;
  /** Thread import carries a whole exported thread. */
  importLimitBytes?: number;
  keepAliveMs?: number;
}

const MB = 1024 * 1024;

function errorResponse(c: Context, error: ThreadlineError) {
  return c.json(error.toWire(), HTTP_STATUS[error.code]);
}

export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();
  const log = new EventLog();
  options.engine.onEvent((event) => log.push(event));

  app.use("*", requestActivity());
  app.use("*", hostAndOrigin(options.security));
  // The token by default: only the page itself (its HTML and bundled assets) is served without it,
  // so a route added later can never be reachable without the token by omission.
  const tokenRequired = requireToken(options.security);
  app.use("*", (c, next) => (isPagePath(c.req.method, c.req.path) ? next() : tokenRequired(c, next)));

  const tooLarge = (limit: number) => (c: Context) =>
    c.json({ code: "INVALID_ARGUMENT", message: `request body is larger than ${Math.round(limit / MB)} MB` }, 413);
  const small = options.bodyLimitBytes ?? 1 * MB;
  // A JSON body is read as one string, and V8 strings stop near 512 MB.
  const large = options.importLimitBytes ?? 500 * MB;

  for (const name of CALL_NAMES) {
    const limit = callFacts(name).largeArgs ? large : small;
    app.post(callPath(name), bodyLimit({ maxSize: limit, onError: tooLarge(limit) }), async (c) => {
      let args: unknown;
      try {
        const text = await c.req.text();
        // Read before parsing: a body nested 100,000 deep is refused without building it (nesting.ts).
        if (jsonTextNestingExceeds(text, MAX_NESTING_DEPTH + 1)) {
          // 400, not the 422 of a request understood but refused: this body is not read at all.
          return c.json(new ThreadlineError("INVALID_ARGUMENT", `${name}: the request body is ${TOO_DEEP_MESSAGE}`).toWire(), 400);
        }
        args = text.trim() === "" ? {} : JSON.parse(text);
      } catch (error) {
        return errorResponse(c, new ThreadlineError("INVALID_ARGUMENT", `${name}: the request body is not valid JSON (${(error as Error).message})`));
      }
      try {
        return c.json({ result: (await options.engine.invoke(name, args)) ?? null });
      } catch (error) {
        return errorResponse(c, ThreadlineError.from(error));
      }
    });
  }
  app.all(`${API_PREFIX}/calls/:name`, (c) =>
    errorResponse(c, new ThreadlineError("INVALID_ARGUMENT", `unknown call '${c.req.param("name")}' (or not a POST)`)),
  );

  app.get(EVENTS_PATH, (c) => {
    const lastHeader = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    const lastId = lastHeader && /^\d+$/.test(lastHeader) ? Number(lastHeader) : null;
    c.header("cache-control", "no-store");
    return streamSSE(c, async (stream) => {
      // Subscribed to before the first write: a client that drops during it must still end the stream.
      const aborted = new Promise<void>((resolve) => stream.onAbort(resolve));
      let queue = Promise.resolve();
      const unsubscribe = log.subscribe(lastId, (entry) => {
        queue = queue.then(() =>
          stream.writeSSE({ id: String(entry.id), event: entry.event.type, data: JSON.stringify(entry.event) }),
        );
      });
      const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), options.keepAliveMs ?? 15_000);
      await stream.writeSSE({ event: "ready", data: "{}" });
      if (!stream.aborted) await aborted;
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  app.all(`${API_PREFIX}/*`, (c) => c.json({ code: "NOT_FOUND", message: `no API route ${c.req.method} ${c.req.path}` }, 404));

  // LangGraph's Agent Server API at the root, where its SDK and tools expect it; the same token.
  for (const pattern of AGENT_API_PATHS) {
    app.use(pattern, bodyLimit({ maxSize: small, onError: tooLarge(small) }));
  }
  app.route("/", createAgentApi(options.engine.ownStore?.() ?? options.engine));

  const staticDir = options.staticDir;
  if (staticDir) {
    app.use("*", async (c, next) => {
      await next();
      // The page's URL carries the token: never send it on in a Referer.
      c.header("referrer-policy", "no-referrer");
      c.header("x-content-type-options", "nosniff");
      c.header("x-frame-options", "DENY");
    });
    const root = path.relative(process.cwd(), staticDir) || ".";
    app.use("*", serveStatic({ root }));
  } else {
    app.get("/", (c) => c.text("Threadline API: the renderer is not built (npm run build)."));
  }
  return app;
}

/** The UI's own files: the HTML page, its hashed bundle, the icon browsers ask for. Everything else needs the token. */
export function isPagePath(method: string, pathname: string): boolean {
  const page = pathname === "/" || pathname === "/index.html" || pathname === "/favicon.ico" || pathname.startsWith("/assets/");
  return (method === "GET" || method === "HEAD") && page;
}

export function rendererDir(fromDir: string): string | null {
  const dir = path.resolve(fromDir, "out", "renderer");
  return existsSync(path.join(dir, "index.html")) ? dir : null;
}
