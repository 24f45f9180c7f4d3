// Starts the two servers the compatibility session runs against, each as a
// real process over the same project: LangGraph's reference `langgraph dev`
// (in memory) and `threadline serve` (a fresh SQLite file).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // The process group: npx and langgraph dev each start children of their own.
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };
}

/** `langgraph dev` offline, on a free port, with a fresh in-memory store. */
export async function startLangGraphDev(): Promise<RunningProcess> {
  const port = await freePort();
  // langgraph dev persists its in-memory store here between launches.
  rmSync(path.join(PROJECT_DIR, ".langgraph_api"), { recursive: true, force: true });
  const cli = path.join(ROOT, "node_modules", "@langchain", "langgraph-cli", "dist", "cli", "cli.mjs");
  const child = spawn(
    process.execPath,
    [cli, "dev", "--host", "127.0.0.1", "--port", String(port), "--no-browser", "--studio-url", "http://127.0.0.1"],
    {
      cwd: PROJECT_DIR,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    },
  );
  await waitForOutput(child, /Server running at/, 90_000, "langgraph dev");
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: "unused",
    stop: stopper(child, () => rmSync(path.join(PROJECT_DIR, ".langgraph_api"), { recursive: true, force: true })),
  };
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
    stop: stopper(child, () => dir && rmSync(dir, { recursive: true, force: true })),
  };
}
