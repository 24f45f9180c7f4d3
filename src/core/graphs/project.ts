import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { GraphInfo, GraphLoadFailure, MissingEnvFile } from "../../shared/graph";
import { describeValue, isCompiledGraph, isGraphBuilder } from "./graph-shape";
import { unsupportedVersion } from "./langgraph-line";
import { CONFIG_FILE, ConfigError, type GraphSpec, readProjectConfig } from "./langgraph-json";
import { importFromProject } from "./project-import";

// Loads the graphs a langgraph.json names. The user's modules are imported
// with tsx so TypeScript needs no build step, and from their own location, so
// their imports (including @langchain/langgraph) resolve from the project's
// node_modules. Each graph that fails is reported on its own.

/**
 * A graph export that is a function: `langgraph dev` calls it for every run with that run's config
 * (and, as its second argument, what the call is for), so it can pick its model or tools from
 * `configurable`.
 */
export type GraphFactory = (config: Record<string, unknown>, context: FactoryContext) => unknown;
export interface FactoryContext {
  accessContext: "threads.create_run" | "assistants.read";
  executionRuntime: { context?: unknown } | null;
}

export interface ProjectGraph {
  info: GraphInfo;
  /** A compiled graph or a graph builder, as the module (or its factory, with the default config) gave it. */
  graph: unknown;
  /** Set when the export is a factory: called again for each run. */
  factory?: GraphFactory;
}

export interface ProjectLoadResult {
  graphs: ProjectGraph[];
  failures: GraphLoadFailure[];
  /** langgraph.json names an env file that is not there: the graphs still load, without it. */
  missingEnv?: MissingEnvFile;
  /** The project's own @langchain/langgraph, when one was found. */
  langgraph?: { version: string; packageJson: string };
}

/** The @langchain/langgraph that `import` resolves from this folder: the nearest node_modules that has one. */
export function findLangGraphPackage(fromDir: string): { version: string; packageJson: string } | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const packageJson = path.join(dir, "node_modules", "@langchain", "langgraph", "package.json");
    if (existsSync(packageJson)) {
      const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version?: unknown }).version;
      return { version: typeof version === "string" ? version : "unknown", packageJson };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function relativeToProject(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative.startsWith("..") ? file : `./${relative.split(path.sep).join("/")}`;
}

