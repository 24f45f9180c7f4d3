// Which LangGraph.js a graph comes from, and what that release can do. A project brings its own
// @langchain/langgraph (any release from 0.2.0 up to 1.x); Threadline runs its graphs with the
// project's own classes, and where an older line lacks something (a stream mode, Overwrite,
// Command) the engine works around it or says so, naming the version, instead of failing inside
// LangGraph with a stack.
import { createRequire } from "node:module";
import * as ourLangGraph from "@langchain/langgraph";
import { notOnThisRelease, SUPPORTED_RANGE, type ReleaseInfo } from "../../shared/langgraph-release";
import type { ThreadlineError } from "../../shared/errors";

export { SUPPORTED_RANGE };

export interface LangGraphLine extends ReleaseInfo {
  /** The "tasks" and "checkpoints" stream modes (0.3 on); 0.2 has the same payloads in "debug" only. */
  taskStreams: boolean;
  /** The Command class (resume, update, goto), when the release has one. */
  Command?: new (fields: Record<string, unknown>) => unknown;
}

/** [major, minor, patch] of "1.2.3" (a prerelease counts as its release); undefined when unreadable. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function atLeast(version: string, major: number, minor: number): boolean {
  const parsed = parseVersion(version);
  return parsed !== undefined && (parsed[0] > major || (parsed[0] === major && parsed[1] >= minor));
}

/** Why a project's @langchain/langgraph cannot be run, or undefined when it can. */
export function unsupportedVersion(version: string, where: string): string | undefined {
  const parsed = parseVersion(version);
  if (parsed && atLeast(version, 0, 2) && parsed[0] < 2) return undefined;
  const which = parsed === undefined ? `an unreadable version ("${version}")` : version;
  return (
    `This project uses @langchain/langgraph ${which} (${where}); Threadline runs LangGraph.js ${SUPPORTED_RANGE}. ` +
    (parsed && parsed[0] >= 2
      ? "This Threadline does not know that release yet: use a 1.x release of @langchain/langgraph, or a newer Threadline."
      : "Upgrade it, e.g. npm install @langchain/langgraph@latest.")
  );
}

/** What a release can do, from its version and the module it exports. */
export function describeLine(version: string, module: Record<string, unknown>): LangGraphLine {
  const Command = typeof module.Command === "function" ? (module.Command as LangGraphLine["Command"]) : undefined;
  return {
    version,
    taskStreams: atLeast(version, 0, 3),
    overwrite: typeof module.Overwrite === "function",
    ...(Command ? { Command } : {}),
  };
}

const OUR_VERSION = (createRequire(import.meta.url)("@langchain/langgraph/package.json") as { version: string }).version;
/** Threadline's own copy: the built-in examples, and any graph whose classes are not a project's. */
export const THREADLINE_LINE: LangGraphLine = describeLine(OUR_VERSION, ourLangGraph as unknown as Record<string, unknown>);

// Keyed by the prototypes of a release's graph classes, so that every graph built from that copy of
// the package is recognised, including graphs a factory makes per run.
const lines = new WeakMap<object, LangGraphLine>();

/** Records that graphs made with `module` (a project's @langchain/langgraph) are of `line`. */
export function registerLine(module: Record<string, unknown>, line: LangGraphLine): void {
  // 0.2.0 exports no compiled graph class: its graphs are known by their builder (StateGraph, Graph).
  for (const name of ["CompiledStateGraph", "StateGraph"]) {
    const Class = module[name] as { prototype?: object } | undefined;
    for (let proto = Class?.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object) {
      // Runnable and above belong to @langchain/core, which other copies may share.
      if ((proto as { constructor?: { name?: string } }).constructor?.name === "Runnable") break;
      lines.set(proto, line);
    }
  }
}

function registered(value: unknown): LangGraphLine | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (let proto = Object.getPrototypeOf(value) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const line = lines.get(proto);
    if (line) return line;
  }
  return undefined;
}

/** The line a compiled graph comes from: the project's when registered, else Threadline's own. */
export function lineOf(graph: unknown): LangGraphLine {
  const builder = typeof graph === "object" && graph !== null ? (graph as { builder?: unknown }).builder : undefined;
  return registered(graph) ?? registered(builder) ?? THREADLINE_LINE;
}

/** The error for something `line` cannot do: `what` in words, naming the release. */
export function notOnThisLine(line: LangGraphLine, what: string): ThreadlineError {
  return notOnThisRelease(line.version, what);
}
