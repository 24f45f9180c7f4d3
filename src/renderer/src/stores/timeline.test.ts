import { beforeEach, describe, expect, it } from "vitest";
import type { UiClient } from "../../../shared/contract";
import type { CheckpointSummary, HistoryPage } from "../../../shared/types";
import { setEngine } from "../api/engine";
import type { Transport } from "../api/transport";
import { useTimeline } from "./timeline";

/** A thread's rows, newest first, and history pages answered when (and in the order) the test says. */
function engineWithHeldPages() {
  const rows: CheckpointSummary[] = [];
  const held: { answer: () => void }[] = [];
  const add = (n: number) => {
    for (let i = 0; i < n; i++) {
      const step = rows.length;
      rows.unshift({
        checkpointId: `cp-${String(step).padStart(4, "0")}`,
        checkpointNs: "",
        parentCheckpointId: rows[0]?.checkpointId ?? null,
        step,
        source: "loop",
        nodes: [],
        createdAt: new Date(0).toISOString(),
        hasInterrupts: false,
      });
    }
  };
  const client = {
    history: {
      // The rows as they are when asked for; answered when released.
      page: () => {
        const page: HistoryPage = { items: [...rows], nextBefore: null };
        return new Promise<HistoryPage>((resolve) => held.push({ answer: () => resolve(page) }));
      },
      tree: async () => ({ nodes: [] }),
    },
  } as unknown as UiClient;
  setEngine(client, {} as Transport);
  return { add, held, release: async (i: number) => (held[i]!.answer(), await new Promise((r) => setTimeout(r, 0))) };
}

const shown = () => useTimeline.getState().roots.map((r) => r.step);

describe("timeline refresh", () => {
  let fake: ReturnType<typeof engineWithHeldPages>;
  beforeEach(async () => {
    fake = engineWithHeldPages();
    fake.add(2);
    const opened = useTimeline.getState().open("t1");
    await fake.release(0);
    await opened;
  });

  it("keeps the newest rows when an older refresh answers last", async () => {
    fake.add(1);
    const older = useTimeline.getState().refresh();
    fake.add(1);
    const newer = useTimeline.getState().refresh();
    await fake.release(2);
    await newer;
    expect(shown()).toEqual([3, 2, 1, 0]);
    await fake.release(1);
    await older;
    expect(shown()).toEqual([3, 2, 1, 0]);
  });

  it("applies refreshes that answer in order, each adding its rows", async () => {
    fake.add(1);
    const first = useTimeline.getState().refresh();
    await fake.release(1);
    await first;
    expect(shown()).toEqual([2, 1, 0]);
    fake.add(2);
    const second = useTimeline.getState().refresh();
    await fake.release(2);
    await second;
    expect(shown()).toEqual([4, 3, 2, 1, 0]);
    expect(useTimeline.getState().nextBefore).toBeNull();
  });
});
