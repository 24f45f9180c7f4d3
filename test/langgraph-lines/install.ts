// Installs the fixture projects of test/fixtures/langgraph-lines, one per LangGraph.js line, from
// the npm registry with `npm ci`, into .cache/langgraph-lines/<line>-<lockfile hash>: a rerun with
// the same lockfile installs nothing. Each line's folder gets the shared graph sources (and the
// line's own project files, if any) copied in fresh (cheap), so that its graphs import that line's
// own @langchain/langgraph.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** Installs one line (unless cached) and returns its project folder, ready for langgraph.json's graphs. */
export async function installLine(line: Line): Promise<string> {
  const dir = lineDir(line);
  if (!existsSync(path.join(dir, DONE_MARKER))) {
    // Installed beside the final folder and renamed into place: parallel test files never see half an install.
    const staging = `${dir}.staging-${process.pid}-${Date.now()}`;
    mkdirSync(staging, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) cpSync(path.join(FIXTURES, line, file), path.join(staging, file));
    await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: staging, maxBuffer: 16 << 20 });
    writeFileSync(path.join(staging, DONE_MARKER), `${new Date().toISOString()}\n`);
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process finished the same install first: theirs is as good as ours.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(path.join(dir, DONE_MARKER))) throw error;
    }
  }
  cpSync(path.join(FIXTURES, "project"), dir, { recursive: true });
  // A line's own project files (its langgraph.json) replace the shared ones.
  const own = path.join(FIXTURES, line, "project");
  if (existsSync(own)) cpSync(own, dir, { recursive: true });
  return dir;
}
