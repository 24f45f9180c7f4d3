// The type reader as the engine uses it: in its own worker thread, with the disk cache keyed by the
// content of every file it read.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TypeSchemaService } from "./service";
import type { ExtractRequest } from "./types";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../test/fixtures/projects/typed/src");

let dir: string;
let cacheDir: string;
let request: ExtractRequest;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-types-"));
  cacheDir = path.join(dir, "cache");
  for (const name of ["research.ts", "shapes.ts"]) cpSync(path.join(fixture, name), path.join(dir, name));
  request = {
    graphs: [{ id: "research", file: path.join(dir, "research.ts"), keys: { state: ["topic", "sources"], config: [], messages: [] } }],
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sourceItems = async (service: TypeSchemaService) => {
  const outcome = await service.wait("research");
  if (outcome.status !== "done") throw new Error(`not read: ${JSON.stringify(outcome)}`);
  return (outcome.schemas.state as { properties: { sources: { items: { properties: Record<string, unknown> } } } }).properties.sources.items.properties;
};
const cacheFiles = () => readdirSync(cacheDir).map((name) => path.join(cacheDir, name));

describe("TypeSchemaService", () => {
  it("reads the types once; the next launch answers from the disk cache without reading them", async () => {
    const first = new TypeSchemaService(request, { cacheDir });
    expect(first.current("research")).toEqual({ status: "pending" });
    expect(Object.keys(await sourceItems(first))).toEqual(["url", "score", "tags"]);
    expect(first.extractions).toBe(1);
    const [file] = cacheFiles();
    const written = statSync(file!).mtimeMs;

    const second = new TypeSchemaService(request, { cacheDir });
    expect(await sourceItems(second)).toEqual(await sourceItems(first));
    expect(second.extractions).toBe(0);
    expect(cacheFiles()).toEqual([file]);
    expect(statSync(file!).mtimeMs).toBe(written);
  });

  it("reads them again when a file they came from changed, also one imported by the graph's file", async () => {
    await sourceItems(new TypeSchemaService(request, { cacheDir }));
    const shapes = path.join(dir, "shapes.ts");
    writeFileSync(shapes, readFileSync(shapes, "utf8").replace("url: string;", "url: string;\n  title: string;"));
    const after = new TypeSchemaService(request, { cacheDir });
    expect(Object.keys(await sourceItems(after))).toEqual(["url", "title", "score", "tags"]);
    expect(after.extractions).toBe(1);
  });

  it("takes a damaged cache file for a miss and writes it again", async () => {
    await sourceItems(new TypeSchemaService(request, { cacheDir }));
    const [file] = cacheFiles();
    writeFileSync(file!, '{"version": 1, "graphs": ');
    const again = new TypeSchemaService(request, { cacheDir });
    expect(Object.keys(await sourceItems(again))).toContain("url");
    expect(again.extractions).toBe(1);
    expect(() => JSON.parse(readFileSync(file!, "utf8")) as unknown).not.toThrow();
  });

  it("stops a reading that takes too long, and says so", async () => {
    // The gate is never opened: the worker blocks until the timeout ends it.
    const held = new TypeSchemaService(request, { cacheDir, timeoutMs: 200, gate: new SharedArrayBuffer(4) });
    const outcome = await held.wait("research");
    expect(outcome).toEqual({ status: "failed", message: "reading the graphs' TypeScript types took longer than 0.2 s and was stopped" });
  });

  it("says which graph's source is missing", async () => {
    rmSync(path.join(dir, "research.ts"));
    const outcome = await new TypeSchemaService(request, { cacheDir }).wait("research");
    expect(outcome).toEqual({ status: "failed", message: `the source of graph "research" is not there (${path.join(dir, "research.ts")})` });
  });
});
