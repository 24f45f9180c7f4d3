// The pool keeps one idle runner warm for the next run and stops it after a quiet period: each
// runner holds the project's modules and what its runs left in its heaps.
import type { Worker } from "node:worker_threads";
import { RunnerPool } from "./runner-pool";
import type { WorkerHandle } from "./worker-handle";

function fakeRunner(): WorkerHandle & { terminated: boolean } {
  const handle = {
    role: "runner" as const,
    owner: "test",
    ready: Promise.resolve(),
    fatal: null,
    stopping: false,
    exited: false,
    exitCode: null,
    lastError: null,
    stall: null,
    stallHandled: false,
    terminated: false,
    worker: {
      terminate: async () => {
        handle.terminated = true;
        return 0;
      },
    } as unknown as Worker,
  };
  return handle;
}

const IDLE_MS = 60_000;

describe("RunnerPool", () => {
  let spawned: ReturnType<typeof fakeRunner>[];
  let pool: RunnerPool;

  beforeEach(() => {
    vi.useFakeTimers();
    spawned = [];
    pool = new RunnerPool(4, () => {
      const runner = fakeRunner();
      spawned.push(runner);
      return runner;
    }, IDLE_MS);
  });

  afterEach(() => vi.useRealTimers());

  /** One run on `threadId` from its start to its end. */
  function runOnce(threadId: string, runId: string): WorkerHandle {
    const runner = pool.forStart(threadId);
    pool.track(runId, threadId, runner, 1);
    pool.started(threadId);
    pool.finished(runId);
    return runner;
  }

  it("keeps one idle runner warm, stops the others at once and the warm one once quiet", () => {
    const a = pool.forStart("t1");
    const b = pool.forStart("t2");
    expect(a).not.toBe(b);
    pool.track("r1", "t1", a, 1);
    pool.track("r2", "t2", b, 1);
    pool.started("t1");
    pool.started("t2");
    pool.finished("r1");
    pool.finished("r2");
    expect(spawned.filter((r) => r.terminated)).toHaveLength(1);
    expect(pool.runners).toHaveLength(1);

    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(pool.runners).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(pool.runners).toHaveLength(0);
    expect(spawned.every((r) => r.terminated)).toBe(true);

    // The next run starts a runner again.
    expect(runOnce("t1", "r3")).toBe(spawned[2]);
  });

  it("does not stop the warm runner when work reached it before the quiet period ended", () => {
    const first = runOnce("t1", "r1");
    vi.advanceTimersByTime(IDLE_MS - 1000);
    const runner = pool.forStart("t1");
    expect(runner).toBe(first);
    pool.track("r2", "t1", runner, 1);
    pool.started("t1");
    vi.advanceTimersByTime(2 * IDLE_MS);
    // Busy with r2: kept, and not stopped under it.
    expect(pool.runners).toEqual([first]);
    expect(spawned[0]!.terminated).toBe(false);
    pool.finished("r2");
    vi.advanceTimersByTime(IDLE_MS);
    expect(spawned[0]!.terminated).toBe(true);
  });
});
