// Installs the fixture projects of test/fixtures/langgraph-lines, one per LangGraph.js line, from
// the npm registry with `npm ci`, into .cache/langgraph-lines/<line>-<lockfile hash>: a rerun with
// the same lockfile installs nothing. Each line's folder gets the shared graph sources (and the
// line's own project files, if any) copied in fresh (cheap), so that its graphs import that line's
// own @langchain/langgraph.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "langgraph-lines");
const CACHE = path.join(ROOT, ".cache", "langgraph-lines");

/** The lines that run the whole session, each pinned to one release (see its package.json). */
export const LINES = ["0.2", "0.3", "0.4", "1.x"] as const;
/** The first supported release, which lacks interrupt(), Command, subgraphs and token streaming: its own graphs list. */
export const FIRST_RELEASE = "0.2.0";
export type Line = (typeof LINES)[number] | typeof FIRST_RELEASE;

/** Written last by an install, so a half-finished one (a killed run) is redone. */
const DONE_MARKER = ".threadline-installed";

function lockHash(line: Line): string {
  const lock = readFileSync(path.join(FIXTURES, line, "package-lock.json"));
  return createHash("sha256").update(lock).digest("hex").slice(0, 16);
}

/** The pinned @langchain/langgraph version of a line's fixture. */
export function pinnedVersion(line: Line): string {
  const pkg = JSON.parse(readFileSync(path.join(FIXTURES, line, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  return pkg.dependencies["@langchain/langgraph"]!;
}

/** Where installLine puts a line's project (known before it is installed). */
export function lineDir(line: Line): string {
  return path.join(CACHE, `${line}-${lockHash(line)}`);
}

/** Copies the files of `from` into `to`, writing only those that differ: the engine of a running
 * server on the folder restarts on every write it sees. */
function syncFiles(from: string, to: string, except?: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    const overridden = except === undefined ? undefined : path.join(except, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(target, { recursive: true });
      syncFiles(source, target, overridden);
    } else if (!(overridden && existsSync(overridden))) {
      const bytes = readFileSync(source);
      if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
    }
  }
}

/** Holds a lock folder while `work` runs, so that parallel test files install a line once; a lock older than the longest install is stale. */
async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs one line (unless cached) and returns its project folder, ready for langgraph.json's graphs. */
export async function installLine(line: Line): Promise<string> {
  const dir = lineDir(line);
  const installed = () => existsSync(path.join(dir, DONE_MARKER));
  if (!installed()) {
    await withLock(`${dir}.lock`, async () => {
      if (installed()) return;
      // Installed beside the final folder and renamed into place: a killed install leaves no half folder.
      const staging = `${dir}.staging-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      for (const file of ["package.json", "package-lock.json"]) cpSync(path.join(FIXTURES, line, file), path.join(staging, file));
      await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: staging, maxBuffer: 16 << 20 });
      writeFileSync(path.join(staging, DONE_MARKER), `${new Date().toISOString()}\n`);
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    });
  }
  // A line's own project files (its langgraph.json) take the place of the shared ones.
  const own = path.join(FIXTURES, line, "project");
  if (existsSync(own)) syncFiles(own, dir);
  syncFiles(path.join(FIXTURES, "project"), dir, existsSync(own) ? own : undefined);
  return dir;
}
