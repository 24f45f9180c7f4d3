// The adapter's handlers one by one, over an engine that answers from a script: what each route
// asks the engine, what it answers, and how it refuses a bad request or maps an engine error.
import { Hono } from "hono";
import type { CallName } from "../../shared/contract";
import { ERROR_CODES, ThreadlineError } from "../../shared/errors";
import type { RunInfo } from "../../shared/types";
import { newRunInfo } from "../../core/storage/runs-table";
import { HTTP_STATUS } from "../error-status";
import { ApiContext, mergedThreadConfig } from "./context";
import { apiThreadState } from "../../shared/agent-api/state";
import { metadataInfo } from "../../core/threads/snapshot";
import { createAgentApi } from "./index";
import { runRoutes } from "./runs";
import { threadRoutes } from "./threads";

type Answer = (args: Record<string, unknown>) => unknown;

function scriptedEngine(answers: Partial<Record<CallName, Answer>>) {
  const calls: { name: CallName; args: Record<string, unknown> }[] = [];
  return {
    calls,
    engine: {
      async invoke(name: CallName, args: unknown) {
        calls.push({ name, args: args as Record<string, unknown> });
        const answer = answers[name];
        if (!answer) throw new ThreadlineError("INTERNAL", `unscripted call ${name}`);
        return answer(args as Record<string, unknown>);
      },
      onEvent: () => () => undefined,
    },
  };
}

const run: RunInfo = newRunInfo({ runId: "run-1", threadId: "t-1", graphId: "agent", createdAt: "2026-01-01T00:00:00.000Z", status: "success" });

