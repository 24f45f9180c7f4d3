/**
 * Memory `threadline serve` keeps for finished runs (issue 12.8): 300 runs with 100 KB messages,
 * and 50 runs on one thread growing by a 100 KB message each, through the Agent Server API. The
 * server's resident memory (VmRSS) after each case is compared with the same server idle after
 * start (the peer measured in the same run). Target: under 400 MB in both cases.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatRatio, renderTable } from "./format";
import type { BenchResult } from "./types";

export const name = "run-memory";

const TARGET_BYTES = 400 * 1024 * 1024;
const MESSAGE = 100_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Server {
  child: ChildProcess;
  url: string;
  key: string;
}

async function start(dbFile: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "threadline.mjs"), "serve", "--db", dbFile, "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const found = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let output = "";
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = output.match(/serving on (http:\/\/\S+)[\s\S]*x-api-key\): (\S+)/);
      if (match) resolve(match);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`threadline serve exited with ${code}:\n${output.slice(-2000)}`)));
  });
  return { child, url: found[1]!, key: found[2]! };
}

/** The server process's resident memory, after a pause for its collector to settle. */
async function rss(server: Server): Promise<number> {
  await new Promise((r) => setTimeout(r, 2000));
  const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function api(server: Server, method: string, urlPath: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: { "x-api-key": server.key, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** One run to its end, streamed as useStream reads it, so the server keeps its events as it would. */
async function runToEnd(server: Server, threadId: string, i: number): Promise<void> {
  const content = `weather in Paris ${i} `.padEnd(MESSAGE, "x");
  const response = await fetch(`${server.url}/threads/${threadId}/runs/stream`, {
    method: "POST",
    headers: { "x-api-key": server.key, "content-type": "application/json" },
    body: JSON.stringify({ assistant_id: "react-agent", input: { messages: [{ role: "user", content }] }, stream_mode: ["values", "messages-tuple"] }),
  });
  if (!response.ok) throw new Error(`run ${i}: ${response.status} ${await response.text()}`);
  await response.text();
}

async function newThread(server: Server): Promise<string> {
  return ((await api(server, "POST", "/threads", {})) as { thread_id: string }).thread_id;
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-memory-"));
  const rows: string[][] = [];
  const figures: Record<string, number> = {};
  const targets: BenchResult["targets"] = [];
  try {
    for (const scenario of ["300 runs, 100 KB messages", "50 runs on one growing thread"] as const) {
      const server = await start(path.join(dir, `${scenario.length}.db`));
      try {
        const idle = await rss(server);
        if (scenario.startsWith("300")) {
          for (let i = 0; i < 300; i++) await runToEnd(server, await newThread(server), i);
        } else {
          const thread = await newThread(server);
          for (let i = 0; i < 50; i++) await runToEnd(server, thread, i);
        }
        const after = await rss(server);
        rows.push([scenario, formatBytes(idle), formatBytes(after), formatRatio(after / idle)]);
        figures[scenario.startsWith("300") ? "manyRunsRss" : "growingThreadRss"] = after;
        targets.push({ target: `${scenario}: server RSS under 400 MB`, pass: after < TARGET_BYTES, detail: `${formatBytes(after)}, ${formatRatio(after / idle)} of idle` });
      } finally {
        server.child.kill("SIGTERM");
        await new Promise((r) => server.child.once("exit", r));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { report: renderTable(["case", "idle RSS", "RSS after", "after / idle"], rows), json: figures, targets };
}

