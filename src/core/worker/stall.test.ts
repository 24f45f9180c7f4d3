// A node stuck in synchronous code holds the engine's worker. Calls made meanwhile are answered at
// once with why (not left hanging), and cancelling the stuck run restarts the worker as soon as it
// is seen stalled rather than after the cancel's grace period.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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

describe("a worker held by synchronous code", () => {
  it("answers other calls at once with the run that holds it, and a cancel restarts it without waiting out the grace", { timeout: 60_000 }, async () => {
    // A grace longer than the test: only the stall can explain a restart.
    host = await EngineHost.start({ dbFile: path.join(dir, "engine.db"), engineModule: TEST_ENGINE, cancelGraceMs: 600_000 });
    host.onEvent((e) => events.push(e));
    const before = await host.call("runs.start", { threadId: "other", graphId: "line", input: { log: [] } });
    await host.call("runs.join", { runId: before.runId });

    const spin = await host.call("runs.start", { threadId: "spin", graphId: "spin", input: {} });
    const refused = await vi.waitFor(
      async () => {
        // A call sent before the stall was seen waits for the worker; each try gives up after a while.
        const outcome = await Promise.race([host!.callRaw("runs.list", { threadId: "other" }), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
        if (!outcome || outcome.ok) throw new Error("not stalled yet");
        return outcome.error;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(refused).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining(`synchronous code in run ${spin.runId} on thread spin`) });

    const cancelled = await host.call("runs.cancel", { runId: spin.runId });
    expect(cancelled.status).toBe("error");
    expect(events.find((e) => e.type === "worker.restarted")).toMatchObject({ reason: expect.stringContaining("synchronous code held the engine") });
    // Served again, and the other thread's finished run is as it was.
    expect(await host.call("runs.get", { runId: before.runId })).toMatchObject({ status: "success" });
  });
});
