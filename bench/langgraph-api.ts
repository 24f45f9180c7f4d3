/**
 * LangGraph's REST API: `getHistory` with limit 50 on a thread of 200
 * agent/tool loops, through the official SDK client, against `threadline
 * serve` and against `langgraph dev` on the same project and machine.
 * Target (issue 7): Threadline at least 10 times faster.
 */
import { Client } from "@langchain/langgraph-sdk";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROJECT_DIR, startLangGraphDev, type RunningProcess } from "../test/langgraph-compat/servers";
import { formatBytes, formatMs, formatRatio, renderTable } from "./format";
import type { BenchResult } from "./types";

export const name = "langgraph-api";

const LOOPS = 200;
const HISTORY_LIMIT = 50;
const WARMUP = 2;
const SAMPLES = 7;
const TARGET_RATIO = 10;

/** A question the example agent answers with one weather tool call per city, one call per turn. */
function question(loops: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const cities = Array.from({ length: loops }, (_, i) => `Town${letters[Math.floor(i / 26) % 26]}${letters[i % 26]}`);
  return cities.map((city) => `weather in ${city}`).join(", ") + ".";
}

interface Measured {
  server: string;
  threadId: string;
  checkpoints: number;
  messages: number;
  /** The first request for the page, right after the run that wrote the thread. */
  coldMs: number;
  medianMs: number;
  minMs: number;
  bytes: number;
  buildMs: number;
}

async function measure(label: string, server: RunningProcess): Promise<Measured> {
  const client = new Client({ apiUrl: server.url, apiKey: server.apiKey, callerOptions: { maxRetries: 0 } });
  const thread = await client.threads.create();
  const built = performance.now();
  const values = (await client.runs.wait(thread.thread_id, "react-agent", {
    input: { messages: [{ role: "user", content: question(LOOPS) }] },
    config: { recursion_limit: 4 * LOOPS + 10 },
  })) as { messages?: unknown[] };
  const buildMs = performance.now() - built;
  const messages = values.messages?.length ?? 0;
  if (messages < 2 * LOOPS) throw new Error(`${label}: the agent made ${messages} messages, expected at least ${2 * LOOPS}`);

  const times: number[] = [];
  let bytes = 0;
  let coldMs = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const start = performance.now();
    // Through fetch, as the SDK does, so that the response's size can be reported too.
    const response = await fetch(`${server.url}/threads/${thread.thread_id}/history`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": server.apiKey },
      body: JSON.stringify({ limit: HISTORY_LIMIT }),
    });
    const text = await response.text();
    const page = JSON.parse(text) as unknown[];
    const elapsed = performance.now() - start;
    if (page.length !== HISTORY_LIMIT) throw new Error(`${label}: getHistory returned ${page.length} states`);
    bytes = text.length;
    if (i === 0) coldMs = elapsed;
    if (i >= WARMUP) times.push(elapsed);
  }
  const all = await client.threads.getHistory(thread.thread_id, { limit: 1000 });
  // And once through the SDK itself, to be sure it reads what the loop measured.
  const viaSdk = await client.threads.getHistory(thread.thread_id, { limit: HISTORY_LIMIT });
  if (viaSdk.length !== HISTORY_LIMIT) throw new Error(`${label}: the SDK read ${viaSdk.length} states`);
  times.sort((a, b) => a - b);
  return {
    server: label,
    threadId: thread.thread_id,
    checkpoints: all.length,
    messages,
    coldMs,
    medianMs: times[Math.floor(times.length / 2)]!,
    minMs: times[0]!,
    bytes,
    buildMs,
  };
}

