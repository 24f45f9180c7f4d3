// The type extraction's own thread (service.ts starts it, one per extraction, and ends it): the
// compiler's work and memory stay off the engine's thread, which keeps answering calls and runs.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { extractSchemas } from "./extract";
import type { ExtractRequest } from "./types";

if (isMainThread || !parentPort) throw new Error("the schema worker runs only as a worker thread (see service.ts)");
const { request, gate } = workerData as { request: ExtractRequest; gate?: SharedArrayBuffer };
// Tests hold the extraction here (the engine's thread must not notice) until they release the gate.
if (gate) Atomics.wait(new Int32Array(gate), 0, 0);
try {
  parentPort.postMessage({ ok: true, result: extractSchemas(request) });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
