// Random and malformed bodies at every contract call and every Agent Server route, over the real
// engine in-process: no answer may be a 500, the engine must still serve afterwards, and memory must
// come back to where it was. Seeded, and bounded to a few hundred requests, so it runs in seconds.
import { AGENT_API_PATHS } from "./agent-api";
import { CALL_NAMES } from "../shared/contract";
import { callPath } from "../shared/http-client";
import { heapAfterGc, MB } from "./test-memory";
import { openServedEngine, type ServedEngine } from "../../test/support/served-engine";

/** mulberry32: the same requests on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  "__proto__", "constructor", "toString", "threadId", "thread_id", "graphId", "graph_id", "assistant_id", "runId", "run_id",
  "checkpointId", "checkpoint_id", "checkpoint", "checkpointNs", "input", "command", "metadata", "values", "limit", "offset",
  "status", "file", "data", "stream_mode", "multitask_strategy", "if_not_exists", "interrupt_before", "as_node", "ids", "x",
];
const STRINGS = ["", "react-agent", "fan-out", "agent", "*", "../../etc/passwd", "\u0000", "💥".repeat(3), "x".repeat(5000), "values", "null"];

function value(rand: () => number, depth: number): unknown {
  const pick = rand();
  if (depth > 5 || pick < 0.35) {
    const scalar = rand();
    if (scalar < 0.2) return null;
    if (scalar < 0.35) return rand() < 0.5;
    if (scalar < 0.6) return [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 3.5, 1000][Math.floor(rand() * 7)];
    return STRINGS[Math.floor(rand() * STRINGS.length)];
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(rand() * 4) }, () => value(rand, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    // defineProperty: an own "__proto__" key, as JSON.parse makes it.
    Object.defineProperty(object, KEYS[Math.floor(rand() * KEYS.length)]!, { value: value(rand, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const MALFORMED = ["{", "[", "}", "nul", '"', '{"a":}', "[1,]", "\u0000", "{\"threadId\":", "x".repeat(100)];
const nested = (n: number) => `{"metadata":{"v":${"[".repeat(n)}${"]".repeat(n)}}}`;

function body(rand: () => number): string {
  const kind = rand();
  if (kind < 0.15) return MALFORMED[Math.floor(rand() * MALFORMED.length)]!;
  if (kind < 0.22) return nested(90 + Math.floor(rand() * 60));
  return JSON.stringify(value(rand, 0));
}

/** The Agent Server routes as the app registered them, with their methods. */
function agentRoutes(served: ServedEngine): { method: string; path: string }[] {
  const patterns = AGENT_API_PATHS.map((p) => p.replace("/*", ""));
  const seen = new Set<string>();
  return served.app.routes
    .filter((r) => r.method !== "ALL" && patterns.some((p) => r.path === p || r.path.startsWith(`${p}/`)))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
    .map((r) => ({ method: r.method, path: r.path }));
}

/** 501 is a documented "not supported" (creating assistants…), 503 "busy, try again"; any other 5xx is a fault. */
const serverFault = (status: number) => status >= 500 && status !== 501 && status !== 503;

let served: ServedEngine;
beforeAll(async () => {
  served = await openServedEngine();
});
afterAll(async () => {
  await served.close();
});

async function send(method: string, path: string, text: string): Promise<{ status: number; text: string }> {
  const response = await served.request(method, path, text);
  // A run's event stream is not read to its end here: only its status matters.
  if (response.headers.get("content-type")?.includes("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, text: "" };
  }
  return { status: response.status, text: await response.text() };
}

describe("fuzzing every contract call and Agent Server route", () => {
  it("never answers 500, keeps serving, and leaves memory as it was", { timeout: 120_000 }, async () => {
    const thread = (await (await served.request("POST", "/threads", `{"metadata":{"graph_id":"react-agent"}}`)).json()) as { thread_id: string };
    // Bodies name the real thread too, so that some requests get past validation to the engine.
    STRINGS.push(thread.thread_id, thread.thread_id);
    const routes = agentRoutes(served);
    expect(routes.length).toBeGreaterThan(25);
    const rand = random(12);
    const fill = (path: string) =>
      path
        .replace(/:namespace\?/, rand() < 0.5 ? "" : "ns")
        .replace(/:[a-z_]+/g, () => encodeURIComponent(rand() < 0.5 ? thread.thread_id : (STRINGS[Math.floor(rand() * STRINGS.length)]! || "x")));

    const failures: string[] = [];
    let served2xx = 0;
    const round = async (perTarget: number) => {
      for (let i = 0; i < perTarget; i++) {
        for (const name of CALL_NAMES) {
          const text = body(rand);
          const { status, text: answer } = await send("POST", callPath(name), text);
          if (status < 300) served2xx++;
          if (serverFault(status)) failures.push(`${status} ${name} ${text.slice(0, 200)} → ${answer.slice(0, 300)}`);
        }
        for (const route of routes) {
          const path = fill(route.path);
          const text = body(rand);
          const { status, text: answer } = await send(route.method, path, text);
          if (status < 300) served2xx++;
          if (serverFault(status)) failures.push(`${status} ${route.method} ${path} ${text.slice(0, 200)} → ${answer.slice(0, 300)}`);
        }
      }
    };
    await round(1); // warm-up: code paths compiled, caches filled
    const before = heapAfterGc();
    await round(8);
    expect(failures).toEqual([]);
    // Not all refused at the door: the engine itself was reached.
    expect(served2xx).toBeGreaterThan(50);
    expect(heapAfterGc() - before).toBeLessThan(40 * MB);
    expect((await served.request("GET", "/ok")).status).toBe(200);
    expect((await served.request("POST", callPath("project.info"), "{}")).status).toBe(200);
  });
});
