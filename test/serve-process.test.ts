// Browser mode end to end: a real `threadline serve` process, reached the way the UI reaches it
// (the renderer's HTTP transport). Every call of the contract makes a round trip and every event
// type arrives, so a call or event that the HTTP transport cannot carry fails here.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CALL_NAMES, createClient, type CallName, type EngineClient, type Invoke } from "../src/shared/contract";
import { ThreadlineError } from "../src/shared/errors";
import { ENGINE_EVENT_TYPES, type EngineEvent } from "../src/shared/events";
import { httpTransport } from "../src/shared/http-client";
import { JS_SAVER_DB, fixtureCheck } from "./support/fixtures";

const BIN = path.resolve(import.meta.dirname, "..", "bin", "threadline.mjs");
const MEMORY_PROJECT = path.resolve(import.meta.dirname, "fixtures/projects/memory");
/** A database written by @langchain/langgraph-checkpoint-sqlite, from the shared fixtures beside the repository. */
const JS_FIXTURE = JS_SAVER_DB;
const fixture = fixtureCheck(JS_FIXTURE);

let dir: string;
let child: ChildProcess;
let url: string;
let token: string;

interface Serving {
  child: ChildProcess;
  url: string;
  token: string;
}

/** `threadline serve` on a database file, once it says where it serves. */
async function serve(dbFile: string): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, "serve", "--db", dbFile, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr!.on("data", (d) => (out += d));
  return new Promise<Serving>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const u = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      const t = /x-api-key\): (\S+)/.exec(out);
      if (u && t) resolve({ child, url: u[1]!, token: t[1]! });
    });
    child.once("exit", (code) => reject(new Error(`threadline serve exited with ${code}:\n${out}`)));
  });
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function startServe(): Promise<void> {
  ({ child, url, token } = await serve(path.join(dir, "threads.db")));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-serve-"));
  await startServe();
}, 60_000);

afterAll(async () => {
  if (child) await stopServe(child);
  rmSync(dir, { recursive: true, force: true });
});

