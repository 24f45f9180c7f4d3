import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import type { MissingEnvFile } from "../../shared/graph";

// Reads a project's langgraph.json: which graphs it has and where, and the
// environment its graphs expect.

export const CONFIG_FILE = "langgraph.json";

export interface GraphSpec {
  id: string;
  /** Absolute path of the module. */
  file: string;
  /** As written in langgraph.json, for messages. */
  written: string;
  /** Absent: the default export. */
  exportName?: string;
  description?: string;
}

export interface ProjectConfig {
  configFile: string;
  graphs: GraphSpec[];
  /** Problems with single entries (or with "env", under the id "langgraph.json"); the rest is still usable. */
  problems: { id: string; message: string }[];
  env: Record<string, string>;
  /** The env file langgraph.json names is not there (the graphs load without it). */
  missingEnv?: MissingEnvFile;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

class MissingEnvError extends ConfigError {
  constructor(readonly missing: MissingEnvFile) {
    super(missing.message);
  }
}

/** "line 3, column 5" for a JSON.parse error that names a position. */
function jsonErrorWhere(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return "";
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column})`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** "./src/agent.ts:graph" → file and export; a Windows drive letter is not an export. */
export function parseGraphPath(written: string): { file: string; exportName?: string } {
  const colon = written.lastIndexOf(":");
  if (colon > 1 && IDENTIFIER.test(written.slice(colon + 1))) {
    return { file: written.slice(0, colon), exportName: written.slice(colon + 1) };
  }
  return { file: written };
}

function readEnv(value: unknown, projectDir: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === "string") {
    const envFile = path.resolve(projectDir, value);
    if (!existsSync(envFile)) {
      throw new MissingEnvError({ file: envFile, message: `"env" in ${CONFIG_FILE} names ${value}, which does not exist (${envFile})` });
    }
    const parsed = parseEnv(readFileSync(envFile, "utf8"));
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => e[1] !== undefined));
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const bad = entries.find(([, v]) => typeof v !== "string");
    if (bad) throw new ConfigError(`"env.${bad[0]}" must be a string, got ${JSON.stringify(bad[1])}`);
    return Object.fromEntries(entries as [string, string][]);
  }
  throw new ConfigError(`"env" must be a path to a .env file or an object of strings, got ${JSON.stringify(value)}`);
}

/** Throws ConfigError when the file as a whole is unusable; single bad entries land in `problems`. */
export function readProjectConfig(projectDir: string): ProjectConfig {
  const configFile = path.join(projectDir, CONFIG_FILE);
  if (!existsSync(configFile)) throw new ConfigError(`No ${CONFIG_FILE} in ${projectDir}`);
  const text = readFileSync(configFile, "utf8");
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    const err = error as Error;
    throw new ConfigError(`${CONFIG_FILE} is not valid JSON${jsonErrorWhere(text, err)}: ${err.message}`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError(`${CONFIG_FILE} must hold a JSON object`);
  }
  const graphsValue = (config as { graphs?: unknown }).graphs;
  if (typeof graphsValue !== "object" || graphsValue === null || Array.isArray(graphsValue)) {
    throw new ConfigError(
      `${CONFIG_FILE} needs a "graphs" object mapping each graph id to "./path/to/file.ts:exportName"`,
    );
  }

  const graphs: GraphSpec[] = [];
  const problems: ProjectConfig["problems"] = [];
  for (const [id, entry] of Object.entries(graphsValue)) {
    // langgraph.json also allows {"path": "...", "description": "..."}.
    const written = typeof entry === "object" && entry !== null ? (entry as { path?: unknown }).path : entry;
    const description =
      typeof entry === "object" && entry !== null && typeof (entry as { description?: unknown }).description === "string"
        ? (entry as { description: string }).description
        : undefined;
    if (typeof written !== "string" || written.trim() === "") {
      problems.push({
        id,
        message: `"graphs.${id}" in ${CONFIG_FILE} must be a string like "./src/agent.ts:graph", got ${JSON.stringify(entry)}`,
      });
      continue;
    }
    const { file, exportName } = parseGraphPath(written.trim());
    graphs.push({ id, file: path.resolve(projectDir, file), written, exportName, description });
  }

  let env: Record<string, string> = {};
  let missingEnv: MissingEnvFile | undefined;
  try {
    env = readEnv((config as { env?: unknown }).env, projectDir);
  } catch (error) {
    // The graphs may not need it; they still load and fail on their own if they do.
    if (error instanceof MissingEnvError) missingEnv = error.missing;
    else problems.push({ id: CONFIG_FILE, message: `${CONFIG_FILE}: ${(error as Error).message}` });
  }
  return { configFile, graphs, problems, env, ...(missingEnv ? { missingEnv } : {}) };
}
