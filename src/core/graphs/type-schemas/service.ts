// The type-derived schemas of one engine's Annotation-based graphs: read once, on the first request
// for them, from the disk cache or else by the extraction in a worker thread of its own (with a
// timeout), so runs and every other call keep answering while the compiler works. Until it is
// done a caller gets what the engine already knows (the state's keys), or waits (`wait`).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { checkoutFile } from "../checkout-file";
import { SchemaCache } from "./cache";
import type { ExtractRequest, ExtractResult, TypedSchemas } from "./types";

export interface TypeSchemaOptions {
  /** Where cache files go; null keeps nothing on disk. */
  cacheDir: string | null;
  /** How long the extraction may take before it is stopped and the keys stay all there is. */
  timeoutMs?: number;
  /** Tests: the worker blocks on this (Atomics.wait on index 0) until it is set and notified. */
  gate?: SharedArrayBuffer;
}

export type TypedOutcome = { status: "pending" } | { status: "done"; schemas: TypedSchemas } | { status: "failed"; message: string };

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The extraction worker's entry: the built app's schema-worker.js beside this module; from source, the
 * checkout's dev launcher (also when this module runs inside the engine worker's source bundle).
 */
function workerUrl(): URL {
  if (import.meta.url.endsWith(".ts")) return new URL("./worker-dev.mjs", import.meta.url);
  const built = new URL("./schema-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  const launcher = checkoutFile("src/core/graphs/type-schemas/worker-dev.mjs", import.meta.url);
  return launcher ? pathToFileURL(launcher) : built;
}

export class TypeSchemaService {
  /** How many extractions this service started (a cache hit starts none). */
  extractions = 0;
  private result: Promise<ExtractResult["graphs"] | Error> | undefined;
  private settled: ExtractResult["graphs"] | Error | undefined;
  private readonly cache: SchemaCache | null;
  private worker: Worker | undefined;

  constructor(
    private readonly request: ExtractRequest,
    private readonly options: TypeSchemaOptions,
  ) {
    this.cache = options.cacheDir ? new SchemaCache(options.cacheDir) : null;
  }

  has(graphId: string): boolean {
    return this.request.graphs.some((g) => g.id === graphId);
  }

  /** What is known now; starts reading the types if nothing has yet. */
  current(graphId: string): TypedOutcome {
    this.start();
    return this.outcome(graphId);
  }

  /** The outcome once reading the types has ended (done, failed or timed out). */
  async wait(graphId: string): Promise<TypedOutcome> {
    await this.start();
    return this.outcome(graphId);
  }

  private outcome(graphId: string): TypedOutcome {
    const settled = this.settled;
    if (settled === undefined) return { status: "pending" };
    if (settled instanceof Error) return { status: "failed", message: settled.message };
    const graph = settled[graphId];
    if (!graph) return { status: "failed", message: `no types were read for graph "${graphId}"` };
    return "error" in graph ? { status: "failed", message: graph.error } : { status: "done", schemas: graph.schemas };
  }

  private start(): Promise<unknown> {
    this.result ??= this.read().then((settled) => (this.settled = settled));
    return this.result;
  }

  private async read(): Promise<ExtractResult["graphs"] | Error> {
    const cached = this.cache?.read(this.request);
    if (cached) return cached;
    const missing = this.request.graphs.find((g) => !existsSync(g.file));
    if (missing) return new Error(`the source of graph "${missing.id}" is not there (${missing.file})`);
    this.extractions += 1;
    try {
      const result = await this.extract();
      try {
        this.cache?.write(this.request, result);
      } catch {
        // A cache that cannot be written (read-only folder, full disk) only costs the next launch time.
      }
      return result.graphs;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private extract(): Promise<ExtractResult> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ExtractResult>((resolve, reject) => {
      const worker = new Worker(workerUrl(), {
        workerData: { request: this.request, ...(this.options.gate ? { gate: this.options.gate } : {}) },
        stdout: false,
        stderr: false,
      });
      this.worker = worker;
      // A pending extraction must not keep the process alive.
      worker.unref();
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`reading the graphs' TypeScript types took longer than ${timeoutMs / 1000} s and was stopped`));
      }, timeoutMs);
      timer.unref();
      worker.once("message", (message: { ok: true; result: ExtractResult } | { ok: false; message: string }) => {
        clearTimeout(timer);
        void worker.terminate();
        if (message.ok) resolve(message.result);
        else reject(new Error(`reading the graphs' TypeScript types failed: ${message.message}`));
      });
      worker.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`reading the graphs' TypeScript types failed: ${error.message}`));
      });
      worker.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the TypeScript type reader ended (exit code ${code}) before it answered`));
      });
    });
  }

  /** Stops a running extraction (the engine is closing). */
  close(): void {
    void this.worker?.terminate();
  }
}
