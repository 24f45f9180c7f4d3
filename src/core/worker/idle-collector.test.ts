// The collector runs V8's full collection once a worker is quiet after its heap grew, and not when
// it did not grow or while it is still busy.
import { IdleCollector } from "./idle-collector";

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
