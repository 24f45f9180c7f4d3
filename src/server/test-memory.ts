// For tests that check memory comes back after hostile input: a forced GC (exposed at runtime, as
// vitest does not start Node with --expose-gc) and the heap in use after it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Bytes of JS heap in use after two full collections. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export { MB } from "./approx-bytes";
