// The collector runs V8's full collection once a worker is quiet after its heap grew or while its old
// generation holds much free room, and not otherwise or while it is still busy; it compacts, and
// gives the C heap's free pages back.
import v8 from "node:v8";
import vm from "node:vm";
import { IdleCollector } from "./idle-collector";
import { activityClock, beginActivity, quietMs } from "./process-activity";

const MB = 1024 * 1024;
const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

function oldSpace(): { committed: number; room: number } {
  const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === "old_space")!;
  return { committed: old.space_size, room: old.space_size - old.space_used_size };
}

/** V8's own full collection, which compacts only the pages it finds fragmented enough. */
function plainCollection(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

describe("IdleCollector", () => {
  it("collects once after growth and quiet, and not again without growth", async () => {
    const collector = new IdleCollector({ quietMs: 20, growthBytes: 8 * 1024 * 1024 });
    collector.touch();
    await new Promise((r) => setTimeout(r, 100));
    expect(collector.collections).toBe(0);

    // Enough to grow the heap past the threshold (held until collected, so it cannot die young first).
    const held = Array.from({ length: 400 }, (_, i) => Array.from({ length: 10_000 }, (_, j) => ({ i, j })));
    collector.touch();
    await vi.waitFor(() => expect(collector.collections).toBe(1), { timeout: 10_000, interval: 20 });
    expect(held).toHaveLength(400);

    collector.touch();
    await new Promise((r) => setTimeout(r, 100));
    expect(collector.collections).toBe(1);
    collector.stop();
  });
});

describe("IdleCollector on a fragmented heap", () => {
  it("collects free room left in the old generation, compacting it, although use did not grow", async () => {
    // Objects that survive two collections (so they sit in the old generation), then one in 3 kept:
    // pages a third full, which V8's own collections leave as they are.
    let objects = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `object ${i} `.padEnd(120, "-") }));
    plainCollection();
    plainCollection();
    objects = objects.filter((_, i) => i % 3 === 0);
    plainCollection();
    const before = oldSpace();
    expect(before.room).toBeGreaterThan(16 * MB);

    const collector = new IdleCollector({ quietMs: 20, growthBytes: 1024 * MB, roomBytes: 16 * MB, trimBytes: 1024 * MB });
    collector.touch();
    await vi.waitFor(() => expect(collector.collections).toBe(1), { timeout: 10_000, interval: 20 });
    // The pages that held the dropped objects are returned, not kept with a few survivors each.
    expect(oldSpace().committed).toBeLessThan(before.committed - before.room / 2);
    expect(objects).toHaveLength(100_000);
    // A collection is followed by a trim of the C heap where glibc has one.
    expect(collector.trims).toBe(glibc ? 1 : 0);
    collector.stop();
  });
});

describe("IdleCollector and the process's other threads", () => {
  it("waits while work is in flight anywhere in the process (a request being answered), then collects", async () => {
    const collector = new IdleCollector({ quietMs: 20, growthBytes: 8 * MB });
    const held = Array.from({ length: 400 }, (_, i) => Array.from({ length: 10_000 }, (_, j) => ({ i, j })));
    const end = beginActivity();
    collector.touch();
    await new Promise((r) => setTimeout(r, 200));
    expect(collector.collections).toBe(0);
    end();
    await vi.waitFor(() => expect(collector.collections).toBe(1), { timeout: 10_000, interval: 20 });
    expect(held).toHaveLength(400);
    collector.stop();
  });

  it("counts a request that outlived its cap as ended when it really ends", () => {
    // The process's clock is faked, so the times below are exact whatever the machine's load.
    // It starts a second in the past, so that the marks left behind are already old for the tests after it.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 1000 });
    try {
      const end = beginActivity();
      // The cap (request-activity.ts) ends the count of a long request early…
      end();
      vi.advanceTimersByTime(60);
      expect(quietMs()).toBe(60);
      // …and its response, sent now, is activity: collectors wait from here again.
      end();
      expect(quietMs()).toBe(0);
      vi.advanceTimersByTime(5);
      expect(quietMs()).toBe(5);
      // Ending twice did not take a second request off the count.
      const other = beginActivity();
      expect(quietMs()).toBe(0);
      other();
    } finally {
      vi.useRealTimers();
    }
  });

  it("shares one clock with the workers it is handed to", async () => {
    const { Worker } = await import("node:worker_threads");
    await new Promise((r) => setTimeout(r, 30));
    expect(quietMs()).toBeGreaterThan(0);
    const worker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const a = new Int32Array(workerData, 0, 1);
       Atomics.add(a, 0, 1);
       parentPort.postMessage("begun");`,
      { eval: true, workerData: activityClock() },
    );
    await new Promise((resolve) => worker.once("message", resolve));
    await worker.terminate();
    // The worker's in-flight work is this thread's too (undone here, as its end would).
    expect(quietMs()).toBe(0);
    Atomics.sub(new Int32Array(activityClock(), 0, 1), 0, 1);
  });
});
