// V8 runs a full collection of an isolate's old generation only once it has grown to a multiple of
// what survived the last one, and gives memory back on its own only after several seconds of quiet.
// A run over a long thread leaves much garbage behind (each step's serialised checkpoint, its values
// event, the structured clones), so a worker that had run 30 steps of a 3 MB state held 280 MB of
// heap for 65 MB of live objects. Once a worker has been quiet for a moment after such growth, this
// collects it fully, which returns the freed pages; it costs one collection per burst of work, on
// the worker's own thread, while it has nothing else to do.
//
// The collection compacts: without it the pages that still hold a few live objects stay committed
// (runs with 100 KB messages left a runner at 139 MB of old space for 36 MB live). And free room in
// the old generation's pages counts too, not only growth in use: after V8's own collections the use
// can be back near the baseline while the pages it grew into are still held. Then the C heap's free
// pages are given back (malloc-trim.ts), also without a collection when the process's resident
// memory grew since the last time: V8's own collections free Buffers too.

import v8 from "node:v8";
import vm from "node:vm";
import { trimMalloc } from "./malloc-trim";
import { quietMs as requestsQuietMs } from "./process-activity";

export interface IdleCollectorOptions {
  /** Quiet this long (no call, no event; and no request anywhere in the process) before collecting. */
  quietMs?: number;
  /** Collect only when the heap's use grew at least this much since the last collection… */
  growthBytes?: number;
  /** …or its old generation's pages hold at least this much free room. */
  roomBytes?: number;
  /** Trim the C heap when the process's resident memory grew this much since the last trim. */
  trimBytes?: number;
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

/** Committed but unused bytes of the old generation: what a compacting collection can return. */
function oldSpaceRoom(): number {
  const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === "old_space");
  return old ? old.space_size - old.space_used_size : 0;
}

/**
 * V8 compacts only the pages it finds fragmented enough; this flag (process-wide, read at each
 * collection) makes it move every page's survivors, so the emptied pages are returned. It is set
 * only around our own collection: another thread collecting meanwhile merely compacts too.
 */
function compacting(gc: () => void): () => void {
  return () => {
    v8.setFlagsFromString("--compact-on-every-full-gc");
    try {
      gc();
    } finally {
      v8.setFlagsFromString("--no-compact-on-every-full-gc");
    }
  };
}

export class IdleCollector {
  private readonly gc = compacting(exposeGc());
  private readonly quietMs: number;
  private readonly growthBytes: number;
  private readonly roomBytes: number;
  private readonly trimBytes: number;
  /** The process's resident memory right after the last trim (any thread's trim serves all). */
  private trimmedRss = 0;
  private timer: NodeJS.Timeout | null = null;
  private baseline = used();
  /** How many collections and trims it ran (tests). */
  collections = 0;
  trims = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.quietMs = options.quietMs ?? 500;
    this.growthBytes = options.growthBytes ?? 32 * 1024 * 1024;
    this.roomBytes = options.roomBytes ?? 16 * 1024 * 1024;
    this.trimBytes = options.trimBytes ?? 16 * 1024 * 1024;
  }

  /** When touch() was last called (epoch ms). */
  private lastTouch = 0;

  /**
   * Something happened: wait for quiet again. Called for every message a worker posts (a history
   * page is 50 of them), so it only notes the time; the one timer checks it when due.
   */
  touch(): void {
    this.lastTouch = Date.now();
    if (!this.timer) this.arm(this.quietMs);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.due(), ms);
    this.timer.unref();
  }

  /** Collects once this thread has been quiet long enough and no request is being answered (process-activity.ts). */
  private due(): void {
    const quiet = Math.min(Date.now() - this.lastTouch, requestsQuietMs());
    if (quiet >= this.quietMs) this.collect();
    else this.arm(this.quietMs - quiet);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private collect(): void {
    this.timer = null;
    const collect = used() - this.baseline >= this.growthBytes || oldSpaceRoom() >= this.roomBytes;
    if (collect) {
      // The C heap's free pages first: that takes milliseconds, the collection can take hundreds.
      trimMalloc();
      this.gc();
      this.collections++;
      this.baseline = used();
    }
    if (collect || process.memoryUsage.rss() - this.trimmedRss >= this.trimBytes) {
      if (trimMalloc()) this.trims++;
      this.trimmedRss = process.memoryUsage.rss();
    }
  }
}
