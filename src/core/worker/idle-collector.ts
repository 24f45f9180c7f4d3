// V8 runs a full collection of an isolate's old generation only once it has grown to a multiple of
// what survived the last one, and gives memory back on its own only after several seconds of quiet.
// A run over a long thread leaves much garbage behind (each step's serialised checkpoint, its values
// event, the structured clones), so a worker that had run 30 steps of a 3 MB state held 280 MB of
// heap for 65 MB of live objects. Once a worker has been quiet for a moment after such growth, this
// collects it fully, which returns the freed pages; it costs one collection per burst of work, on
// the worker's own thread, while it has nothing else to do.

import v8 from "node:v8";
import vm from "node:vm";

export interface IdleCollectorOptions {
  /** Quiet this long (no call, no event) before collecting. */
  quietMs?: number;
  /** Collect only when the heap's use grew at least this much since the last collection. */
  growthBytes?: number;
}

/** V8's full collection, as a function (without the process having been started with --expose-gc). */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === "function") return existing;
  // Node's documented way to reach V8's collector without starting the process with --expose-gc.
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** Live objects and garbage not yet collected: after a full collection, the live ones only. */
const used = () => v8.getHeapStatistics().used_heap_size;

export class IdleCollector {
  private readonly gc = exposeGc();
  private readonly quietMs: number;
  private readonly growthBytes: number;
  private timer: NodeJS.Timeout | null = null;
  private baseline = used();
  /** How many collections it ran (tests). */
  collections = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.quietMs = options.quietMs ?? 500;
    this.growthBytes = options.growthBytes ?? 32 * 1024 * 1024;
  }

  /** Something happened: wait for quiet again. */
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.quietMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private collect(): void {
    this.timer = null;
    if (used() - this.baseline < this.growthBytes) return;
    this.gc();
    this.collections++;
    this.baseline = used();
  }
}
