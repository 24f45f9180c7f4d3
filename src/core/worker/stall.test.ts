// A node stuck in synchronous code holds only the runner worker executing its run. Calls about other
// threads answer as usual, another thread's run (already going, or started meanwhile) completes, a
// call about the stuck run sent before the stall was seen is answered from the run table, and a
// cancel stops that runner alone, as soon as it is seen stalled rather than after the grace period.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { EngineEvent } from "../../shared/events";
import { EngineHost } from "./engine-host";

const TEST_ENGINE = new URL("./fixtures/test-engine.ts", import.meta.url);

let dir: string;
let host: EngineHost | undefined;
const events: EngineEvent[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-stall-"));
  events.length = 0;
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const seen = (predicate: (e: EngineEvent) => boolean) =>
  vi.waitFor(
    () => {
      if (!events.some(predicate)) throw new Error("not yet");
    },
    { timeout: 30_000, interval: 20 },
  );

describe("a run held by synchronous code", () => {
  it("holds only its own worker: other threads' calls and runs go on, and a cancel ends it alone", { timeout: 90_000 }, async () => {
    // A grace longer than the test: only the stall can explain the stuck run's end.
    host = await EngineHost.start({ dbFile: path.join(dir, "engine.db"), engineModule: TEST_ENGINE, cancelGraceMs: 600_000 });
    host.onEvent((e) => events.push(e));
    const before = await host.call("runs.start", { threadId: "other", graphId: "line", input: { log: [] } });
    await host.call("runs.join", { runId: before.runId });

    // A run on another thread that is still going when the spin starts (its node waits 3 s).
    const going = await host.call("runs.start", { threadId: "going", graphId: "slow", input: { n: 3000 } });
    await seen((e) => e.type === "node.started" && e.runId === going.runId);
    const spin = await host.call("runs.start", { threadId: "spin", graphId: "spin", input: {} });
    // Its node blocks the worker at once, so the node's own events may never leave it.
    await seen((e) => e.type === "run.started" && e.runId === spin.runId);

    // Sent to the spinning worker before anyone could know it is stuck: answered all the same.
    const askedEarly = host.call("runs.get", { runId: spin.runId });
    // Another thread's calls answer with data while the node spins.
    expect(await host.call("runs.list", { threadId: "other" })).toEqual([expect.objectContaining({ runId: before.runId, status: "success" })]);
    expect(await host.call("runs.console", { runId: before.runId })).toHaveLength(2);
    expect(await askedEarly).toMatchObject({ runId: spin.runId, status: "running" });

    // Runs on other threads: the one already going and one started now both complete.
    const started = await host.call("runs.start", { threadId: "fresh", graphId: "line", input: { log: [] } });
    expect(await host.call("runs.join", { runId: started.runId })).toMatchObject({ status: "success" });
    expect(await host.call("runs.join", { runId: going.runId })).toMatchObject({ status: "success" });

    const cancelled = await host.call("runs.cancel", { runId: spin.runId });
    expect(cancelled).toMatchObject({ status: "error", error: { message: expect.stringContaining("synchronous code held the engine") } });
    await seen((e) => e.type === "run.finished" && e.runId === spin.runId);
    // Nothing else was stopped or changed: the engine was not restarted and the other runs are as they ended.
    expect(events.some((e) => e.type === "worker.restarted")).toBe(false);
    for (const runId of [before.runId, going.runId, started.runId]) expect(await host.call("runs.get", { runId })).toMatchObject({ status: "success" });
    // The stuck thread takes runs again.
    const again = await host.call("runs.start", { threadId: "spin", graphId: "line", input: { log: [] } });
    expect(await host.call("runs.join", { runId: again.runId })).toMatchObject({ status: "success" });
  });

  it("answers calls that need the stuck worker at once, naming the run that holds it", { timeout: 90_000 }, async () => {
    host = await EngineHost.start({ dbFile: path.join(dir, "engine.db"), engineModule: TEST_ENGINE, cancelGraceMs: 600_000 });
    host.onEvent((e) => events.push(e));
    const spin = await host.call("runs.start", { threadId: "spin", graphId: "spin", input: {} });
    // Its node blocks the worker at once, so the node's own events may never leave it.
    await seen((e) => e.type === "run.started" && e.runId === spin.runId);
    // A second run on the same thread would queue in the stuck worker: refused with why once it is seen stalled.
    const refused = await vi.waitFor(
      async () => {
        const outcome = await host!.callRaw("runs.start", { threadId: "spin", graphId: "line", input: { log: [] }, multitaskStrategy: "enqueue" });
        if (outcome.ok) throw new Error(`started ${JSON.stringify(outcome.result)}`);
        return outcome.error;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(refused).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining(`synchronous code in run ${spin.runId} on thread spin`) });
    expect(await host.call("runs.cancel", { runId: spin.runId })).toMatchObject({ status: "error" });
  });

  it("writes the checkpoints a stopped runner had only journaled before its run is failed", { timeout: 90_000 }, async () => {
    const dbFile = path.join(dir, "engine.db");
    host = await EngineHost.start({ dbFile, engineModule: TEST_ENGINE, cancelGraceMs: 600_000 });
    host.onEvent((e) => events.push(e));
    const run = await host.call("runs.start", { threadId: "journaled", graphId: "steps-then-spin", input: { log: [] } });
    await seen((e) => e.type === "run.started" && e.runId === run.runId);
    // Twenty steps put, then the spin holds the runner: their rows are in its journal, not in the tables,
    // and none of the events announcing them left the runner.
    const journals = () => readdirSync(dir).filter((name) => name.startsWith("engine.db-tlj-"));
    await vi.waitFor(() => expect(journals().some((name) => statSync(path.join(dir, name)).size > 0)).toBe(true), { timeout: 30_000 });
    const count = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM tl_checkpoints WHERE thread_id = 'journaled'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(0);
    expect(events.some((e) => e.type === "checkpoint" && e.runId === run.runId)).toBe(false);

    expect(await host.call("runs.cancel", { runId: run.runId })).toMatchObject({ status: "error" });
    // The primary replayed the stopped runner's journal: the input's checkpoint and the twenty steps'.
    expect(count()).toBeGreaterThanOrEqual(21);
    expect(journals()).toEqual([]);
  });
});

