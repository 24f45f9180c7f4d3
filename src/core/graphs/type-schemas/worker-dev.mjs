// Runs worker-entry.ts from source (tests, `threadline serve` from a checkout). Not through tsx's
// loader as the engine's worker does: registering loader hooks from this short-lived thread slowed
// and stalled the runs of the engine's other threads while it lived (an E2E run of an Annotation
// graph took 14 s to start). The entry is bundled with esbuild (tsx's own) instead, into
// node_modules/.cache so that its packages (typescript, zod) resolve, and imported as plain ESM.
// The built app runs the bundled schema-worker.js and never loads this file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { outputFiles } = require("esbuild").buildSync({
  entryPoints: [path.join(here, "worker-entry.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  write: false,
  outfile: "schema-worker.mjs",
});
const dir = path.resolve(here, "../../../../node_modules/.cache/threadline");
const code = outputFiles[0].text;
// Named by its content: each version of the reader is written once and reused (the service ends
// this thread as soon as it answers, so a file removed "after use" would be left behind anyway).
const file = path.join(dir, `schema-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
if (!existsSync(file)) {
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, file);
}
await import(pathToFileURL(file).href);
