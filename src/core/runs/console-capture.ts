// Captures what a run prints. The worker patches the console once; each call
// is attributed through runScope (see run-scope.ts), which follows the run's
// async work, so concurrent runs in one worker never get each other's lines.
// Output outside any run (module top level, timers started by no run) goes to
// the original console, i.e. the worker's stdout/stderr.

import { formatWithOptions, inspect } from "node:util";
import type { ConsoleLine } from "../../shared/types";
import { currentNode, runScope } from "./run-scope";

const STDOUT_METHODS = ["log", "info", "debug", "dir"] as const;
const STDERR_METHODS = ["warn", "error", "trace"] as const;
type Method = (typeof STDOUT_METHODS)[number] | (typeof STDERR_METHODS)[number];

export interface ConsoleCaptureOptions {
  /** Also write captured lines to the original console (useful when debugging the engine). */
  echo?: boolean;
}

/** Patches the global console; returns a function that restores it. Idempotent per install. */
export function installConsoleCapture(options: ConsoleCaptureOptions = {}): () => void {
  const originals = new Map<Method, (...args: unknown[]) => void>();
  const patch = (method: Method, stream: ConsoleLine["stream"]) => {
    const original = console[method].bind(console) as (...args: unknown[]) => void;
    originals.set(method, console[method] as (...args: unknown[]) => void);
    console[method] = (...args: unknown[]) => {
      const scope = runScope.getStore();
      if (!scope) return original(...args);
      // console.dir's second argument is its options, not a value to print.
      let text = method === "dir" ? inspect(args[0], { colors: false }) : formatWithOptions({ colors: false }, ...args);
      if (method === "trace") text = `Trace: ${text}\n${new Error().stack?.split("\n").slice(2).join("\n") ?? ""}`;
      const at = new Date().toISOString();
      const node = currentNode();
      for (const line of text.split("\n")) scope.console({ stream, line, node, at });
      if (options.echo) original(...args);
    };
  };
  for (const m of STDOUT_METHODS) patch(m, "stdout");
  for (const m of STDERR_METHODS) patch(m, "stderr");
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}
