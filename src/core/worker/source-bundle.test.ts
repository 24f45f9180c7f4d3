// From source, workers run a bundle of worker-entry.ts rather than registering tsx (which costs each
// worker a loader-hooks thread of its own): the bundle must follow every saved source and be reused
// while none changed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundledWorkerEntry } from "./source-bundle";

let root: string;
const manifest = () => path.join(root, "node_modules", ".cache", "threadline", "worker-entry.json");
const write = (file: string, text: string) => writeFileSync(path.join(root, "src", file), text);
/** The bundle beside the launcher a worker starts from (the launcher turns source maps on, then imports it). */
const bundleOf = (launcher: URL | null) => new URL("./worker-entry.mjs", launcher!);
const said = async (url: URL | null) => ((await import(bundleOf(url).href)) as { said: string }).said;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "threadline-bundle-"));
  mkdirSync(path.join(root, "src", "core", "worker"), { recursive: true });
  write("core/worker/worker-entry.ts", 'import { word } from "../word";\nexport const said: string = `the ${word}`;\n');
  write("core/word.ts", 'export const word: string = "one";\n');
  write("unrelated.ts", "export const x = 1;\n");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("bundledWorkerEntry", () => {
  it("builds the entry with what it imports, reuses it unchanged, and rebuilds after a save", async () => {
    const first = await bundledWorkerEntry(root);
    expect(first && fileURLToPath(first).startsWith(path.join(root, "node_modules", ".cache"))).toBe(true);
    expect(await said(first)).toBe("the one");
    const built = statSync(manifest()).mtimeMs;

    // A file the entry does not import changes nothing.
    write("unrelated.ts", "export const x = 2;\n");
    expect((await bundledWorkerEntry(root))?.href).toBe(first!.href);
    expect(statSync(manifest()).mtimeMs).toBe(built);

    write("core/word.ts", 'export const word: string = "two";\n');
    const second = await bundledWorkerEntry(root);
    expect(second?.href).not.toBe(first!.href);
    expect(await said(second)).toBe("the two");
  });

  it("rebuilds when a source was saved with the same size (its time changed)", async () => {
    const first = await bundledWorkerEntry(root);
    write("core/word.ts", 'export const word: string = "six";\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, "src", "core", "word.ts"), later, later);
    expect(await said(await bundledWorkerEntry(root))).toBe("the six");
    expect(first).not.toBeNull();
  });

  it("falls back (null) when the entry does not build, saying why", async () => {
    write("core/worker/worker-entry.ts", "export const said: string = ;\n");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await bundledWorkerEntry(root)).toBeNull();
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/bundling the engine worker failed/);
    errors.mockRestore();
  });

  it("bundles this checkout's worker entry", async () => {
    const entry = await bundledWorkerEntry();
    expect(readFileSync(entry!, "utf8")).toMatch(/setSourceMapsEnabled\(true\)[\s\S]*import\("\.\/worker-entry\.mjs"\)/);
    expect(readFileSync(bundleOf(entry), "utf8")).toMatch(/worker-entry runs only as a worker thread/);
  });
});