function userStack(error: unknown): string | undefined {
  return error instanceof Error && typeof error.stack === "string" ? error.stack : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** esbuild's "Transform failed with 1 error:\n/abs/file.ts:2:9: ERROR: ..." as "./file.ts:2:9: ...". */
function importErrorMessage(error: unknown, projectDir: string): string {
  const message = messageOf(error);
  const transform = /^Transform failed with \d+ errors?:\n/.exec(message);
  if (!transform) return message;
  return message
    .slice(transform[0].length)
    .split("\n")
    .map((line) => {
      const located = /^(.+?):(\d+:\d+): ERROR: (.*)$/.exec(line);
      return located ? `${relativeToProject(projectDir, located[1] ?? "")}:${located[2]}: ${located[3]}` : line;
    })
    .join("\n");
}

/** The config a graph factory gets for drawing and schemas, as LangGraph's server passes it. */
export const DEFAULT_FACTORY_CONFIG = { configurable: {} };
const READ_CONTEXT: FactoryContext = { accessContext: "assistants.read", executionRuntime: null };

/** Calls a factory and checks it gave a graph; throws a message naming the export. */
export async function callFactory(
  factory: GraphFactory,
  label: string,
  config: Record<string, unknown> = DEFAULT_FACTORY_CONFIG,
  context: FactoryContext = READ_CONTEXT,
): Promise<unknown> {
  let produced: unknown;
  try {
    produced = await factory(config, context);
  } catch (error) {
    throw Object.assign(new Error(`${label} is a function that threw: ${messageOf(error)}`), { cause: error });
  }
  if (isCompiledGraph(produced) || isGraphBuilder(produced)) return produced;
  throw new Error(
    `${label} is a function that returned ${describeValue(produced)}, not a graph ` +
      `(expected a compiled graph or a StateGraph)`,
  );
}

async function resolveExport(
  spec: GraphSpec,
  where: string,
  module: Record<string, unknown>,
): Promise<{ graph: unknown; factory?: GraphFactory }> {
  const name = spec.exportName ?? "default";
  let value: unknown = module[name];
  // A CommonJS module's exports arrive as the default export.
  if (value === undefined && spec.exportName && typeof module.default === "object" && module.default !== null) {
    value = (module.default as Record<string, unknown>)[spec.exportName];
  }
  if (value === undefined) {
    const available = Object.keys(module).filter((key) => key !== "__esModule" && key !== "module.exports");
    const list = available.length > 0 ? `it exports ${available.join(", ")}` : "it exports nothing";
    throw new Error(
      spec.exportName
        ? `${where} has no export named "${spec.exportName}" (${list})`
        : `${where} has no default export; name one in langgraph.json as "${spec.written}:exportName" (${list})`,
    );
  }
  const exportLabel = spec.exportName ? `Export "${spec.exportName}"` : "The default export";
  if (typeof value === "function" && !isGraphBuilder(value)) {
    const factory = value as GraphFactory;
    // Called once now with the default config (drawing, schemas); again for every run.
    return { graph: await callFactory(factory, `${exportLabel} of ${where}`), factory };
  }
  if (isCompiledGraph(value) || isGraphBuilder(value)) return { graph: value };
  throw new Error(
    `${exportLabel} of ${where} is ${describeValue(value)}, not a LangGraph graph ` +
      `(expected a compiled graph, a StateGraph, or a function returning one)`,
  );
}

export async function loadProject(projectDir: string): Promise<ProjectLoadResult> {
  const dir = path.resolve(projectDir);
  const configFile = path.join(dir, CONFIG_FILE);
  let config;
  try {
    config = readProjectConfig(dir);
  } catch (error) {
    if (error instanceof ConfigError) {
      return { graphs: [], failures: [{ id: CONFIG_FILE, file: configFile, message: error.message }] };
    }
    throw error;
  }

  const failures: GraphLoadFailure[] = config.problems.map((problem) => ({ ...problem, file: configFile }));
  const missingEnv = config.missingEnv ? { missingEnv: config.missingEnv } : {};
  const langgraph = findLangGraphPackage(dir);
  const unsupported = langgraph && unsupportedVersion(langgraph.version, langgraph.packageJson);
  if (unsupported) {
    for (const spec of config.graphs) failures.push({ id: spec.id, file: spec.file, message: unsupported });
    return { graphs: [], failures, ...missingEnv, langgraph };
  }

  // Applied before any import, since modules often read their settings at the top level.
  Object.assign(process.env, config.env);

  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const graphs: ProjectGraph[] = [];
  for (const spec of config.graphs) {
    const where = relativeToProject(dir, spec.file);
    const fail = (message: string, stack?: string) =>
      failures.push({ id: spec.id, file: spec.file, message, ...(stack ? { stack } : {}) });

    if (!existsSync(spec.file)) {
      fail(`"graphs.${spec.id}" in ${CONFIG_FILE} points to ${where}, which does not exist (${spec.file})`);
      continue;
    }
    // One import per file, so graphs exported side by side share their module's state.
    let loading = modules.get(spec.file);
    if (!loading) {
      loading = importFromProject(spec.file, configFile);
      modules.set(spec.file, loading);
    }
    let module: Record<string, unknown>;
    try {
      module = await loading;
    } catch (error) {
      // A syntax error's stack is the TypeScript loader's, which tells the user nothing.
      const isSyntaxError = messageOf(error).startsWith("Transform failed");
      fail(`Could not import ${where}: ${importErrorMessage(error, dir)}`, isSyntaxError ? undefined : userStack(error));
      continue;
    }
    try {
      const { graph, factory } = await resolveExport(spec, where, module);
      graphs.push({
        info: {
          id: spec.id,
          title: spec.id,
          description: spec.description ?? `${where}${spec.exportName ? `:${spec.exportName}` : ""}`,
          source: "project",
          file: spec.file,
          ...(spec.exportName ? { exportName: spec.exportName } : {}),
          ...(langgraph ? { langgraphVersion: langgraph.version } : {}),
        },
        graph,
        ...(factory ? { factory } : {}),
      });
    } catch (error) {
      fail(messageOf(error), userStack((error as { cause?: unknown }).cause));
    }
  }
  return { graphs, failures, ...missingEnv, ...(langgraph ? { langgraph } : {}) };
}
