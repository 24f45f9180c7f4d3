// Runs worker-entry.ts from source (tests, `threadline serve` from a checkout): tsx's loader is
// registered inside the worker, as src/core/worker/dev-entry.mjs does for the engine's. The built
// app runs the bundled schema-worker.js instead.
import { register } from "tsx/esm/api";

register();
await import("./worker-entry.ts");
