// Starts the two servers the compatibility session runs against, each as a
// real process over the same project: LangGraph's reference `langgraph dev`
// (in memory) and `threadline serve` (a fresh SQLite file).
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "project");
const ROOT = path.resolve(PROJECT_DIR, "..", "..", "..");

export interface RunningProcess {
  url: string;
  /** The x-api-key to send; langgraph dev ignores it. */
  apiKey: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => done(new Error(`${what} did not start within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = output.match(pattern);
      if (match) done(null, match);
    };
    const onExit = (code: number | null) => done(new Error(`${what} exited with ${code}:\n${output.slice(-3000)}`));
    function done(error: Error | null, match?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(match!);
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Whether any process of the group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the child's whole process group and waits until every process of it is gone: langgraph dev's
 * server is a grandchild that still writes its store folder after the CLI process exits, and removing
 * that folder under it failed with ENOTEMPTY.
 */
function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return async () => {
    const pgid = child.pid!;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-pgid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      await exited;
    }
    const deadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (groupAlive(pgid)) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
      // Bounded: an unreaped zombie (no init reaping in some containers) answers signal 0 forever.
      const killed = Date.now() + 2000;
      while (groupAlive(pgid) && Date.now() < killed) await new Promise((r) => setTimeout(r, 50));
    }
    cleanup();
  };
}

/** Removes a folder a stopped server wrote, retrying while a last write of it settles. */
function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/**
 * `langgraph dev` offline, on a free port, with a fresh in-memory store. Each launch gets its own copy
 * of the project beside it (same depth, so its relative imports resolve): langgraph dev persists its
 * store in `.langgraph_api` under its working folder, and test files run in parallel.
 */
export async function startLangGraphDev(): Promise<RunningProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(path.dirname(PROJECT_DIR), ".dev-"));
  cpSync(PROJECT_DIR, dir, { recursive: true, filter: (source) => path.basename(source) !== ".langgraph_api" });
  const cli = path.join(ROOT, "node_modules", "@langchain", "langgraph-cli", "dist", "cli", "cli.mjs");
  const child = spawn(
    process.execPath,
    [cli, "dev", "--host", "127.0.0.1", "--port", String(port), "--no-browser", "--studio-url", "http://127.0.0.1"],
    {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    },
  );
  const stop = stopper(child, () => removeDir(dir));
  try {
    await waitForOutput(child, /Server running at/, 90_000, "langgraph dev");
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, apiKey: "unused", stop };
}

/**
 * `threadline serve --project` over a fresh database file, or over `options.dbFile`, which then
 * outlives the process (the caller removes it: a bench restarts the server on the same database).
 */
export async function startThreadline(projectDir = PROJECT_DIR, options: { dbFile?: string } = {}): Promise<RunningProcess> {
  const dir = options.dbFile ? null : mkdtempSync(path.join(tmpdir(), "threadline-compat-"));
  const dbFile = options.dbFile ?? path.join(dir!, "threadline.db");
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin", "threadline.mjs"), "serve", "--db", dbFile, "--project", projectDir, "--port", "0"],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  const match = await waitForOutput(child, /serving on (http:\/\/\S+)[\s\S]*x-api-key\): (\S+)/, 60_000, "threadline serve");
  return {
    url: match[1]!,
    apiKey: match[2]!,
    stop: stopper(child, () => dir && removeDir(dir)),
  };
}
