import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, type CallArgs } from "../../shared/contract";
import { ThreadlineError } from "../../shared/errors";
import type { EngineEvent, RunEvent } from "../../shared/events";
import type { RunInfo } from "../../shared/types";
import { insertRun, newRunInfo } from "../storage/runs-table";
import { installConsoleCapture } from "./console-capture";
import { createTestEngine, type TestEngine } from "../worker/fixtures/test-engine";
import { LocalRunManager } from "./run-manager";
import { ownerId } from "./runs-store";

let dir: string;
let engine: TestEngine;
let events: EngineEvent[];
let restoreConsole: () => void;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-runs-"));
  events = [];
  engine = await createTestEngine(
    { dbFile: path.join(dir, "t.db"), projectDir: null, owner: ownerId(process.pid, "test"), deadOwners: [], restartReason: null },
    (e) => events.push(e),
  );
  restoreConsole = installConsoleCapture();
});

afterEach(async () => {
  restoreConsole();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = (args: CallArgs<"runs.start">) => engine.runs.start(parseArgs("runs.start", args));

async function run(args: CallArgs<"runs.start">): Promise<{ info: RunInfo; events: RunEvent[] }> {
  const started = await start(args);
  const info = await engine.runs.join(started.runId);
  return { info, events: eventsOf(started.runId) };
}

function eventsOf(runId: string): RunEvent[] {
  return events.filter((e): e is RunEvent => "runId" in e && e.runId === runId);
}

function waitForEvent(predicate: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return vi.waitFor(
    () => {
      const found = events.find(predicate);
      if (!found) throw new Error("not yet");
      return found;
    },
    { timeout: 10_000, interval: 10 },
  );
}

const types = (list: RunEvent[]) => list.map((e) => e.type);
const nodesRun = (list: RunEvent[], namespace: string[] = []) =>
  list.filter((e) => e.type === "node.finished" && e.namespace.join("|") === namespace.join("|")).map((e) => (e as { node: string }).node);

async function stateOf(graphId: string, threadId: string) {
  return engine.graph(graphId).getState({ configurable: { thread_id: threadId } });
}

describe("a run of each example graph", () => {
  it("react-agent streams nodes, tokens, values and checkpoints in order and is persisted", async () => {
    const { info, events: ev } = await run({
      threadId: "t-react",
      graphId: "react-agent",
      input: { messages: [{ role: "user", content: "What's the weather in Paris?" }] },
    });
    expect(info.status).toBe("success");
    const t = types(ev);
    expect(t[0]).toBe("run.created");
    expect(t[1]).toBe("run.started");
    expect(t.at(-1)).toBe("run.finished");
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    expect(nodesRun(ev)).toEqual(["agent", "tools", "agent"]);
    // Each node starts before it finishes, and tokens arrive while the agent runs.
    const firstStart = t.indexOf("node.started");
    const firstToken = t.indexOf("token");
    const firstFinish = t.indexOf("node.finished");
    expect(firstStart).toBeLessThan(firstToken);
    expect(firstToken).toBeLessThan(firstFinish);
    const text = ev.filter((e) => e.type === "token").map((e) => (e as { text: string }).text).join("");
    expect(text.length).toBeGreaterThan(0);
    // A step's values carry that step's number, the same as its checkpoint.
    const rootValues = ev.filter((e) => e.type === "values" && e.namespace.length === 0) as Extract<RunEvent, { type: "values" }>[];
    expect(rootValues.map((v) => v.step)).toEqual([0, 1, 2, 3]);
    const checkpoints = ev.filter((e) => e.type === "checkpoint").map((e) => (e as Extract<RunEvent, { type: "checkpoint" }>).checkpoint);
    expect(checkpoints.map((c) => c.step)).toEqual([-1, 0, 1, 2, 3]);
    expect(checkpoints[1]!.parentCheckpointId).toBe(checkpoints[0]!.checkpointId);
    expect(checkpoints[2]!.nodes).toEqual(["agent"]);

    const stored = engine.runs.get(info.runId);
    expect(stored).toMatchObject({ status: "success", threadId: "t-react", graphId: "react-agent", error: null });
    expect(stored.startedAt).not.toBeNull();
    expect(stored.finishedAt).not.toBeNull();
    expect(stored.nodeTimings.map((n) => n.node)).toEqual(["agent", "tools", "agent"]);
    expect(stored.nodeTimings.every((n) => n.durationMs >= 0)).toBe(true);
    expect(engine.runs.list("t-react", { limit: 10, offset: 0 }).map((r) => r.runId)).toEqual([info.runId]);
    const finished = ev.at(-1) as Extract<RunEvent, { type: "run.finished" }>;
    expect(finished.run.status).toBe("success");
  });

  it("human-in-the-loop stops at its interrupt and finishes when resumed", async () => {
    const first = await run({ threadId: "t-hitl", graphId: "human-in-the-loop", input: { request: "ship it" } });
    expect(first.info.status).toBe("interrupted");
    const interrupt = first.events.find((e) => e.type === "interrupt") as Extract<RunEvent, { type: "interrupt" }>;
    expect(interrupt.interrupts).toHaveLength(1);
    expect(interrupt.interrupts[0]!.value).toMatchObject({ question: "Send this email?" });
    expect(engine.runs.isBusy("t-hitl")).toBe(false);

    const resumed = await run({ threadId: "t-hitl", graphId: "human-in-the-loop", command: { resume: "approve" } });
    expect(resumed.info.status).toBe("success");
    expect(nodesRun(resumed.events)).toEqual(["review", "send"]);
    const state = await stateOf("human-in-the-loop", "t-hitl");
    expect(state.values.outcome).toBe("sent");
  });

  it("fan-out streams the subgraph's nodes and checkpoints under their namespace", async () => {
    const { info, events: ev } = await run({ threadId: "t-fan", graphId: "fan-out", input: { topic: "tides", aspects: 2 } });
    expect(info.status).toBe("success");
    expect(nodesRun(ev)).toEqual(["plan", "research", "research", "combine"]);
    const inner = ev.filter((e) => e.type === "node.finished" && e.namespace.length === 1);
    expect(inner.map((e) => (e as { node: string }).node).sort()).toEqual(["gather", "gather", "summarize", "summarize"]);
    expect((inner[0] as { namespace: string[] }).namespace[0]).toMatch(/^research:/);
    const subCheckpoints = ev.filter((e) => e.type === "checkpoint" && e.checkpoint.checkpointNs !== "");
    expect(subCheckpoints.length).toBeGreaterThan(0);
    expect(info.nodeTimings.some((t) => t.checkpointNs.startsWith("research:"))).toBe(true);
  });
});

describe("breakpoints, Continue and Step", () => {
  it("pauses before a node and continues past it with no input", async () => {
    const paused = await run({ threadId: "bp1", graphId: "line", input: { log: [] }, interruptBefore: ["two"] });
    expect(paused.info.status).toBe("interrupted");
    expect(nodesRun(paused.events)).toEqual(["one"]);
    expect((await stateOf("line", "bp1")).next).toEqual(["two"]);

    const continued = await run({ threadId: "bp1", graphId: "line" });
    expect(continued.info.status).toBe("success");
    expect(nodesRun(continued.events)).toEqual(["two", "three"]);
    expect(continued.events.filter((e) => e.type === "values").map((e) => (e as { step: number }).step)).toEqual([1, 2, 3]);
    expect(continued.events.filter((e) => e.type === "node.started").map((e) => (e as { step: number }).step)).toEqual([2, 3]);
    expect((await stateOf("line", "bp1")).values.log).toEqual(["one", "two", "three"]);
  });

  it("pauses after a node", async () => {
    const paused = await run({ threadId: "bp2", graphId: "line", input: { log: [] }, interruptAfter: ["two"] });
    expect(paused.info.status).toBe("interrupted");
    expect(nodesRun(paused.events)).toEqual(["one", "two"]);
    expect((await stateOf("line", "bp2")).next).toEqual(["three"]);
  });

  it("Step runs exactly one superstep at a time", async () => {
    const first = await run({ threadId: "step", graphId: "line", input: { log: [] }, step: true });
    expect(first.info.status).toBe("interrupted");
    expect(nodesRun(first.events)).toEqual(["one"]);
    const second = await run({ threadId: "step", graphId: "line", step: true });
    expect(nodesRun(second.events)).toEqual(["two"]);
    const rest = await run({ threadId: "step", graphId: "line" });
    expect(nodesRun(rest.events)).toEqual(["three"]);
    expect(rest.info.status).toBe("success");
  });
});

describe("replay", () => {
  it("replays from an old checkpoint onto a new branch", async () => {
    const original = await run({ threadId: "replay", graphId: "line", input: { log: [] } });
    const checkpoints = original.events.filter((e) => e.type === "checkpoint").map((e) => (e as Extract<RunEvent, { type: "checkpoint" }>).checkpoint);
    const afterOne = checkpoints.find((c) => c.step === 1)!;
    const replay = await run({ threadId: "replay", graphId: "line", checkpointId: afterOne.checkpointId });
    expect(replay.info.status).toBe("success");
    expect(replay.info.checkpointId).toBe(afterOne.checkpointId);
    expect(nodesRun(replay.events)).toEqual(["two", "three"]);
    const fresh = replay.events.filter((e) => e.type === "checkpoint").map((e) => (e as Extract<RunEvent, { type: "checkpoint" }>).checkpoint);
    // The branch starts at the old checkpoint: its first new checkpoint shares a parent with the original's.
    expect(fresh[0]!.parentCheckpointId).toBe(afterOne.checkpointId);
    const originalChild = checkpoints.find((c) => c.parentCheckpointId === afterOne.checkpointId)!;
    expect(fresh[0]!.checkpointId).not.toBe(originalChild.checkpointId);
    expect((await stateOf("line", "replay")).values.log).toEqual(["one", "two", "three"]);
  });

  it("answers NOT_FOUND for an unknown checkpoint or graph", async () => {
    await expect(start({ threadId: "x", graphId: "line", checkpointId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(start({ threadId: "x", graphId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("cancel and multitask", () => {
  it("cancels a running run without waiting for its node, which ends interrupted and cancelled", async () => {
    // The node sleeps far beyond the test's timeout: a cancel that waited for it would time out.
    const started = await start({ threadId: "c1", graphId: "slow", input: { n: 3_600_000 } });
    await waitForEvent((e) => e.type === "node.started" && e.runId === started.runId);
    const cancelled = await engine.runs.cancel(started.runId, "interrupt");
    expect(cancelled).toMatchObject({ status: "interrupted", cancelled: true });
    expect(engine.runs.get(started.runId)).toMatchObject({ status: "interrupted", cancelled: true });
    expect(await engine.runs.join(started.runId)).toMatchObject({ status: "interrupted" });
    expect(engine.runs.isBusy("c1")).toBe(false);
  });

  it("rejects a second run on a busy thread with CONFLICT", async () => {
    const first = await start({ threadId: "m1", graphId: "slow", input: { n: 300 } });
    const error = await start({ threadId: "m1", graphId: "line", input: { log: [] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadlineError);
    expect(error).toMatchObject({ code: "CONFLICT" });
    expect(await engine.runs.join(first.runId)).toMatchObject({ status: "success" });
  });

  it("enqueues a run until the thread is free", async () => {
    const first = await start({ threadId: "m2", graphId: "slow", input: { n: 200 } });
    const second = await start({ threadId: "m2", graphId: "line", input: { log: ["next"] }, multitaskStrategy: "enqueue" });
    expect(second.status).toBe("pending");
    const done = await engine.runs.join(second.runId);
    expect(done.status).toBe("success");
    const firstDone = engine.runs.get(first.runId);
    expect(firstDone.status).toBe("success");
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(firstDone.finishedAt!));
    expect((await stateOf("line", "m2")).values.log).toEqual(["slow", "next", "one", "two", "three"]);
  });

  it("cancels a queued run before it starts, leaving the active one running", async () => {
    const first = await start({ threadId: "m5", graphId: "slow", input: { n: 200 } });
    const queued = await start({ threadId: "m5", graphId: "line", input: { log: [] }, multitaskStrategy: "enqueue" });
    expect(await engine.runs.cancel(queued.runId, "interrupt")).toMatchObject({ status: "interrupted", cancelled: true, startedAt: null });
    expect(await engine.runs.join(first.runId)).toMatchObject({ status: "success" });
    expect(eventsOf(queued.runId).map((e) => e.type)).toEqual(["run.created", "run.finished"]);
  });

  it("interrupts the active run and starts the new one", async () => {
    const first = await start({ threadId: "m3", graphId: "slow", input: { n: 10_000 } });
    await waitForEvent((e) => e.type === "node.started" && e.runId === first.runId);
    const second = await start({ threadId: "m3", graphId: "line", input: { log: ["new"] }, multitaskStrategy: "interrupt" });
    expect(await engine.runs.join(second.runId)).toMatchObject({ status: "success" });
    expect(engine.runs.get(first.runId)).toMatchObject({ status: "interrupted", cancelled: true });
  });

  it("rolls back the active run: its row is deleted and the next run starts from before it", async () => {
    await run({ threadId: "m4", graphId: "line", input: { log: ["base"] } });
    const doomed = await start({ threadId: "m4", graphId: "slow", input: { n: 10_000 } });
    await waitForEvent((e) => e.type === "node.started" && e.runId === doomed.runId);
    const next = await start({ threadId: "m4", graphId: "line", multitaskStrategy: "rollback", input: { log: ["after"] } });
    expect(await engine.runs.join(next.runId)).toMatchObject({ status: "success" });
    expect(() => engine.runs.get(doomed.runId)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    const state = await stateOf("line", "m4");
    expect(state.values.log).toEqual(["base", "one", "two", "three", "after", "one", "two", "three"]);
    // The rolled-back run had already written its input (n) into a checkpoint; the head no longer has it.
    expect(state.values.n).toBeUndefined();
    // ...and none of its checkpoints is left in the history: the rollback deleted them.
    const history = await engine.checkpointer.list({ configurable: { thread_id: "m4" } });
    for await (const tuple of history) expect((tuple.checkpoint.channel_values as { n?: unknown }).n).toBeUndefined();
  });
});

describe("two engines on one database file (as two processes)", () => {
  let other: TestEngine;
  let otherEvents: EngineEvent[];

  beforeEach(async () => {
    otherEvents = [];
    other = await createTestEngine(
      { dbFile: path.join(dir, "t.db"), projectDir: null, owner: ownerId(process.pid, "other"), deadOwners: [], restartReason: null },
      (e) => otherEvents.push(e),
    );
  });
  afterEach(() => other.close());

  it("sees the other's run as busy, rejects under reject and waits under enqueue", async () => {
    const first = await start({ threadId: "shared", graphId: "slow", input: { n: 300 } });
    expect(other.runs.isBusy("shared")).toBe(true);
    const parsed = (args: CallArgs<"runs.start">) => parseArgs("runs.start", args);
    await expect(other.runs.start(parsed({ threadId: "shared", graphId: "line", input: { log: [] } }))).rejects.toMatchObject({ code: "CONFLICT" });
    const queued = await other.runs.start(parsed({ threadId: "shared", graphId: "line", input: { log: ["b"] }, multitaskStrategy: "enqueue" }));
    expect(await other.runs.join(queued.runId)).toMatchObject({ status: "success" });
    const firstDone = engine.runs.get(first.runId);
    expect(firstDone.status).toBe("success");
    expect(Date.parse(other.runs.get(queued.runId).startedAt!)).toBeGreaterThanOrEqual(Date.parse(firstDone.finishedAt!));
    // A run of the other engine is joined and read through the shared table.
    expect(await engine.runs.join(queued.runId)).toMatchObject({ status: "success" });
  });
});

describe("errors and console", () => {
  it("turns an exception in a node into data with the user's stack", async () => {
    const { info, events: ev } = await run({ threadId: "e1", graphId: "throws", input: { log: [] } });
    expect(info.status).toBe("error");
    expect(info.error).toMatchObject({
      node: "explode",
      className: "QuotaExceededError",
      message: "the quota of 3 calls is exhausted",
    });
    expect(info.error!.stack).toContain("user-graphs.ts");
    expect(ev.find((e) => e.type === "error")).toMatchObject({ error: { node: "explode" } });
    expect(engine.runs.get(info.runId).error).toEqual(info.error);
    expect(nodesRun(ev)).toContain("fine");
  });

  it("captures the run's console output with the node that printed it", async () => {
    const { info, events: ev } = await run({ threadId: "log", graphId: "line", input: { log: [] } });
    const lines = engine.runs.console(info.runId);
    expect(lines.map((l) => [l.stream, l.line, l.node])).toEqual([
      ["stdout", "in one", "one"],
      ["stderr", "in two", "two"],
    ]);
    expect(ev.filter((e) => e.type === "console").map((e) => (e as { line: string }).line)).toEqual(["in one", "in two"]);
  });

  it("keeps concurrent runs' console lines apart", async () => {
    const [a, b] = await Promise.all([
      run({ threadId: "con-a", graphId: "line", input: { log: [] } }),
      run({ threadId: "con-b", graphId: "slow", input: { n: 20 } }),
    ]);
    expect(engine.runs.console(a.info.runId).map((l) => l.line)).toEqual(["in one", "in two"]);
    expect(engine.runs.console(b.info.runId).map((l) => l.line)).toEqual(["slow started"]);
  });
});

describe("crash recovery", () => {
  it("marks runs of a dead engine as errored, leaving live owners' runs alone", async () => {
    const db = (engine.checkpointer as unknown as { db: import("better-sqlite3").Database }).db;
    const createdAt = new Date().toISOString();
    const row = (runId: string, status: RunInfo["status"], owner: string | null) => {
      insertRun(db, newRunInfo({ runId, threadId: `th-${runId}`, graphId: "line", createdAt, status }));
      db.prepare(`UPDATE tl_runs SET owner = ? WHERE run_id = ?`).run(owner, runId);
    };
    // pid 2^22+1 is above Linux's pid_max default, so no process has it.
    row("crashed", "running", ownerId(4194305, "x"));
    row("queued", "pending", null);
    row("alive", "running", ownerId(process.pid, "another-worker"));
    row("restarted", "running", ownerId(process.pid, "old-worker"));

    const manager = new LocalRunManager({ db, graphs: { graph: engine.graph }, emit: () => undefined });
    const recovered = manager.recover([ownerId(process.pid, "old-worker")]);
    expect(recovered.map((r) => r.runId).sort()).toEqual(["crashed", "queued", "restarted"]);
    expect(manager.get("crashed")).toMatchObject({ status: "error", error: { className: "EngineStopped" } });
    expect(manager.get("crashed").finishedAt).not.toBeNull();
    expect(manager.get("alive").status).toBe("running");
    expect(manager.isBusy("th-crashed")).toBe(false);
    expect(manager.isBusy("th-alive")).toBe(true);
  });
});
