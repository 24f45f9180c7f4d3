// Browser mode answers only on loopback, and only to requests that (1) are addressed to it by
// name (the Host check defeats DNS rebinding: a hostile domain that resolves to 127.0.0.1 still
// sends its own name in Host), (2) come from its own page or an origin the user named
// (--allow-origin), and (3) carry the per-launch token. Without all three any web page the user
// visits could drive the engine, which runs arbitrary graph code.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { TOKEN_HEADER } from "../shared/http-client";

export interface SecurityOptions {
  token: string;
  /** Filled in once the port is known (port 0 picks a free one). */
  port: () => number;
  /** Extra origins admitted with CORS, e.g. a `useStream` app's dev server. */
  allowOrigins: readonly string[];
}

// Hex, not base64url: a token starting with "-" could not be given as `--api-key TOKEN` to another
// `threadline serve --remote` (the argument parser takes it for an option), which failed one CI run.
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost"];

/**
 * An --allow-origin value as the Origin header a browser sends. Only http(s) origins: `file:` and
 * `data:` pages send the opaque origin "null", which any sandboxed page can also send, so admitting
 * it would admit every page.
 */
export function normaliseOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`--allow-origin expects a URL such as http://localhost:5173, got '${origin}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(
      `--allow-origin expects an http:// or https:// origin such as http://localhost:5173, got '${origin}' (a ${url.protocol} page has no origin that can be admitted safely)`,
    );
  }
  return url.origin;
}

function ownOrigins(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `http://${name}:${port}`);
}

function refuse(c: Context, status: 401 | 403, message: string) {
  return c.json({ code: status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", message }, status);
}


function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerOrApiKey(c: Context): string | undefined {
  const apiKey = c.req.header(TOKEN_HEADER);
  if (apiKey) return apiKey;
  const auth = c.req.header("authorization");
  return auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : undefined;
}

/** Host and Origin checks, and CORS for admitted foreign origins. Applies to every request. */
export function hostAndOrigin(options: SecurityOptions): MiddlewareHandler {
  const allowed = new Set(options.allowOrigins.map(normaliseOrigin));
  return async (c, next) => {
    const port = options.port();
    const host = c.req.header("host") ?? "";
    const hostAllowed = LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
    if (!hostAllowed) {
      return refuse(
        c,
        403,
        `Host '${host}' is not allowed: Threadline answers only requests addressed to 127.0.0.1:${port} or localhost:${port}.`,
      );
    }
    const origin = c.req.header("origin");
    const foreign = origin !== undefined && !ownOrigins(port).includes(origin);
    if (foreign && !allowed.has(origin)) {
      return refuse(
        c,
        403,
        `Origin '${origin}' is not allowed. Start Threadline with --allow-origin ${origin} to let that page use this server.`,
      );
    }
    if (foreign) {
      c.header("access-control-allow-origin", origin);
      c.header("vary", "Origin");
      c.header("access-control-expose-headers", "content-location, location, x-pagination-total, x-pagination-next");
      if (c.req.method === "OPTIONS") {
        c.header("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        c.header(
          "access-control-allow-headers",
          c.req.header("access-control-request-headers") ?? `content-type, ${TOKEN_HEADER}, authorization, last-event-id`,
        );
        c.header("access-control-max-age", "600");
        return c.body(null, 204);
      }
    }
    await next();
  };
}

/** The per-launch token, from `x-api-key` (what LangGraph's SDK sends for `apiKey`) or `Authorization: Bearer`. */
export function requireToken(options: SecurityOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!tokenMatches(options.token, bearerOrApiKey(c))) {
      return refuse(
        c,
        401,
        `Missing or wrong API token. Use the token from the URL Threadline printed at launch, in the ${TOKEN_HEADER} header ` +
          "(the LangGraph SDK sends it for its apiKey option; without that option the SDK sends an API key from its " +
          "environment, LANGGRAPH_API_KEY or LANGSMITH_API_KEY, which is not this token).",
      );
    }
    await next();
  };
}
