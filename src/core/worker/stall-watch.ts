// Whether the engine's worker still answers: the host pings it and the worker answers from its
// event loop, so a node stuck in synchronous code (a loop that never awaits) shows up as pings
// left unanswered. A stalled worker cannot serve anything until that code ends or the worker is
// restarted; the host then answers new calls at once, saying why, instead of letting every client
// hang, and a cancel of the stuck run restarts the worker without waiting out its grace period.

/** How often the host pings, and how long without an answer counts as stalled. */
export const PING_MS = 250;
export const STALL_MS = 5_000;

export class StallWatch {
  private lastAnswer = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    ping: () => void,
    private readonly stallMs = STALL_MS,
    intervalMs = PING_MS,
  ) {
    this.timer = setInterval(ping, intervalMs);
    this.timer.unref();
  }

  /** The worker answered (a pong, or any message: it proves the same). */
  answered(): void {
    this.lastAnswer = Date.now();
  }

  /** How long the worker has not answered, when that is long enough to call it stalled; else 0. */
  stalledMs(): number {
    const silent = Date.now() - this.lastAnswer;
    return silent >= this.stallMs ? silent : 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
