// Runs worker-entry.ts from source (tests, `threadline serve` from a checkout): tsx's loader is
// registered inside the worker, as src/core/worker/dev-entry.mjs does for the engine's. The built
// app runs the bundled schema-worker.js instead.
import { createRequire } from "node:module";
import { register } from "tsx/esm/api";

// The compiler first, before tsx's hooks are in place: through them its 9 MB took twice as long.
// typescript.ts's require then finds it loaded.
createRequire(import.meta.url)("typescript");
register();
await import("./worker-entry.ts");