/** One getHistory request, timed from the request to the parsed page. */
async function historyOnce(server: RunningProcess, threadId: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${server.url}/threads/${threadId}/history`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": server.apiKey },
    body: JSON.stringify({ limit: HISTORY_LIMIT }),
  });
  const page = JSON.parse(await response.text()) as unknown[];
  const elapsed = performance.now() - start;
  if (page.length !== HISTORY_LIMIT) throw new Error(`getHistory returned ${page.length} states`);
  return elapsed;
}

/** `threadline serve` on a given database file, which outlives the process (the caller removes it). */
async function startThreadlineOn(dbFile: string): Promise<RunningProcess> {
  const root = path.resolve(PROJECT_DIR, "..", "..", "..");
  const child = spawn(
    process.execPath,
    [path.join(root, "bin", "threadline.mjs"), "serve", "--db", dbFile, "--project", PROJECT_DIR, "--port", "0"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`threadline serve did not start:\n${output.slice(-2000)}`)), 60_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const found = output.match(/serving on (http:\/\/\S+)[\s\S]*x-api-key\): (\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`threadline serve exited with ${code}:\n${output.slice(-2000)}`)));
  });
  return {
    url: match[1]!,
    apiKey: match[2]!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-"));
  const dbFile = path.join(dir, "threadline.db");
  let threadline: RunningProcess | undefined = await startThreadlineOn(dbFile);
  let reference: RunningProcess | undefined;
  try {
    reference = await startLangGraphDev();
    // One after the other: the machine has two cores, and each server's timing should be its own.
    const ours = await measure("threadline serve", threadline);
    // Cold in every sense: a new process (nothing compiled, nothing cached) on the same database.
    await threadline.stop();
    threadline = await startThreadlineOn(dbFile);
    const freshMs = await historyOnce(threadline, ours.threadId);
    await threadline.stop();
    threadline = undefined;
    const theirs = await measure("langgraph dev", reference);
    const ratio = theirs.medianMs / ours.medianMs;
    const coldRatio = theirs.coldMs / ours.coldMs;
    const freshRatio = theirs.coldMs / freshMs;
    const table = renderTable(
      ["server", "first ms", "median ms", "min ms", "checkpoints", "messages", "response", "run to build it ms"],
      [ours, theirs].map((m) => [
        m.server,
        formatMs(m.coldMs),
        formatMs(m.medianMs),
        formatMs(m.minMs),
        String(m.checkpoints),
        String(m.messages),
        formatBytes(m.bytes),
        formatMs(m.buildMs),
      ]),
    );
    const report = [
      `getHistory(limit ${HISTORY_LIMIT}) on a thread of ${LOOPS} agent/tool loops, median of ${SAMPLES} after ${WARMUP} warm-ups`,
      "",
      table,
      "",
      `threadline serve restarted on the same database, its first request: ${formatMs(freshMs)} ms`,
      "",
      `langgraph dev / threadline: repeated (medians) ${formatRatio(ratio)}; first request ${formatRatio(coldRatio)};` +
        ` threadline's first request on a restarted server vs langgraph dev's first ${formatRatio(freshRatio)}`,
      "(Threadline answers a repeated page from its history cache: checkpoints never change, and the cache forgets a",
      " thread whenever it is written. A first request reads and builds every state, with nothing cached.)",
    ].join("\n");
    return {
      report,
      json: { loops: LOOPS, limit: HISTORY_LIMIT, threadline: ours, langgraphDev: theirs, ratio, coldRatio, freshMs, freshRatio },
      targets: [
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, first request (cold, nothing cached): >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: coldRatio >= TARGET_RATIO,
          detail: `first request ${formatMs(ours.coldMs)} ms vs ${formatMs(theirs.coldMs)} ms, ${formatRatio(coldRatio)}`,
        },
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, first request on a freshly started threadline serve: >= ${TARGET_RATIO}x faster than langgraph dev's first`,
          pass: freshRatio >= TARGET_RATIO,
          detail: `${formatMs(freshMs)} ms vs ${formatMs(theirs.coldMs)} ms, ${formatRatio(freshRatio)}`,
        },
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, repeated requests (warm, from the history cache): >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: ratio >= TARGET_RATIO,
          detail: `median ${formatMs(ours.medianMs)} ms vs ${formatMs(theirs.medianMs)} ms, ${formatRatio(ratio)}`,
        },
      ],
    };
  } finally {
    await Promise.all([threadline?.stop(), reference?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
