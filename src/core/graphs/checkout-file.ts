// Where a source file of the checkout is, for engine code that reads its own sources (the TypeScript
// types of an example, the schema reader's dev launcher).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A file of the checkout (`relative` to its root), found upwards from the module at `from` (its
 * import.meta.url): from source, engine code runs from its .ts file or from the engine worker's bundle
 * under node_modules/.cache (worker/source-bundle.ts), where its own URL no longer names its source.
 * Null where there is no checkout (an installed app).
 */
export function checkoutFile(relative: string, from: string): string | null {
  for (let dir = path.dirname(fileURLToPath(from)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, relative);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) return null;
  }
}
