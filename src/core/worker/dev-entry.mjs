// Runs worker-entry.ts from source (tests, development). Node 20 ignores
// `--import tsx` in a worker's execArgv, so tsx's loader is registered here,
// inside the worker, before the TypeScript entry is imported. The built app
// runs the bundled worker-entry.js instead and never loads this file.
import { register } from "tsx/esm/api";

register();
await import("./worker-entry.ts");
