// Before `threadline serve` announces itself, the code a client's first history page runs is
// compiled, on both threads (issue 15's first-request targets): the engine builds pages of a
// synthetic thread (core/agent-api/warm-up.ts), and this side sends the last one as a response
// through a throwaway HTTP server on loopback (the node-server, Hono and stream code a real page
// goes out through), reads it as a cached page, then asks the real server for the history of a
// thread that does not exist (its router, checks and request parsing; a 404, nothing read or
// written). Then it collects what all that left, so that the first real request does not pay for
// it. Nothing is kept.
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiStateText } from "../../shared/agent-api/state";
import { TOKEN_HEADER } from "../../shared/http-client";
import { exposeGc } from "../../core/worker/idle-collector";
import type { AgentApiEngine } from "./context";
import { JSON_TYPE, streamedStates } from "./history";
import { jsonArrayBytes } from "./history-cache";

/** A thread id no thread has (the nil UUID): the real server answers 404 for it. */
const NO_THREAD = "00000000-0000-0000-0000-000000000000";

/** The served app, as the warm-up reaches it: its address and the token it wants. */
export interface WarmUpTarget {
  url: string;
  token: string;
}

export async function warmUpServer(engine: AgentApiEngine, target: WarmUpTarget): Promise<void> {
  if (!engine.stream) return;
  let states: readonly ApiStateText[] = [];
  const body = await streamedStates(engine, "history.warmUp", {}, (all) => (states = all));
  await serveOnce(body);
  for (let i = 0; i < 4; i++) jsonArrayBytes(states.map((s) => s.json));
  const status = await postJson(`${target.url}/threads/${NO_THREAD}/history`, { [TOKEN_HEADER]: target.token }, { limit: 50 });
  if (status !== 404) throw new Error(`the history of a missing thread answered ${status}, not 404`);
  exposeGc()();
}

/** Serves `body` as a JSON response from a throwaway server on loopback, and reads it to its end. */
async function serveOnce(body: ReadableStream<Uint8Array>): Promise<void> {
  const app = new Hono().get("/", (c) => c.body(body, 200, JSON_TYPE));
  const server = createAdaptorServer({ fetch: app.fetch, hostname: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  try {
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/", agent: false }, (response) => {
        response.on("data", () => undefined).once("end", () => resolve(response.statusCode ?? 0)).once("error", reject);
      })
        .once("error", reject)
        .end();
    });
    if (status !== 200) throw new Error(`the warm-up page answered ${status}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A JSON POST over loopback; resolves with the status once the body is read. */
function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: "POST", agent: false, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (response) => {
      response.on("data", () => undefined).once("end", () => resolve(response.statusCode ?? 0)).once("error", reject);
    });
    sent.once("error", reject).end(text);
  });
}
