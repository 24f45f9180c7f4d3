/**
 * `getSchemas` for the Annotation-based graphs of the compatibility project (test/langgraph-compat/
 * project: the built-in examples, a memory graph and a greeter, whose files import each other by
 * relative path): the first request on a freshly started `threadline serve` with an empty schema
 * cache (its TypeScript types are read then), the first after a restart with the cache kept, and
 * `langgraph dev`'s first request on the same project, measured in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLangGraphDev, startThreadline, type RunningProcess } from "../test/langgraph-compat/servers";
import { formatMs, formatRatio, median, renderTable } from "./format";
import type { BenchResult } from "./types";

export const name = "schemas";

/** The graphs whose state is an Annotation (their types come from the source). */
const ANNOTATION_GRAPHS = ["greeter", "human-in-the-loop", "memory"];
const FRESH_STARTS = 3;
const TARGET_MS = 3000;

interface Timed {
  /** The first request (it waits for the types); then the other graphs, answered from what that read. */
  firstMs: number;
  allMs: number;
}

async function schemasOf(server: RunningProcess, graphId: string): Promise<{ ms: number; body: Record<string, unknown> }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/assistants/${graphId}/schemas`, { headers: { "x-api-key": server.apiKey } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`getSchemas(${graphId}) answered ${response.status} after ${formatMs(ms)} ms: ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) as Record<string, unknown> };
}

/** The greeter's `said` must be typed: keys alone would be a bench of nothing. */
function checkTyped(body: Record<string, unknown>): void {
  const said = (body.input_schema as { properties?: Record<string, { type?: string }> } | null)?.properties?.said;
  if (said?.type !== "string") throw new Error(`the greeter's input schema is not typed: ${JSON.stringify(body.input_schema)}`);
}

async function timeThreadline(cacheDir: string): Promise<Timed> {
  process.env.THREADLINE_CACHE_DIR = cacheDir;
  const server = await startThreadline();
  try {
    const started = performance.now();
    const first = await schemasOf(server, ANNOTATION_GRAPHS[0]!);
    checkTyped(first.body);
    for (const graphId of ANNOTATION_GRAPHS.slice(1)) await schemasOf(server, graphId);
    return { firstMs: first.ms, allMs: performance.now() - started };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-schemas-"));
  const previous = process.env.THREADLINE_CACHE_DIR;
  try {
    const fresh: Timed[] = [];
    for (let i = 0; i < FRESH_STARTS; i++) fresh.push(await timeThreadline(path.join(dir, `fresh-${i}`)));
    // The same cache folder as the last fresh start: a later launch of the same project.
    const cached = await timeThreadline(path.join(dir, `fresh-${FRESH_STARTS - 1}`));
    if (previous === undefined) delete process.env.THREADLINE_CACHE_DIR;
    else process.env.THREADLINE_CACHE_DIR = previous;

    const reference = await startLangGraphDev();
    let theirs: { ms: number; failed?: string };
    try {
      const first = await schemasOf(reference, "greeter").catch((error: unknown) => error as Error);
      theirs = first instanceof Error ? { ms: Number(/after (\d+)/.exec(first.message)?.[1] ?? NaN), failed: first.message } : { ms: first.ms };
    } finally {
      await reference.stop();
    }

    const freshMs = median(fresh.map((t) => t.firstMs));
    const ratio = theirs.ms / freshMs;
    const table = renderTable(
      ["server", "first getSchemas ms", `all ${ANNOTATION_GRAPHS.length} graphs ms`],
      [
        ...fresh.map((t, i) => [`threadline serve, empty cache (start ${i + 1})`, formatMs(t.firstMs), formatMs(t.allMs)]),
        ["threadline serve, restarted with the cache kept", formatMs(cached.firstMs), formatMs(cached.allMs)],
        [`langgraph dev${theirs.failed ? " (failed)" : ""}`, formatMs(theirs.ms), "-"],
      ],
    );
    const report = [
      `getSchemas of the Annotation graphs (${ANNOTATION_GRAPHS.join(", ")}) of the compatibility project`,
      "",
      table,
      "",
      `langgraph dev's first / threadline's first with an empty cache (median of ${FRESH_STARTS}): ${formatRatio(ratio)}`,
      ...(theirs.failed ? [`langgraph dev: ${theirs.failed}`] : []),
    ].join("\n");
    return {
      report,
      json: { fresh, cached, langgraphDev: theirs, freshMs, ratio },
      targets: [
        {
          target: `getSchemas, first request on a freshly started server with an empty schema cache (TypeScript types read; median of ${FRESH_STARTS}): < ${TARGET_MS / 1000} s`,
          pass: freshMs < TARGET_MS,
          detail: `${formatMs(freshMs)} ms; langgraph dev's first ${formatMs(theirs.ms)} ms (${formatRatio(ratio)} of ours); from the disk cache after a restart ${formatMs(cached.firstMs)} ms`,
        },
      ],
    };
  } finally {
    if (previous === undefined) delete process.env.THREADLINE_CACHE_DIR;
    else process.env.THREADLINE_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}
