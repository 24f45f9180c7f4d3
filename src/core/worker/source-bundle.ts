// Running from source (`threadline serve` from a checkout, tests), each worker would register tsx,
// and on Node 20 every thread that registers loader hooks gets a hooks thread of its own: one more
// V8 isolate per worker, holding esbuild's API and every transpiled module. With a primary and a
// runner that was about 85 MB of a 380 MB server (issue 12.8), and it made a runner's start 3×
// slower. So the worker's code is bundled once with esbuild, as the app's build does, into
// node_modules/.cache (where the bundle's `createRequire(import.meta.url)` still finds the
// packages), and reused until one of its source files changes.

import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The checkout: sources under src/, packages under node_modules/. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ENTRY = "src/core/worker/worker-entry.ts";
/** Bump when the build options change: a bundle built with other options is not reused. */
const FORMAT = 2;
/** Bundles other than the current one are removed once this old (a server may still spawn from one). */
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;
/** A worker's first module: source maps on before the bundle loads (see Cache.launcherOf). */
const LAUNCHER = 'process.setSourceMapsEnabled(true);\nawait import("./worker-entry.mjs");\n';

interface Manifest {
  format: number;
  /** Folder under the cache holding worker-entry.mjs and its map. */
  dir: string;
  /** Every source file in the bundle, relative to the root, as [path, size, mtimeMs]. */
  inputs: [string, number, number][];
}

const building = new Map<string, Promise<URL | null>>();
/** Builds in flight in this process: esbuild's service (a child process) is stopped after the last. */
let inFlight = 0;

/**
 * The bundled worker entry of the checkout at `root`, built when missing or older than one of its
 * sources; null when it cannot be built (a read-only install, say): the caller then registers tsx
 * in the worker instead.
 */
export function bundledWorkerEntry(root = ROOT): Promise<URL | null> {
  const cache = new Cache(root);
  const fresh = cache.current();
  if (fresh) return Promise.resolve(fresh);
  let pending = building.get(root);
  if (!pending) {
    pending = cache
      .build()
      .catch((error: unknown) => {
        console.error(`threadline: bundling the engine worker failed, running it through tsx: ${String(error)}`);
        return null;
      })
      .finally(() => building.delete(root));
    building.set(root, pending);
  }
  return pending;
}

class Cache {
  private readonly dir: string;
  private readonly manifest: string;

  constructor(private readonly root: string) {
    this.dir = path.join(root, "node_modules", ".cache", "threadline");
    this.manifest = path.join(this.dir, "worker-entry.json");
  }

  private entryOf(bundle: string): string {
    return path.join(this.dir, bundle, "worker-entry.mjs");
  }

  /**
   * What a worker starts: turns source maps on, then imports the bundle, so that stacks of errors
   * thrown in Threadline's own code (the built-in examples' nodes) name the .ts sources, not the bundle.
   */
  private launcherOf(bundle: string): string {
    return path.join(this.dir, bundle, "launch.mjs");
  }

  /** The bundle named by the manifest, if every one of its inputs is unchanged. */
  current(): URL | null {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(this.manifest, "utf8")) as Manifest;
    } catch {
      return null;
    }
    if (manifest.format !== FORMAT || !existsSync(this.entryOf(manifest.dir)) || !existsSync(this.launcherOf(manifest.dir))) return null;
    for (const [file, size, mtimeMs] of manifest.inputs) {
      try {
        const stat = statSync(path.join(this.root, file));
        if (stat.size !== size || stat.mtimeMs !== mtimeMs) return null;
      } catch {
        return null;
      }
    }
    return pathToFileURL(this.launcherOf(manifest.dir));
  }

  async build(): Promise<URL> {
    const esbuild = await import("esbuild");
    inFlight++;
    // Taken before the build reads the sources: a file saved meanwhile then counts as changed next time.
    const before = this.statTree("src");
    // Same depth as the final folder, so the map's relative source paths stay right.
    const staging = `tmp-${randomUUID()}`;
    try {
      const result = await esbuild.build({
        absWorkingDir: this.root,
        entryPoints: [ENTRY],
        outfile: this.entryOf(staging),
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        sourcemap: "linked",
        sourcesContent: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs).map((file) => [file, ...(before.get(file) ?? [-1, -1])] as Manifest["inputs"][number]);
      const bundle = `worker-${createHash("sha256").update(readFileSync(this.entryOf(staging))).digest("hex").slice(0, 16)}`;
      if (!existsSync(this.entryOf(bundle))) {
        try {
          renameSync(path.join(this.dir, staging), path.join(this.dir, bundle));
        } catch (error) {
          // Another process built the same bundle at the same moment: theirs is as good.
          if (!existsSync(this.entryOf(bundle))) throw error;
        }
      }
      // Also into a folder an earlier format left without it (the same bundle, so the same name).
      if (!existsSync(this.launcherOf(bundle))) writeFileSync(this.launcherOf(bundle), LAUNCHER);
      const tmp = `${this.manifest}.${randomUUID()}`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, dir: bundle, inputs } satisfies Manifest));
      renameSync(tmp, this.manifest);
      this.prune(bundle);
      return pathToFileURL(this.launcherOf(bundle));
    } finally {
      rmSync(path.join(this.dir, staging), { recursive: true, force: true });
      if (--inFlight === 0) await esbuild.stop();
    }
  }

  /** [size, mtimeMs] of every file under `dir` (relative to the root), by path relative to the root. */
  private statTree(dir: string, into = new Map<string, [number, number]>()): Map<string, [number, number]> {
    for (const entry of readdirSync(path.join(this.root, dir), { withFileTypes: true })) {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) this.statTree(file, into);
      else if (entry.isFile()) {
        const stat = statSync(path.join(this.root, file));
        into.set(file, [stat.size, stat.mtimeMs]);
      }
    }
    return into;
  }

  /** Removes bundles of older sources, once old enough that no server started before still spawns from them. */
  private prune(keep: string): void {
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (name === keep || !/^(worker|tmp)-/.test(name)) continue;
      const folder = path.join(this.dir, name);
      try {
        if (Date.now() - statSync(folder).mtimeMs > KEEP_OLD_MS) rmSync(folder, { recursive: true, force: true });
      } catch {
        // Removed by another process meanwhile.
      }
    }
  }
}
