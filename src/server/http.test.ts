// The HTTP transport in-process (app.fetch): every call and every event type has its route, and
// every request that is not from our page with our token is refused with the right status.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CALL_NAMES, type CallName } from "../shared/contract";
import { ThreadlineError } from "../shared/errors";
import { ENGINE_EVENT_TYPES, type EngineEvent, type EventListener } from "../shared/events";
import { callPath, EVENTS_PATH } from "../shared/http-client";
import { createHttpApp, type EngineEndpoint } from "./http";
import { heapAfterGc, MB } from "./test-memory";

const PORT = 4321;
const errorBody = async (r: Response) => (await r.json()) as { code: string; message: string };
const TOKEN = "test-token-0123456789";
const ORIGIN = `http://127.0.0.1:${PORT}`;

function recordingEngine() {
  const calls: { name: CallName; args: unknown }[] = [];
  const listeners = new Set<EventListener>();
  const engine: EngineEndpoint = {
    async invoke(name, args) {
      calls.push({ name, args });
      if (name === "threads.get") throw new ThreadlineError("NOT_FOUND", "thread 'nope' not found");
      return { served: name };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { engine, calls, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

function setup(allowOrigins: string[] = [], bodyLimitBytes?: number, staticDir?: string) {
  const rec = recordingEngine();
  const app = createHttpApp({ engine: rec.engine, security: { token: TOKEN, port: () => PORT, allowOrigins }, bodyLimitBytes, staticDir });
  const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    app.fetch(
      new Request(`http://127.0.0.1:${PORT}${path}`, {
        method: "POST",
        ...init,
        headers: { host: `127.0.0.1:${PORT}`, "x-api-key": TOKEN, "content-type": "application/json", ...init.headers },
      }),
    );
  return { ...rec, app, request };
}

describe("contract surface over HTTP", () => {
  it("routes every call of the contract to the engine", async () => {
    const { request, calls } = setup();
    for (const name of CALL_NAMES) {
      const response = await request(callPath(name), { body: JSON.stringify({ probe: name }) });
      if (name === "threads.get") expect(response.status).toBe(404);
      else expect(await response.json()).toEqual({ result: { served: name } });
    }
    expect(calls.map((c) => c.name)).toEqual(CALL_NAMES);
    expect(calls[0]!.args).toEqual({ probe: CALL_NAMES[0] });
  });

  it("streams every event type over SSE and resumes after Last-Event-ID", async () => {
    const { request, emit } = setup();
    const response = await request(EVENTS_PATH, { method: "GET" });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = ENGINE_EVENT_TYPES.map((type, i) => ({ type, at: String(i) }) as unknown as EngineEvent);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // the "ready" event: the subscription is in place
    events.forEach(emit);
    let text = "";
    while (!ENGINE_EVENT_TYPES.every((t) => text.includes(`event: ${t}\n`))) text += (await reader.read()).value;
    await reader.cancel();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(ENGINE_EVENT_TYPES.length);

    const resumed = await request(EVENTS_PATH, { method: "GET", headers: { "last-event-id": String(ids[ids.length - 3]) } });
    const again = resumed.body!.pipeThrough(new TextDecoderStream()).getReader();
    let replay = "";
    while ((replay.match(/^id: /gm) ?? []).length < 2) replay += (await again.read()).value;
    await again.cancel();
    expect([...replay.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(ids.slice(-2));
  });

  it("answers engine errors as {code, message} with a matching status", async () => {
    const { request } = setup();
    const response = await request(callPath("threads.get"), { body: JSON.stringify({ threadId: "nope" }) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: "NOT_FOUND", message: "thread 'nope' not found" });
  });
});

describe("browser-mode security", () => {
  const path = callPath("threads.search");

  it("refuses a request without the token, and one with a wrong token (401)", async () => {
    const { request, calls } = setup();
    const missing = await request(path, { headers: { "x-api-key": "" }, body: "{}" });
    expect(missing.status).toBe(401);
    expect((await errorBody(missing)).message).toMatch(/x-api-key.*LANGGRAPH_API_KEY/s);
    const wrong = await request(path, { headers: { "x-api-key": "not-the-token" }, body: "{}" });
    expect(wrong.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it("serves only the page itself without the token; every other path needs it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "threadline-static-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>Threadline</title>");
    writeFileSync(join(dir, "assets", "app.js"), "console.log(1)");
    writeFileSync(join(dir, "secret.txt"), "not for the web");
    try {
      const { request } = setup([], undefined, dir);
      const anonymous = (p: string) => request(p, { method: "GET", headers: { "x-api-key": "" } });
      expect((await anonymous("/")).status).toBe(200);
      expect(await (await anonymous("/")).text()).toContain("<title>Threadline</title>");
      expect((await anonymous("/assets/app.js")).status).toBe(200);
      expect((await anonymous("/")).headers.get("referrer-policy")).toBe("no-referrer");
      for (const p of ["/secret.txt", "/threads/abc", "/info", "/api/events", "/anything"]) expect((await anonymous(p)).status, p).toBe(401);
      // Browsers ask for the icon on every page load, without the token: a plain 404 (none is built), never 401.
      expect((await anonymous("/favicon.ico")).status).toBe(404);
      writeFileSync(join(dir, "favicon.ico"), "icon");
      expect((await anonymous("/favicon.ico")).status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts the token as a Bearer authorization too", async () => {
    const { request } = setup();
    const response = await request(path, { headers: { "x-api-key": "", authorization: `Bearer ${TOKEN}` }, body: "{}" });
    expect(response.status).toBe(200);
  });

  it("refuses a foreign Origin (403) unless admitted with --allow-origin, which also gets CORS", async () => {
    const { request, calls } = setup(["http://localhost:5173"]);
    const foreign = await request(path, { headers: { origin: "https://evil.example" }, body: "{}" });
    expect(foreign.status).toBe(403);
    expect((await errorBody(foreign)).message).toMatch(/Origin 'https:\/\/evil.example' is not allowed.*--allow-origin/);
    expect(calls).toHaveLength(0);

    const own = await request(path, { headers: { origin: ORIGIN }, body: "{}" });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();

    const admitted = await request(path, { headers: { origin: "http://localhost:5173" }, body: "{}" });
    expect(admitted.status).toBe(200);
    expect(admitted.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");

    const preflight = await request(path, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "x-api-key": "", "access-control-request-headers": "x-api-key" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-api-key");
  });

  it("refuses a Host that is not our loopback address: DNS rebinding (403)", async () => {
    const { request, calls } = setup();
    for (const host of ["evil.example", `evil.example:${PORT}`, "127.0.0.1:9999"]) {
      const response = await request(path, { headers: { host }, body: "{}" });
      expect(response.status).toBe(403);
      expect((await errorBody(response)).message).toMatch(/Host .* is not allowed/);
    }
    expect((await request(path, { headers: { host: `localhost:${PORT}` }, body: "{}" })).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it("refuses an oversized body (413) but lets a thread import through", async () => {
    const { request, calls } = setup([], 1024);
    const big = JSON.stringify({ metadata: { blob: "x".repeat(4096) } });
    const refused = await request(path, { body: big });
    expect(refused.status).toBe(413);
    expect((await errorBody(refused)).message).toMatch(/larger than/);
    const imported = await request(callPath("threads.import"), { body: big });
    expect(imported.status).toBe(200);
    expect(calls.map((c) => c.name)).toEqual(["threads.import"]);
  });

  it("refuses a body nested 100,000 deep (400) before the engine, 300 times, leaving memory as it was", async () => {
    const { request, calls } = setup();
    const deep = `{"metadata":{"v":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const first = await request(path, { body: deep });
    expect(first.status).toBe(400);
    expect((await errorBody(first)).message).toMatch(/threads.search: the request body is nested deeper than 100 levels/);
    const before = heapAfterGc();
    for (let i = 0; i < 300; i++) expect((await request(path, { body: deep })).status).toBe(400);
    expect(heapAfterGc() - before).toBeLessThan(20 * MB);
    expect(calls).toHaveLength(0);
  });

  it("answers invalid JSON and unknown calls with INVALID_ARGUMENT (422)", async () => {
    const { request } = setup();
    const bad = await request(path, { body: "{not json" });
    expect(bad.status).toBe(422);
    expect((await errorBody(bad)).message).toMatch(/threads.search: the request body is not valid JSON/);
    const unknown = await request("/api/calls/threads.explode", { body: "{}" });
    expect(unknown.status).toBe(422);
    expect((await errorBody(unknown)).message).toMatch(/unknown call 'threads.explode'/);
  });
});