const post = (app: Hono, path: string, body: unknown) =>
  app.request(path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("Agent Server API handlers", () => {
  it("refuses a body of the wrong type with 422, naming the field, before asking the engine", async () => {
    const { engine, calls } = scriptedEngine({});
    const app = new Hono();
    threadRoutes(app, new ApiContext(engine));
    const response = await post(app, "/threads/search", { limit: "ten", status: "sleeping" });
    expect(response.status).toBe(422);
    const { message } = (await response.json()) as { message: string };
    expect(message).toMatch(/limit: .*number/);
    expect(message).toMatch(/status: /);
    expect(calls).toEqual([]);
    expect((await post(app, "/threads", "[1, 2]")).status).toBe(422);
    expect((await post(app, "/threads", "{not json")).status).toBe(422);
  });

  it("requires an assistant for a run", async () => {
    const { engine } = scriptedEngine({});
    const app = new Hono();
    runRoutes(app, new ApiContext(engine));
    const response = await post(app, "/threads/t-1/runs", { input: {} });
    // Everything else is optional: only the assistant is missing.
    const bare = await post(app, "/threads/t-1/runs", {});
    expect(((await bare.json()) as { message: string }).message).toMatch(/: the request body: assistant_id: assistant_id is required$/);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain("assistant_id is required");
  });

  it("answers a run with the kwargs stored with it, adding its run id", async () => {
    const stored = { input: { q: 1 }, config: { configurable: { thread_id: "t-1", user: "ada" } }, stream_mode: ["values"] };
    const { engine, calls } = scriptedEngine({
      "runs.get": () => run,
      "runs.requests": (args) => ({ requests: (args.runIds as string[]).includes("run-1") ? { "run-1": stored } : {} }),
    });
    const app = new Hono();
    runRoutes(app, new ApiContext(engine));
    const response = await app.request("/threads/t-1/runs/run-1");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { kwargs: unknown };
    expect(body.kwargs).toEqual({ ...stored, config: { configurable: { thread_id: "t-1", user: "ada", run_id: "run-1" } } });
    expect(calls.map((c) => c.name)).toEqual(["runs.get", "runs.requests"]);
    expect((await app.request("/threads/other/runs/run-1")).status).toBe(404);
  });

  it("maps every engine error code through the one status map browser mode uses", async () => {
    for (const code of ERROR_CODES) {
      const { engine } = scriptedEngine({
        "threads.get": () => {
          throw new ThreadlineError(code, `failed with ${code}`);
        },
      });
      const response = await createAgentApi(engine).request("/threads/t-1");
      expect([code, response.status]).toEqual([code, HTTP_STATUS[code]]);
      expect(await response.json()).toEqual({ error: code, message: `failed with ${code}` });
    }
  });

  it("lists a thread's runs oldest first, as langgraph dev does, paging from the oldest", async () => {
    const newestFirst = ["r3", "r2", "r1"].map((runId) => ({ ...run, runId }));
    const { engine } = scriptedEngine({ "runs.list": () => newestFirst, "runs.requests": () => ({ requests: {} }) });
    const app = new Hono();
    runRoutes(app, new ApiContext(engine));
    const ids = async (query: string) => ((await (await app.request(`/threads/t-1/runs${query}`)).json()) as { run_id: string }[]).map((r) => r.run_id);
    expect(await ids("")).toEqual(["r1", "r2", "r3"]);
    expect(await ids("?limit=2&offset=1")).toEqual(["r2", "r3"]);
  });

  it("merges a thread's config from its runs' requests, without the ids the server adds per run", () => {
    const request = (configurable: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      config: { ...extra, configurable: { ...configurable, run_id: "x", thread_id: "t", graph_id: "g", assistant_id: "a" }, metadata: { m: 1 } },
    });
    expect(mergedThreadConfig([])).toEqual({ configurable: {} });
    expect(mergedThreadConfig([request({ user: "ada", mood: "calm" }, { recursion_limit: 5 }), undefined, request({ mood: "busy" })])).toEqual({
      recursion_limit: 5,
      configurable: { user: "ada", mood: "busy" },
    });
  });

  it("writes no metadata key for a thread without a checkpoint, and LangGraph's parents and writes where stored", () => {
    const empty = { values: {}, next: [], tasks: [], metadata: null, pendingWrites: [], checkpoint: null, parent: null, createdAt: null };
    expect(Object.keys(apiThreadState(empty as never, "t"))).not.toContain("metadata");
    const info = metadataInfo({ source: "loop", step: 2, parents: { "": "cp-root" }, writes: { agent: { n: 1 } }, thread_id: "t" });
    const state = apiThreadState({ ...empty, metadata: info, checkpoint: { threadId: "t", checkpointNs: "inner:1", checkpointId: "c" } } as never, "t");
    expect(state.metadata).toEqual({ thread_id: "t", source: "loop", writes: { agent: { n: 1 } }, step: 2, parents: { "": "cp-root" } });
  });
});

describe("history pages and the history cache", () => {
  const state = (checkpointId: string, revision: string) => ({ checkpointNs: "", checkpointId, json: `{"id":"${checkpointId}"}`, revision });

  it("builds a thread's first page without asking for revisions, then serves it again from the cache after checking them", async () => {
    const { engine, calls } = scriptedEngine({
      "history.apiStates": () => ({ states: [state("c2", "r2"), state("c1", "r1")] }),
      "history.revisions": () => ({ items: [{ checkpointId: "c2", revision: "r2" }, { checkpointId: "c1", revision: "r1" }] }),
    });
    const app = createAgentApi(engine);
    const first = await post(app, "/threads/t-1/history", { limit: 2 });
    expect(await first.json()).toEqual([{ id: "c2" }, { id: "c1" }]);
    expect(calls.map((c) => c.name)).toEqual(["history.apiStates"]);
    const again = await post(app, "/threads/t-1/history", { limit: 2 });
    expect(await again.json()).toEqual([{ id: "c2" }, { id: "c1" }]);
    expect(calls.map((c) => c.name)).toEqual(["history.apiStates", "history.revisions"]);
  });

  it("answers 404 for a thread with nothing kept that the engine does not know", async () => {
    const { engine } = scriptedEngine({
      "history.apiStates": () => {
        throw new ThreadlineError("NOT_FOUND", "no thread t-9");
      },
    });
    expect((await post(createAgentApi(engine), "/threads/t-9/history", { limit: 2 })).status).toBe(404);
  });
});
