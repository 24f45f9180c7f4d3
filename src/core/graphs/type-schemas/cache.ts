// The disk cache of type-derived schemas: one JSON file per project (its graphs, their files and
// keys, the extractor's and TypeScript's versions name it), holding the SHA-256 of every source
// file the extraction read. A hit needs every one of those files unchanged; anything else (a
// changed or deleted file, a file that is not ours, bad JSON) is a miss and is overwritten.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import type { ExtractRequest, ExtractResult } from "./types";

/** Bumped when the extraction's output changes, so older cache files are not served. */
export const EXTRACTOR_VERSION = 2;

const jsonObject = z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v));
const cacheFile = z.object({
  version: z.literal(EXTRACTOR_VERSION),
  typescript: z.string(),
  files: z.record(z.string(), z.string()),
  graphs: z.record(
    z.string(),
    z.union([
      z.object({ schemas: z.object({ input: jsonObject.optional(), output: jsonObject.optional(), state: jsonObject.optional(), config: jsonObject.optional() }) }),
      z.object({ error: z.string() }),
    ]),
  ),
});

let typescriptVersion: string | undefined;
/** TypeScript's version from its package.json: loading the compiler itself costs a few hundred ms. */
function typescriptVersionOf(): string {
  typescriptVersion ??= (createRequire(import.meta.url)("typescript/package.json") as { version: string }).version;
  return typescriptVersion;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hash of a source text as the compiler reads it (without a byte order mark). */
export function sourceHash(text: string): string {
  return sha256(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

function hashFile(file: string): string | undefined {
  try {
    return sourceHash(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

export class SchemaCache {
  constructor(private readonly dir: string) {}

  /** The file for this project's request: the same graphs, files and keys with the same tools. */
  fileFor(request: ExtractRequest): string {
    const key = sha256(JSON.stringify({ v: EXTRACTOR_VERSION, ts: typescriptVersionOf(), graphs: request.graphs }));
    return path.join(this.dir, `schemas-${key.slice(0, 32)}.json`);
  }

  /** The cached result when every file it was read from is unchanged. */
  read(request: ExtractRequest): ExtractResult["graphs"] | undefined {
    let parsed: z.infer<typeof cacheFile>;
    try {
      parsed = cacheFile.parse(JSON.parse(readFileSync(this.fileFor(request), "utf8")));
    } catch {
      return undefined;
    }
    if (parsed.typescript !== typescriptVersionOf()) return undefined;
    for (const [file, hash] of Object.entries(parsed.files)) {
      if (hashFile(file) !== hash) return undefined;
    }
    return parsed.graphs as ExtractResult["graphs"];
  }

  /**
   * Keeps a result, keyed by the content the extraction read (hashed in its worker), so a file saved
   * while it ran makes the next launch read it again. Written to a temporary name and renamed, so a
   * reader never sees half of it.
   */
  write(request: ExtractRequest, result: ExtractResult): void {
    const target = this.fileFor(request);
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: EXTRACTOR_VERSION, typescript: result.typescript, files: result.files, graphs: result.graphs }));
    renameSync(temporary, target);
  }
}
