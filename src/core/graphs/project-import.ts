// Imports the modules of one project through one TypeScript-aware loader namespace. tsx isolates
// each namespace (every module it loads, node_modules included, gets its own instance), so the
// project's graph files and the LangChain classes Threadline revives values with must all come
// through the same one, or they would be different copies of the same classes.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { guardExitDuringImport } from "./import-exit";

type ScopedImport = (specifier: string, parentURL: string) => Promise<Record<string, unknown>>;

let scoped: Promise<ScopedImport> | undefined;

/** One namespace per process: an engine worker serves exactly one project. */
function importer(): Promise<ScopedImport> {
  scoped ??= import("tsx/esm/api").then(({ register }) => {
    const api = register({ namespace: "threadline-project" });
    return (specifier, parentURL) => api.import(specifier, parentURL) as Promise<Record<string, unknown>>;
  });
  return scoped;
}

/** Imports `specifier` (a file path or a package name) as a module of the project whose file is `fromFile`. */
export async function importFromProject(specifier: string, fromFile: string): Promise<Record<string, unknown>> {
  const target = path.isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier;
  const load = await importer();
  return guardExitDuringImport(path.dirname(fromFile), () => load(target, pathToFileURL(fromFile).href));
}
