import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EngineEvent } from "../../shared/events";
import type { RunInfo } from "../../shared/types";
import { EngineHost, type EngineHostOptions } from "./engine-host";

const TEST_ENGINE = new URL("./fixtures/test-engine.ts", import.meta.url);

let dir: string;
let host: EngineHost | undefined;
let events: EngineEvent[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-host-"));
  events = [];
});

afterEach(async () => {
  await host?.close();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function startHost(options: Partial<EngineHostOptions> = {}): Promise<EngineHost> {
  host = await EngineHost.start({ dbFile: path.join(dir, "engine.db"), engineModule: TEST_ENGINE, ...options });
  host.onEvent((e) => events.push(e));
  return host;
}

function waitForEvent(predicate: (e: EngineEvent) => boolean, timeout = 20_000): Promise<EngineEvent> {
  return vi.waitFor(
    () => {
      const found = events.find(predicate);
      if (!found) throw new Error("not yet");
      return found;
    },
    { timeout, interval: 20 },
  );
}

async function runToEnd(h: EngineHost, graphId: string, input: unknown, threadId = `t-${graphId}`): Promise<RunInfo> {
  const run = await h.call("runs.start", { threadId, graphId, input: input as never });
  return h.call("runs.join", { runId: run.runId });
}

describe("EngineHost", () => {
  it("serves calls from the worker and forwards the run's events", async () => {
    const h = await startHost();
    const info = await runToEnd(h, "line", { log: [] });
    expect(info.status).toBe("success");
    const mine = events.filter((e) => "runId" in e && e.runId === info.runId).map((e) => e.type);
    expect(mine[0]).toBe("run.created");
    expect(mine).toContain("node.finished");
    expect(mine).toContain("console");
    expect(mine.at(-1)).toBe("run.finished");
    expect(await h.call("runs.console", { runId: info.runId })).toHaveLength(2);
  });

  it("delivers a call's parts ahead of its result when asked, and the whole result otherwise", async () => {
    // The test engine's history.apiStates hands out three states one by one when the caller takes parts.
    const h = await startHost();
    const parts: unknown[] = [];
    const streamed = (await h.stream("history.apiStates", { threadId: "parts", limit: 3 }, (part) => parts.push(part))) as { states: unknown[] };
    expect(streamed.states).toEqual([]);
    const whole = await h.call("history.apiStates", { threadId: "parts", limit: 3 });
    expect(whole.states.map((s) => s.checkpointId)).toEqual(["c3", "c2", "c1"]);
    expect(parts).toEqual(whole.states.map((state) => ({ states: [state] })));
    await expect(h.stream("history.apiStates", { threadId: "nope" }, () => undefined)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("validates arguments in the worker and answers errors as {code, message}", async () => {
    const h = await startHost();
    const outcome = await h.callRaw("runs.start", { threadId: 5, graphId: "line" });
    expect(outcome).toEqual({ ok: false, error: { code: "INVALID_ARGUMENT", message: expect.stringContaining("threadId") } });
    expect(await h.callRaw("runs.get", { runId: "missing" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await h.callRaw("no.such", {})).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
    await expect(h.call("runs.get", { runId: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("ends a run whose node calls process.exit with an error, and keeps serving", async () => {
    const h = await startHost();
    const info = await runToEnd(h, "exits", {});
    expect(info.status).toBe("error");
    expect(info.error).toMatchObject({ node: "quit", className: "ProcessExit" });
    expect(info.error!.message).toContain("process.exit(3)");
    expect(info.error!.stack).toContain("user-graphs.ts");
    expect((await runToEnd(h, "line", { log: [] }, "after-exit")).status).toBe("success");
    expect(events.some((e) => e.type === "worker.restarted")).toBe(false);
  });

  it("ends a run whose node throws asynchronously with an error, and keeps serving", async () => {
    const h = await startHost();
    const thrown = await runToEnd(h, "async-throw", {});
    expect(thrown.status).toBe("error");
    expect(thrown.error).toMatchObject({ className: "TypeError", message: "thrown later, from a timer", node: "fire_and_forget" });
    expect(thrown.error!.stack).toContain("user-graphs.ts");
    const rejected = await runToEnd(h, "unhandled-rejection", {});
    expect(rejected.error).toMatchObject({ className: "RangeError", node: "forgot_await" });
    expect((await runToEnd(h, "line", { log: [] }, "after-throw")).status).toBe("success");
  });

  it("stops the run's worker when a cancelled run does not stop, and fails that run alone", async () => {
    const h = await startHost({ cancelGraceMs: 500 });
    const run = await h.call("runs.start", { threadId: "spin", graphId: "spin", input: {} });
    // The node blocks the worker's thread, so its own events may never leave it.
    await waitForEvent((e) => e.type === "run.started" && e.runId === run.runId);
    await new Promise((r) => setTimeout(r, 100));
    const cancelled = await h.call("runs.cancel", { runId: run.runId });
    expect(cancelled.status).toBe("error");
    expect(cancelled.error?.message).toContain(`run ${run.runId} did not stop`);
    const finished = await waitForEvent((e) => e.type === "run.finished" && e.runId === run.runId);
    expect(finished).toMatchObject({ status: "error" });
    expect((await runToEnd(h, "line", { log: [] }, "after-spin")).status).toBe("success");
    // Only the run's own worker was stopped: the engine that serves everything else was not restarted.
    expect(events.some((e) => e.type === "worker.restarted")).toBe(false);
  });

  it("acts on the contract's call facts: graphs.reload restarts the worker, a waiting runs.join is sent again", async () => {
    const h = await startHost();
    const slow = await h.call("runs.start", { threadId: "reloaded", graphId: "slow", input: { n: 10_000 } });
    await waitForEvent((e) => e.type === "node.started" && e.runId === slow.runId);
    // retryAfterRestart: the join the old worker never answered is answered by the new one.
    const joined = h.call("runs.join", { runId: slow.runId });
    // restartsEngine: answered by a fresh worker, then by its answer call (which this engine does not serve).
    const reload = await h.callRaw("graphs.reload", {});
    expect(reload).toMatchObject({ ok: false, error: { message: expect.stringContaining("graphs.list") } });
    expect(await waitForEvent((e) => e.type === "worker.restarted")).toMatchObject({ reason: "graphs reloaded" });
    expect(await joined).toMatchObject({ runId: slow.runId, status: "error" });
  });

  // Starts four workers in turn (the engine, a runner, the engine again after the edit, another runner): slow under load.
  it("restarts when a code file of the project changes, but not for node_modules or files an agent writes", { timeout: 90_000 }, async () => {
    const project = path.join(dir, "project");
    mkdirSync(path.join(project, "src"), { recursive: true });
    mkdirSync(path.join(project, "node_modules", "pkg"), { recursive: true });
    writeFileSync(path.join(project, "src", "agent.ts"), "export const a = 1;\n");
    const h = await startHost({ projectDir: project, watchDebounceMs: 50 });
    writeFileSync(path.join(project, "node_modules", "pkg", "index.js"), "x");
    writeFileSync(path.join(project, "src", "agent-output.log"), "written by a tool while a run goes on\n");
    writeFileSync(path.join(project, "results.sqlite"), "");
    await new Promise((r) => setTimeout(r, 300));
    expect(events.some((e) => e.type === "worker.restarted")).toBe(false);

    const slow = await h.call("runs.start", { threadId: "in-flight", graphId: "slow", input: { n: 10_000 } });
    await waitForEvent((e) => e.type === "node.started" && e.runId === slow.runId);
    writeFileSync(path.join(project, "src", "agent.ts"), "export const a = 2;\n");
    const restarted = await waitForEvent((e) => e.type === "worker.restarted");
    expect(restarted).toMatchObject({ reason: expect.stringContaining(path.join("src", "agent.ts")) });
    const finished = await waitForEvent((e) => e.type === "run.finished" && e.runId === slow.runId);
    expect(finished).toMatchObject({ status: "error", error: { className: "EngineStopped" } });
    expect(await h.call("runs.get", { runId: slow.runId })).toMatchObject({ status: "error" });
    expect((await runToEnd(h, "line", { log: [] }, "after-edit")).status).toBe("success");
  });

  it("opens another project in a fresh worker", async () => {
    const h = await startHost({ watch: false });
    expect(await h.call("project.info", {})).toMatchObject({ dir: null });
    const project = path.join(dir, "other");
    mkdirSync(project);
    expect(await h.call("project.open", { dir: project })).toMatchObject({ dir: project });
    expect(await waitForEvent((e) => e.type === "worker.restarted")).toMatchObject({ reason: expect.stringContaining(project) });
    expect(await h.callRaw("project.open", { dir: 3 })).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
  });

  it("restarts a worker that exits outside any run", async () => {
    const h = await startHost();
    const outcome = await h.callRaw("threads.delete", { threadId: "x" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "UNAVAILABLE", message: expect.stringContaining("threads.delete") } });
    expect(await waitForEvent((e) => e.type === "worker.restarted")).toMatchObject({ reason: expect.stringContaining("code 7") });
    expect((await runToEnd(h, "line", { log: [] }, "after-crash")).status).toBe("success");
  });

  it("runs the example graphs through the default engine (the Inspector)", async () => {
    const h = await startHost({ engineModule: undefined });
    const { graphs } = await h.call("graphs.list", {});
    expect(graphs.map((g) => g.id)).toEqual(expect.arrayContaining(["react-agent", "human-in-the-loop", "fan-out"]));
    await h.call("threads.create", { threadId: "default-hitl" });
    const first = await h.call("runs.start", { threadId: "default-hitl", graphId: "human-in-the-loop", input: { request: "go" } });
    expect((await h.call("runs.join", { runId: first.runId })).status).toBe("interrupted");
    const resumed = await h.call("runs.start", { threadId: "default-hitl", graphId: "human-in-the-loop", command: { resume: "approve" } });
    expect((await h.call("runs.join", { runId: resumed.runId })).status).toBe("success");
    const state = await h.call("state.get", { threadId: "default-hitl" });
    expect(state.values).toMatchObject({ outcome: "sent" });
  });

  it("reports a worker that cannot start its engine on every call", async () => {
    const h = await startHost({ engineModule: new URL("./no-such-engine.ts", import.meta.url) });
    expect(await h.callRaw("runs.get", { runId: "x" })).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
  });

  it("answers, instead of hanging, when every worker it starts dies while starting", async () => {
    host = await EngineHost.start({
      dbFile: path.join(dir, "engine.db"),
      engineModule: new URL("./fixtures/exit-at-start.ts", import.meta.url),
      maxCrashesPerMinute: 1,
    });
    const outcome = await host.callRaw("project.info", {});
    expect(outcome).toMatchObject({ ok: false, error: { code: "UNAVAILABLE", message: expect.stringMatching(/stopped \d+ times within a minute \(last exit code 3\)/) } });
  }, 60_000);
});
