// A project's node that loops synchronously forever, on a real server: while it spins, the thread
// list, states, history and timeline answer with the same data as before through both APIs (the
// UI's contract calls and the Agent Server routes), another thread's run that was going completes,
// a new one on another thread completes, and a cancel ends the spinning run alone.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CallName, CallResult } from "../shared/contract";
import type { EngineEvent } from "../shared/events";
import { httpTransport, TOKEN_HEADER, type Transport } from "../shared/http-client";
import { startServer, type RunningServer } from "./serve";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Inside the repository's node_modules, so that `@langchain/langgraph` resolves as in a real project.
const tempRoot = path.join(repoRoot, "node_modules/.cache/threadline-stuck-node-tests");

const graphsModule = (goFile: string) => `
import { existsSync } from "node:fs";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const line = new StateGraph(State)
  .addNode("one", () => ({ log: ["one"] }))
  .addNode("two", () => ({ log: ["two"] }))
  .addEdge(START, "one").addEdge("one", "two").addEdge("two", END).compile();
export const spin = new StateGraph(State)
  .addNode("loop", () => { for (;;) { /* never yields */ } })
  .addEdge(START, "loop").addEdge("loop", END).compile();
// Waits until the test lets it go, so it is surely running while the other node spins.
export const waits = new StateGraph(State)
  .addNode("wait", async () => { while (!existsSync(${JSON.stringify(goFile)})) await pause(20); return { log: ["went"] }; })
  .addEdge(START, "wait").addEdge("wait", END).compile();
`;

let dir: string;
let server: RunningServer | undefined;
let tl: Transport;
const events: EngineEvent[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const call = <N extends CallName>(name: N, args: unknown) => tl.invoke(name, args) as Promise<CallResult<N>>;
async function api(method: "GET" | "POST", route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server!.url}${route}`, {
    method,
    headers: { "content-type": "application/json", [TOKEN_HEADER]: server!.token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${route}`).toBe(200);
  return response.json();
}
const seen = (predicate: (e: EngineEvent) => boolean) =>
  vi.waitFor(
    () => {
      if (!events.some(predicate)) throw new Error("not yet");
    },
    { timeout: 60_000, interval: 20 },
  );

/** What a client reads of a thread through both APIs. */
async function reads(threadId: string) {
  const listed = (await call("threads.search", { limit: 100 })).map((t) => t.threadId).sort();
  const state = await call("state.get", { threadId });
  const page = await call("history.page", { threadId, limit: 50 });
  const tree = await call("history.tree", { threadId });
  const apiListed = ((await api("POST", "/threads/search", { limit: 100 })) as { thread_id: string }[]).map((t) => t.thread_id).sort();
  const apiState = (await api("GET", `/threads/${threadId}/state`)) as { values: unknown; checkpoint: unknown };
  const apiHistory = ((await api("POST", `/threads/${threadId}/history`, { limit: 10 })) as { checkpoint: unknown }[]).map((s) => s.checkpoint);
  const apiRuns = ((await api("GET", `/threads/${threadId}/runs`)) as { run_id: string; status: string }[]).map((r) => [r.run_id, r.status]);
  return { listed, values: state.values, page: page.items.map((i) => i.checkpointId), tree, apiListed, apiState, apiHistory, apiRuns };
}

describe("a node stuck in a synchronous loop", () => {
  it("leaves reads, other threads' runs and the cancel of that run working", { timeout: 240_000 }, async () => {
    mkdirSync(tempRoot, { recursive: true });
    dir = mkdtempSync(path.join(tempRoot, "project-"));
    const goFile = path.join(dir, "go");
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify({ graphs: { line: "./src/graphs.ts:line", spin: "./src/graphs.ts:spin", waits: "./src/graphs.ts:waits" } }));
    writeFileSync(path.join(dir, "src", "graphs.ts"), graphsModule(goFile));
    server = await startServer({ dbFile: path.join(dir, "threads.db"), projectDir: dir });
    tl = httpTransport(server.url, server.token);
    server.engine.onEvent((e) => events.push(e));

    const done = await call("runs.start", { threadId: "done", graphId: "line", input: { log: [] }, ifNotExists: "create" });
    expect(await call("runs.join", { runId: done.runId })).toMatchObject({ status: "success" });
    const waiting = await call("runs.start", { threadId: "waiting", graphId: "waits", input: { log: [] }, ifNotExists: "create" });
    await seen((e) => e.type === "node.started" && e.runId === waiting.runId);
    const expected = await reads("done");
    expect(expected.values).toEqual({ log: ["one", "two"] });

    const spin = await call("runs.start", { threadId: "stuck", graphId: "spin", input: { log: [] }, ifNotExists: "create" });
    await seen((e) => e.type === "run.started" && e.runId === spin.runId);
    // Sent while the node spins and (for the first) before the host could know: all answer with data.
    const spinInfo = call("runs.get", { runId: spin.runId });
    const whileStuck = await reads("done");
    expect(whileStuck).toEqual({ ...expected, listed: [...expected.listed, "stuck"].sort(), apiListed: [...expected.apiListed, "stuck"].sort() });
    expect(await spinInfo).toMatchObject({ status: "running" });
    expect(await call("threads.get", { threadId: "stuck" })).toMatchObject({ status: "busy" });

    // Another thread's run that was going completes, and so does one started now.
    writeFileSync(goFile, "");
    expect(await call("runs.join", { runId: waiting.runId })).toMatchObject({ status: "success" });
    const fresh = await call("runs.start", { threadId: "fresh", graphId: "line", input: { log: [] }, ifNotExists: "create" });
    expect(await call("runs.join", { runId: fresh.runId })).toMatchObject({ status: "success" });
    expect((await call("state.get", { threadId: "fresh" })).values).toEqual({ log: ["one", "two"] });

    const cancelled = await call("runs.cancel", { runId: spin.runId });
    expect(cancelled.status).toBe("error");
    expect(await call("threads.get", { threadId: "stuck" })).toMatchObject({ status: "error" });
    for (const runId of [done.runId, waiting.runId, fresh.runId]) expect(await call("runs.get", { runId })).toMatchObject({ status: "success" });
    expect((await call("state.get", { threadId: "waiting" })).values).toEqual({ log: ["went"] });
    expect(events.some((e) => e.type === "worker.restarted")).toBe(false);
    expect(existsSync(goFile)).toBe(true);
  });
});
