// process.exit() called by a project module while it is being imported (a script-style entry file
// that ends itself, a config check that bails out). Left alone it ends the engine's worker at every
// start, silently; instead, while project imports are in flight, it throws an error that names the
// module, so that graph fails to load with that message and the engine serves the rest.

import { fileURLToPath } from "node:url";

export class ExitDuringImportError extends Error {
  override readonly name = "ExitDuringImport";
  constructor(code: number | string | null | undefined, module: string | null) {
    super(
      `${module ?? "a module of the project"} called process.exit(${code ?? ""}) while it was being imported; ` +
        `it was stopped there and its graph did not load (change the file to try again)`,
    );
  }
}

let inFlight = 0;
let outerExit: typeof process.exit | null = null;
let projectDir = "";

/** The first frame of `stack` in the project's own files (not its node_modules), as a path. */
export function culpritModule(stack: string, dir: string): string | null {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  for (const match of stack.matchAll(/(file:\/\/[^\s)]+?|\/[^\s():]+?):\d+:\d+/g)) {
    let file = match[1]!;
    if (file.startsWith("file://")) file = fileURLToPath(file.split("?")[0]!);
    if (file.startsWith(prefix) && !file.startsWith(`${prefix}node_modules/`)) return file;
  }
  return null;
}

/** Runs `load` (imports of the project in `dir`) with process.exit turned into ExitDuringImportError. */
export async function guardExitDuringImport<T>(dir: string, load: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) {
    outerExit = process.exit;
    projectDir = dir;
    process.exit = ((code?: number | string | null) => {
      throw new ExitDuringImportError(code, culpritModule(new Error().stack ?? "", projectDir));
    }) as typeof process.exit;
  }
  try {
    return await load();
  } finally {
    if (--inFlight === 0 && outerExit) {
      process.exit = outerExit;
      outerExit = null;
    }
  }
}