it("carries every call and every event type between a real server process and the UI's client", async () => {
  const transport = httpTransport(url, token);
  const called = new Set<CallName>();
  const invoke: Invoke = (name, args) => {
    called.add(name);
    return transport.invoke(name, args);
  };
  const client: EngineClient = createClient(invoke);
  const events: EngineEvent[] = [];
  const stop = transport.onEvent((e) => events.push(e));
  const seen = (type: string) => events.some((e) => e.type === type);
  const until = (type: string) => vi.waitFor(() => expect(seen(type)).toBe(true), { timeout: 20_000, interval: 50 });
  await new Promise((r) => setTimeout(r, 300)); // the event stream is open before anything happens

  expect((await client.project.info()).dbFile).toBe(path.join(dir, "threads.db"));
  const source = await client.source.info();
  expect(source).toMatchObject({ kind: "local", label: path.join(dir, "threads.db") });
  expect(Object.values(source.capabilities).every((c) => c.available)).toBe(true);
  const { graphs } = await client.graphs.list();
  expect(graphs.map((g) => g.id)).toEqual(expect.arrayContaining(["react-agent", "human-in-the-loop", "fan-out"]));
  expect((await client.graphs.get({ graphId: "fan-out" })).drawing.nodes.length).toBeGreaterThan(2);
  // An Annotation's schemas, typed from its TypeScript source once read.
  const typed = await client.graphs.schemas({ graphId: "human-in-the-loop" });
  expect(typed.input).toMatchObject({ properties: { request: { type: "string" }, log: { type: "array", items: { type: "string" } } } });
  // The Agent Server API's own graph calls: LangGraph's drawing, and the subgraph the fan-out has.
  const drawn = (await client.graphs.apiGraph({ graphId: "fan-out", xray: true })).graph as { nodes: { id: string }[] };
  expect(drawn.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(["__start__", "__end__"]));
  expect(Object.keys((await client.graphs.apiSubgraphs({ graphId: "fan-out", recurse: true })).subgraphs)).toEqual(["research"]);
  await client.breakpoints.set({ graphId: "fan-out", before: [], after: [] });
  expect(await client.breakpoints.get({ graphId: "fan-out" })).toMatchObject({ before: [], after: [] });

  // A tool-calling agent: tokens, node events, checkpoints, values.
  await client.threads.create({ threadId: "agent", metadata: { purpose: "round-trip" } });
  const agentRun = await client.runs.start({ threadId: "agent", graphId: "react-agent", input: { messages: [{ role: "user", content: "weather in Paris and 2+2" }] } });
  expect((await client.runs.join({ runId: agentRun.runId })).status).toBe("success");
  expect((await client.runs.get({ runId: agentRun.runId })).nodeTimings.length).toBeGreaterThan(0);
  expect((await client.runs.list({ threadId: "agent" })).map((r) => r.runId)).toEqual([agentRun.runId]);
  await client.runs.console({ runId: agentRun.runId });

  const head = await client.state.get({ threadId: "agent" });
  const page = await client.history.page({ threadId: "agent", limit: 2 });
  expect(page.items).toHaveLength(2);
  expect(page.items[0]!.checkpointId).toBe(head.checkpoint!.checkpointId);
  const older = await client.history.page({ threadId: "agent", limit: 2, before: page.nextBefore! });
  expect(older.items[0]!.step).toBeLessThan(page.items[1]!.step);
  expect((await client.history.states({ threadId: "agent", limit: 3 })).length).toBe(3);
  const revisions = (await client.history.revisions({ threadId: "agent", limit: 3 })).items;
  const apiStates = (await client.history.apiStates({ threadId: "agent", limit: 3 })).states;
  expect(apiStates.map((s) => [s.checkpointId, s.revision])).toEqual(revisions.map((i) => [i.checkpointId, i.revision]));
  expect((JSON.parse(apiStates[0]!.json) as { checkpoint: { thread_id: string } }).checkpoint.thread_id).toBe("agent");
  // Only the Agent Server API starts runs with a request to keep; this one has none.
  expect(await client.runs.requests({ runIds: [agentRun.runId] })).toEqual({ requests: {} });
  const tree = await client.history.tree({ threadId: "agent" });
  expect(tree.nodes.at(-1)!.checkpointId).toBe(head.checkpoint!.checkpointId);
  const diff = await client.diff.get({ threadId: "agent", to: head.checkpoint!.checkpointId });
  expect(diff.entries.length).toBeGreaterThan(0);

  // Fan-out: a subgraph, console output and custom stream events.
  await client.threads.create({ threadId: "fan" });
  const fanRun = await client.runs.start({ threadId: "fan", graphId: "fan-out", input: { topic: "tides", aspects: 2 } });
  await client.runs.join({ runId: fanRun.runId });

  // Human in the loop: an interrupt, a resume that the node rejects (a user error), then one it accepts.
  await client.threads.create({ threadId: "hitl" });
  const hitl = await client.runs.start({ threadId: "hitl", graphId: "human-in-the-loop", input: { request: "email the team" } });
  expect((await client.runs.join({ runId: hitl.runId })).status).toBe("interrupted");
  expect((await client.threads.get({ threadId: "hitl" })).status).toBe("interrupted");
  const good = await client.runs.start({ threadId: "hitl", graphId: "human-in-the-loop", command: { resume: "approve" } });
  expect((await client.runs.join({ runId: good.runId })).status).toBe("success");
  await client.threads.create({ threadId: "hitl-bad" });
  await client.runs.join({ runId: (await client.runs.start({ threadId: "hitl-bad", graphId: "human-in-the-loop", input: { request: "x" } })).runId });
  const bad = await client.runs.start({ threadId: "hitl-bad", graphId: "human-in-the-loop", command: { resume: "maybe" } });
  const failed = await client.runs.join({ runId: bad.runId });
  expect(failed.status).toBe("error");
  expect(failed.error).toMatchObject({ node: "review", message: expect.stringMatching(/got "maybe"/) });

  // A run cancelled while paused at a breakpoint.
  await client.threads.create({ threadId: "paused" });
  const paused = await client.runs.start({ threadId: "paused", graphId: "react-agent", input: { messages: [{ role: "user", content: "2+2" }] }, interruptBefore: ["tools"] });
  await client.runs.join({ runId: paused.runId });
  await client.runs.cancel({ runId: paused.runId }).catch((e: unknown) => expect(e).toBeInstanceOf(ThreadlineError));

  // Time travel and thread management.
  const first = tree.nodes.find((n) => n.checkpointNs === "" && n.step === 1)!;
  const updated = await client.state.update({ threadId: "agent", checkpointId: first.checkpointId, values: { messages: [] }, asNode: "agent" });
  expect(updated.checkpoint.checkpointId).not.toBe(head.checkpoint!.checkpointId);
  expect((await client.threads.search({ metadata: { purpose: "round-trip" } })).map((t) => t.threadId)).toEqual(["agent"]);
  expect(await client.threads.count({})).toBe(5);
  expect((await client.threads.updateMetadata({ threadId: "agent", metadata: { reviewed: true } })).metadata).toMatchObject({ purpose: "round-trip", reviewed: true });
  const copy = await client.threads.copy({ threadId: "agent", newThreadId: "agent-copy" });
  expect(copy.headCheckpointId).toBe((await client.threads.get({ threadId: "agent" })).headCheckpointId);
  const fork = await client.threads.fork({ threadId: "agent", checkpointId: first.checkpointId, newThreadId: "agent-fork" });
  expect(fork.headCheckpointId).toBe(first.checkpointId);
  const exported = await client.threads.export({ threadId: "hitl" });
  const imported = await client.threads.import({ data: exported, newThreadId: "hitl-imported" });
  expect((await client.state.get({ threadId: imported.threadId })).values).toEqual((await client.state.get({ threadId: "hitl" })).values);
  await client.threads.delete({ threadId: "agent-copy" });
  await expect(client.threads.get({ threadId: "agent-copy" })).rejects.toMatchObject({ code: "NOT_FOUND" });

  // A database written by LangGraph's own SqliteSaver (JS flavour) is imported, and a file that is
  // not SQLite is refused with its code intact across the worker and HTTP.
  const notDb = path.join(dir, "not-a-db.txt");
  writeFileSync(notDb, "plain text");
  await expect(client.threads.importLangGraph({ file: notDb })).rejects.toMatchObject({ code: "NOT_SQLITE" });
  if (!fixture.missing) {
    const copy = path.join(dir, "langgraph-js.db");
    copyFileSync(JS_FIXTURE, copy);
    const result = await client.threads.importLangGraph({ file: copy });
    expect(result.threads.map((t) => [t.threadId, t.checkpoints])).toEqual([["1", 16], ["2", 3]]);
    expect((await client.history.page({ threadId: "1", limit: 100 })).items).toHaveLength(16);
  }

  // LangGraph's store: a memory graph of a project writes to it (store.write), and the store.* calls read and edit it.
  await client.project.open({ dir: MEMORY_PROJECT });
  await client.threads.create({ threadId: "memory" });
  const remembered = await client.runs.start({ threadId: "memory", graphId: "memory", input: { user: "ada", message: "likes tea" } });
  await client.runs.join({ runId: remembered.runId });
  await until("store.write");
  expect((await client.store.info()).semanticSearch).toBe(true);
  expect(await client.store.listNamespaces()).toEqual([["memories", "ada"]]);
  await client.store.put({ namespace: ["memories", "ada"], key: "k", value: { text: "oolong" } });
  expect((await client.store.get({ namespace: ["memories", "ada"], key: "k" }))?.value).toEqual({ text: "oolong" });
  expect((await client.store.search({ namespacePrefix: ["memories"], query: "tea" })).length).toBe(2);
  await client.store.delete({ namespace: ["memories", "ada"], key: "k" });

  // LangGraph checkpoint stores opened in place, read-only: refusals first, then the JS fixture itself
  // (its thread "2" is already here from the import above, so its copy is renamed).
  await expect(client.sources.open({ location: notDb })).rejects.toMatchObject({ code: "NOT_SQLITE" });
  await expect(client.sources.copyToLocal({ threadId: "hitl" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  await expect(client.sources.close({ id: "local" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  expect((await client.sources.use({ id: "local" })).activeId).toBe("local");
  if (!fixture.missing) {
    const opened = await client.sources.open({ location: JS_FIXTURE });
    expect((await client.sources.list()).activeId).toBe(opened.activeId);
    expect((await client.threads.search({})).map((t) => t.threadId).sort()).toEqual(["1", "2"]);
    expect((await client.sources.copyToLocal({ threadId: "2" })).threadId).toBe("2-imported");
    expect((await client.sources.close({ id: opened.activeId })).sources.map((s) => s.id)).toEqual(["local"]);
  } else {
    await client.sources.list();
  }

  // An Agent Server as a source: another `threadline serve`, reached over its Agent Server API with its
  // token; this server itself is refused (its answers would come from that very connection).
  await expect(client.sources.connect({ url, apiKey: token })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  const other = await serve(path.join(dir, "other.db"));
  try {
    const connected = await client.sources.connect({ url: other.url, apiKey: other.token });
    expect(connected.activeId).not.toBe("local");
    const made = await client.threads.create({ graphId: "fan-out" });
    expect((await client.threads.search({})).map((t) => t.threadId)).toEqual([made.threadId]);
    expect((await client.sources.close({ id: connected.activeId })).activeId).toBe("local");
  } finally {
    await stopServe(other.child);
  }

  // The Agent Server adapter's own calls: assistants, versioned, and the history warm-up.
  const made = await client.assistants.put({ graphId: "memory", name: "wide", metadata: { team: "a" } });
  expect((await client.assistants.get({ assistantId: made.assistant_id })).name).toBe("wide");
  expect((await client.assistants.patch({ assistantId: made.assistant_id, name: "wider" })).version).toBe(2);
  expect((await client.assistants.versions({ assistantId: made.assistant_id })).map((v) => v.version)).toEqual([2, 1]);
  expect((await client.assistants.setLatest({ assistantId: made.assistant_id, version: 1 })).name).toBe("wide");
  const found = await client.assistants.search({ metadata: { team: "a" } });
  expect(found.assistants.map((a) => a.assistant_id)).toEqual([made.assistant_id]);
  expect(await client.assistants.count({ graphId: "memory" })).toBe(found.total + 1); // and the graph's default one
  expect((await client.assistants.delete({ assistantId: made.assistant_id })).assistantIds).toEqual([made.assistant_id]);
  expect((await client.history.warmUp()).states.length).toBeGreaterThan(0);

  // A worker restart (graphs reloaded) is announced, and the engine serves again afterwards.
  await client.graphs.reload();
  await client.project.open({ dir: null });
  await until("worker.restarted");
  expect((await client.threads.get({ threadId: "hitl" })).status).toBe("idle");

  for (const type of ["token", "console", "custom", "error", "interrupt", "run.finished"]) await until(type);
  stop();
  expect(CALL_NAMES.filter((name) => !called.has(name))).toEqual([]);
  expect(ENGINE_EVENT_TYPES.filter((type) => !seen(type))).toEqual([]);
}, 120_000);

it.skipIf(fixture.missing)(`serves its own threads through the Agent Server API whichever source the UI has open${fixture.missing ? ` (skipped: it ${fixture.reason})` : ""}`, async () => {
  const server = await serve(path.join(dir, "own.db"));
  const call = (route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "x-api-key": server.token, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const run = async (threadId: string, content: string) => {
    const done = await call(`/threads/${threadId}/runs/wait`, { assistant_id: "react-agent", input: { messages: [{ role: "user", content }] } });
    expect(done.status).toBe(200);
    return (await done.json()) as { messages: unknown[] };
  };
  try {
    const own = ((await (await call("/threads", { metadata: { mine: true } })).json()) as { thread_id: string }).thread_id;
    await run(own, "2+2");
    // The UI opens a store in place, which its calls now answer from.
    const ui = createClient(httpTransport(server.url, server.token).invoke);
    const opened = await ui.sources.open({ location: JS_FIXTURE });
    expect((await ui.threads.search({})).map((t) => t.threadId).sort()).toEqual(["1", "2"]);

    const listed = (await (await call("/threads/search", {})).json()) as { thread_id: string }[];
    expect(listed.map((t) => t.thread_id)).toEqual([own]);
    expect((await call("/threads/1/state")).status).toBe(404);
    expect(((await run(own, "weather in Paris")).messages.length)).toBeGreaterThan(2);
    const state = (await (await call(`/threads/${own}/state`)).json()) as { values: { messages: unknown[] } };
    expect(state.values.messages.length).toBeGreaterThan(4);
    // …and the UI's choice is left as it was.
    expect((await ui.sources.list()).activeId).toBe(opened.activeId);
    expect((await ui.threads.search({})).map((t) => t.threadId).sort()).toEqual(["1", "2"]);
  } finally {
    await stopServe(server.child);
  }
}, 120_000);

it("keeps an Agent Server API run's kwargs across a restart of the server", async () => {
  const dbFile = path.join(dir, "kwargs.db");
  const api = (server: Serving) => (route: string, init: RequestInit = {}) =>
    fetch(`${server.url}${route}`, { ...init, headers: { "x-api-key": server.token, "content-type": "application/json" } });
  const first = await serve(dbFile);
  let runPath: string;
  let before: { kwargs: Record<string, unknown> };
  try {
    const call = api(first);
    const thread = (await (await call("/threads", { method: "POST", body: "{}" })).json()) as { thread_id: string };
    const request = {
      assistant_id: "human-in-the-loop",
      input: { request: "refund order 42" },
      config: { configurable: { user: "ada" } },
      stream_mode: ["values", "updates"],
      interrupt_before: ["review"],
    };
    const created = await call(`/threads/${thread.thread_id}/runs`, { method: "POST", body: JSON.stringify(request) });
    expect(created.status).toBe(200);
    const run = (await created.json()) as { run_id: string };
    runPath = `/threads/${thread.thread_id}/runs/${run.run_id}`;
    await call(`${runPath}/join`);
    before = (await (await call(runPath)).json()) as typeof before;
    expect(before.kwargs).toMatchObject({
      input: request.input,
      stream_mode: request.stream_mode,
      interrupt_before: request.interrupt_before,
      config: { configurable: { user: "ada", run_id: run.run_id, thread_id: thread.thread_id, graph_id: "human-in-the-loop" } },
    });
  } finally {
    await stopServe(first.child);
  }
  const second = await serve(dbFile);
  try {
    const after = await api(second)(runPath);
    expect(after.status).toBe(200);
    expect(((await after.json()) as typeof before).kwargs).toEqual(before.kwargs);
  } finally {
    await stopServe(second.child);
  }
}, 120_000);

it("refuses a --db that is not SQLite with a clear message, leaving the file unchanged", async () => {
  const file = path.join(dir, "notes.txt");
  writeFileSync(file, "not a database\n");
  const result = spawnSync(process.execPath, [BIN, "serve", "--db", file, "--port", "0"], { encoding: "utf8", timeout: 30_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`${file} is not a SQLite database; it was left unchanged.`);
  expect(readFileSync(file, "utf8")).toBe("not a database\n");
  expect(existsSync(`${file}-wal`)).toBe(false);
}, 60_000);

it("reports a malformed langgraph.json, and lists the examples in a project only with --examples", async () => {
  const project = path.join(dir, "broken-project");
  mkdirSync(project);
  writeFileSync(path.join(project, "langgraph.json"), '{ "graphs": { "agent": "./agent.ts:graph", } ');
  const child = spawn(process.execPath, [BIN, "serve", "--db", path.join(dir, "p.db"), "--project", project, "--examples", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  await vi.waitFor(() => expect(out).toContain("serving on"), { timeout: 30_000, interval: 100 });
  child.kill("SIGTERM");
  expect(out).toMatch(/langgraph\.json.*(line|position)/i);
  expect(out).toMatch(/Graphs: .*react-agent/);
}, 60_000);

const PY_FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures/langgraph-dbs");
const hasPyFixtures = existsSync(path.join(PY_FIXTURES, "MANIFEST.md"));

describe.skipIf(!hasPyFixtures)(`threadline import${hasPyFixtures ? "" : ` (skipped: no fixtures at ${PY_FIXTURES})`}`, () => {
  it("imports a Python SqliteSaver database and refuses the legacy schema without writing", () => {
    const source = path.join(dir, "python-hitl.db");
    copyFileSync(path.join(PY_FIXTURES, "Husnain-eng__Research-Agent-Pro-HITL-Powered-Agentic-AI__checkpoints.db"), source);
    const target = path.join(dir, "imported.db");
    const ok = spawnSync(process.execPath, [BIN, "import", source, "--db", target], { encoding: "utf8", timeout: 60_000 });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("imported fd6d79e3-8192-448b-8854-985961588ee1 as fd6d79e3-8192-448b-8854-985961588ee1: 7 checkpoints");
    expect(ok.stdout).toContain("3 threads imported");

    const legacy = path.join(dir, "legacy.sqlite");
    copyFileSync(path.join(PY_FIXTURES, "darkfennertrader__multiagents__checkpoints.sqlite"), legacy);
    const refused = spawnSync(process.execPath, [BIN, "import", legacy, "--db", target], { encoding: "utf8", timeout: 60_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/legacy schema is not supported.*Nothing was imported/s);
  }, 120_000);
});
