// Which runner worker executes which runs. Runs execute in runner workers, never in the primary one
// that answers reads, so a node stuck in synchronous code holds only its own runner: reads keep
// answering, and a cancel ends that runner alone. A thread's runs stay in one runner while any is
// active (its queue, multitask interrupt/rollback and threads.delete cancel them locally); a thread
// with nothing active goes to a runner no other thread uses, up to `max`, then to the least busy.
// One idle runner is kept warm for the next run, and stopped too once quiet for `idleStopMs`: each
// holds the project's modules and what its runs left in its heaps (70–90 MB after a long thread).

import { stalledMs, usable, type WorkerHandle } from "./worker-handle";

export interface TrackedRun {
  threadId: string;
  runner: WorkerHandle;
  lastSeq: number;
  /** The node it runs now, as its events tell. */
  node: string | null;
}

export class RunnerPool {
  readonly runners: WorkerHandle[] = [];
  /** Runs the runners execute or queue, as their events tell. */
  readonly runs = new Map<string, TrackedRun>();
  /** A thread's runner while it has active runs or starts on their way. */
  private readonly threads = new Map<string, { runner: WorkerHandle; starting: number }>();

  /** Stops the warm runner left idle, unless work reaches it first. */
  private readonly idleTimers = new Map<WorkerHandle, NodeJS.Timeout>();

  constructor(
    private readonly max: number,
    private readonly spawn: () => WorkerHandle,
    private readonly idleStopMs = 5 * 60_000,
  ) {}

  /** The runner a new run on `threadId` goes to (started when none fits); undo with `started`. */
  forStart(threadId: string): WorkerHandle {
    const held = this.threads.get(threadId);
    if (held && !held.runner.stopping && !held.runner.exited) {
      held.starting++;
      return held.runner;
    }
    const runner = this.choose();
    this.wake(runner);
    this.threads.set(threadId, { runner, starting: 1 });
    return runner;
  }

  /** A start sent by `forStart` was answered. */
  started(threadId: string): void {
    const held = this.threads.get(threadId);
    if (!held) return;
    held.starting = Math.max(0, held.starting - 1);
    this.release(threadId);
  }

  /** The runner executing a run, while it is alive. */
  runnerOf(runId: string): WorkerHandle | undefined {
    const runner = this.runs.get(runId)?.runner;
    return runner && usable(runner) ? runner : undefined;
  }

  /** The runner holding a thread's active runs, while it is alive. */
  runnerOfThread(threadId: string): WorkerHandle | undefined {
    const runner = this.threads.get(threadId)?.runner;
    return runner && usable(runner) ? runner : undefined;
  }

  track(runId: string, threadId: string, runner: WorkerHandle, seq: number): TrackedRun {
    let run = this.runs.get(runId);
    if (!run) this.runs.set(runId, (run = { threadId, runner, lastSeq: seq, node: null }));
    run.lastSeq = Math.max(run.lastSeq, seq);
    return run;
  }

  finished(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    this.release(run.threadId);
    this.trimIdle();
  }

  runsOf(runner: WorkerHandle): Map<string, TrackedRun> {
    return new Map([...this.runs].filter(([, run]) => run.runner === runner));
  }

  /** Forgets a runner that is gone, with its runs and threads; returns the runs it had. */
  remove(runner: WorkerHandle): Map<string, TrackedRun> {
    const index = this.runners.indexOf(runner);
    if (index >= 0) this.runners.splice(index, 1);
    this.wake(runner);
    const runs = this.runsOf(runner);
    for (const runId of runs.keys()) this.runs.delete(runId);
    for (const [threadId, held] of [...this.threads]) if (held.runner === runner) this.threads.delete(threadId);
    return runs;
  }

  /** Forgets every runner (the primary restarts: the runners go with it). */
  clear(): WorkerHandle[] {
    const all = this.runners.splice(0);
    for (const runner of all) this.wake(runner);
    this.runs.clear();
    this.threads.clear();
    return all;
  }

  private busyThreads(runner: WorkerHandle): number {
    let n = 0;
    for (const held of this.threads.values()) if (held.runner === runner) n++;
    return n;
  }

  private choose(): WorkerHandle {
    const alive = this.runners.filter((r) => usable(r) && stalledMs(r) === 0);
    const idle = alive.find((r) => this.busyThreads(r) === 0);
    if (idle) return idle;
    // A stalled runner does not count: new runs must not wait behind code that may never end.
    if (alive.length < this.max) {
      const runner = this.spawn();
      this.runners.push(runner);
      return runner;
    }
    return alive.reduce((a, b) => (this.busyThreads(b) < this.busyThreads(a) ? b : a));
  }

  private release(threadId: string): void {
    const held = this.threads.get(threadId);
    if (!held || held.starting > 0) return;
    for (const run of this.runs.values()) if (run.threadId === threadId && run.runner === held.runner) return;
    this.threads.delete(threadId);
  }

  private idle(runner: WorkerHandle): boolean {
    return usable(runner) && this.busyThreads(runner) === 0 && this.runsOf(runner).size === 0;
  }

  /** Keeps one idle runner warm for the next run, for `idleStopMs`; stops the others. */
  private trimIdle(): void {
    const idle = this.runners.filter((r) => this.idle(r));
    for (const runner of idle.slice(1)) this.stop(runner);
    const warm = idle[0];
    if (!warm || this.idleTimers.has(warm)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(warm);
      if (this.runners.includes(warm) && this.idle(warm)) this.stop(warm);
    }, this.idleStopMs);
    timer.unref();
    this.idleTimers.set(warm, timer);
  }

  /** Work reached the runner (or it is gone): it is not stopped for being idle. */
  private wake(runner: WorkerHandle): void {
    clearTimeout(this.idleTimers.get(runner));
    this.idleTimers.delete(runner);
  }

  private stop(runner: WorkerHandle): void {
    this.wake(runner);
    this.runners.splice(this.runners.indexOf(runner), 1);
    runner.stopping = true;
    void runner.worker.terminate();
  }
}
