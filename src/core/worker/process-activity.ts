// Requests in flight anywhere in the process, shared by its threads. Each thread's IdleCollector
// waits for its own thread to be quiet; that alone let a runner's compacting collection (hundreds of
// milliseconds on a heap a long run grew) start right after its run, while a client's first history
// request was still being built by the primary worker and sent by the HTTP thread, on a machine
// with two cores (issue 15's first-request targets). With this clock, a collector also waits until
// no request is in flight and none ended just now (the HTTP side counts them: request-activity.ts).
//
// The clock lives in a SharedArrayBuffer that the thread which spawns the workers creates and
// hands to each of them (workerData.activity); a thread that was handed none keeps its own.

/** Int32 slot 0: requests in flight. BigInt64 slot 1 (bytes 8..16): when one last began or ended, epoch ms. */
const BYTES = 16;

let shared = new SharedArrayBuffer(BYTES);
let inFlight = new Int32Array(shared, 0, 1);
let last = new BigInt64Array(shared, 8, 1);

/** This thread's clock, to hand to the workers it spawns. */
export function activityClock(): SharedArrayBuffer {
  return shared;
}

/** Uses the clock of the thread that spawned this one (called once, at a worker's start). */
export function adoptActivityClock(buffer: SharedArrayBuffer | undefined): void {
  if (!buffer || buffer.byteLength < BYTES) return;
  shared = buffer;
  inFlight = new Int32Array(shared, 0, 1);
  last = new BigInt64Array(shared, 8, 1);
}

function markActivity(): void {
  Atomics.store(last, 0, BigInt(Date.now()));
}

/**
 * A request starts; the function returned ends it. Called again after that, it marks the time
 * only: a request whose count ended early (request-activity.ts caps a long `runs/wait`) still ends
 * "just now" when its response is sent. Without that, a runner's compacting collection started
 * 500 ms after a 200-loop run's last event, whatever was answered meanwhile: under load, the
 * history page a client asks for right after the run's answer then met it (issue 15).
 */
export function beginActivity(): () => void {
  Atomics.add(inFlight, 0, 1);
  markActivity();
  let ended = false;
  return () => {
    if (!ended) Atomics.sub(inFlight, 0, 1);
    ended = true;
    markActivity();
  };
}

/** How long since the last request ended, in ms; 0 while one is in flight. */
export function quietMs(): number {
  if (Atomics.load(inFlight, 0) > 0) return 0;
  return Math.max(0, Date.now() - Number(Atomics.load(last, 0)));
}
