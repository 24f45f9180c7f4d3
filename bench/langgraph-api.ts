/**
 * LangGraph's REST API: `getHistory` with limit 50 on a thread of 200
 * agent/tool loops, through the official SDK client, against `threadline
 * serve` and against `langgraph dev` on the same project and machine.
 * Targets (issues 7 and 15): Threadline at least 10 times faster on each of four kinds of request.
 */
import { Client } from "@langchain/langgraph-sdk";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROJECT_DIR, startLangGraphDev, startThreadline, type RunningProcess } from "../test/langgraph-compat/servers";
import { formatBytes, formatMs, formatRatio, median, renderTable } from "./format";
import { collectGarbage, writeAgentThread } from "./support";
import type { BenchResult } from "./types";

export const name = "langgraph-api";

const LOOPS = 200;
const HISTORY_LIMIT = 50;
const WARMUP = 2;
const SAMPLES = 7;
/** Short runs after the long one, each followed by one (uncached) request. */
const LATER_RUNS = 3;
/** Restarts of threadline serve on the same database, each followed by one request. */
const FRESH_STARTS = 3;
const TARGET_RATIO = 10;

/**
 * Warms the bench process's own fetch and JSON.parse on a body shaped and sized like the page
 * measured, served by a local dummy server, before either server is measured: otherwise the
 * first sample of whichever server goes first also times the client's first big parse (its young
 * generation growing, its parser compiling), which has nothing to do with the server.
 */
let warmText = "";

/**
 * The client's JSON.parse and young generation warmed again right before a timed request: while
 * the client only waits (a 17 s run, a server restarting), V8 shrinks its heap, and the next 5 MB
 * parse then paid 15–30 ms more in the client alone, whichever server sent the page (measured
 * stage by stage: the server had sent the body as fast as after a restart). Done before every
 * timed request of both servers.
 */
function rewarmClient(): void {
  for (let i = 0; i < 2; i++) JSON.parse(warmText);
}

async function warmClient(): Promise<void> {
  const message = (i: number) => ({
    id: `run-${i}`,
    content: `Let me look up the weather in Town${i}.`,
    additional_kwargs: {},
    response_metadata: {},
    type: i % 2 ? "ai" : "tool",
    tool_calls: [{ name: "weather", args: { city: `Town${i}` }, id: `call_${i}`, type: "tool_call" }],
    invalid_tool_calls: [],
  });
  const page = Array.from({ length: HISTORY_LIMIT }, (_, s) => ({
    values: { messages: Array.from({ length: 2 * LOOPS - s }, (_, i) => message(i)) },
    next: ["agent"],
    tasks: [],
    metadata: { source: "loop", step: 2 * LOOPS - s },
  }));
  const body = Buffer.from(JSON.stringify(page));
  warmText = body.toString();
  const dummy = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => dummy.listen(0, "127.0.0.1", resolve));
  const { port } = dummy.address() as AddressInfo;
  for (let i = 0; i < 3; i++) JSON.parse(await (await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" })).text());
  await new Promise<void>((resolve) => dummy.close(() => resolve()));
}

interface Measured {
  server: string;
  threadId: string;
  checkpoints: number;
  messages: number;
  /** The first request for the page, right after the run that wrote the thread. */
  coldMs: number;
  /**
   * The median of the first requests after each of LATER_RUNS short runs on the thread: what a
   * useStream app reads after every run (Threadline builds the run's new checkpoints and answers
   * the rest from its revision-checked cache).
   */
  afterRunMs: number;
  medianMs: number;
  minMs: number;
  bytes: number;
  buildMs: number;
}

async function measure(label: string, server: RunningProcess): Promise<Measured> {
  const client = new Client({ apiUrl: server.url, apiKey: server.apiKey, callerOptions: { maxRetries: 0 } });
  const { threadId, messages, ms: buildMs } = await writeAgentThread(client, LOOPS);
  if (messages < 2 * LOOPS) throw new Error(`${label}: the agent made ${messages} messages, expected at least ${2 * LOOPS}`);

  const times: number[] = [];
  let bytes = 0;
  let coldMs = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const page = await historyOnce(server, threadId, label);
    bytes = page.bytes;
    if (i === 0) coldMs = page.ms;
    if (i >= WARMUP) times.push(page.ms);
  }
  const all = await client.threads.getHistory(threadId, { limit: 1000 });
  // And once through the SDK itself, to be sure it reads what the loop measured.
  const viaSdk = await client.threads.getHistory(threadId, { limit: HISTORY_LIMIT });
  if (viaSdk.length !== HISTORY_LIMIT) throw new Error(`${label}: the SDK read ${viaSdk.length} states`);
  // What a useStream app does after every run: read the history the run has just changed.
  const afterRuns: number[] = [];
  for (let i = 0; i < LATER_RUNS; i++) {
    await client.runs.wait(threadId, "react-agent", { input: { messages: [{ role: "user", content: `weather in Later${i}.` }] } });
    afterRuns.push((await historyOnce(server, threadId, label)).ms);
  }
  times.sort((a, b) => a - b);
  return {
    server: label,
    threadId,
    checkpoints: all.length,
    messages,
    coldMs,
    afterRunMs: median(afterRuns),
    medianMs: times[Math.floor(times.length / 2)]!,
    minMs: times[0]!,
    bytes,
    buildMs,
  };
}

/**
 * One getHistory request, timed from the request to the parsed page; through fetch, as the SDK
 * does, so that the response's size can be reported too.
 */
async function historyOnce(server: RunningProcess, threadId: string, label: string): Promise<{ ms: number; bytes: number }> {
  rewarmClient();
  collectGarbage();
  const start = performance.now();
  const response = await fetch(`${server.url}/threads/${threadId}/history`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": server.apiKey },
    body: JSON.stringify({ limit: HISTORY_LIMIT }),
  });
  const text = await response.text();
  const page = JSON.parse(text) as unknown[];
  const ms = performance.now() - start;
  if (page.length !== HISTORY_LIMIT) throw new Error(`${label}: getHistory returned ${page.length} states`);
  return { ms, bytes: text.length };
}

export async function run(): Promise<BenchResult> {
  await warmClient();
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-"));
  const dbFile = path.join(dir, "threadline.db");
  const startThreadlineOn = () => startThreadline(PROJECT_DIR, { dbFile });
  let threadline: RunningProcess | undefined = await startThreadlineOn();
  let reference: RunningProcess | undefined;
  try {
    reference = await startLangGraphDev();
    // One after the other: the machine has two cores, and each server's timing should be its own.
    const ours = await measure("threadline serve", threadline);
    // Cold in every sense: a new process (nothing compiled, nothing cached) on the same database.
    const fresh: number[] = [];
    for (let i = 0; i < FRESH_STARTS; i++) {
      await threadline.stop();
      threadline = await startThreadlineOn();
      fresh.push((await historyOnce(threadline, ours.threadId, "threadline serve")).ms);
    }
    const freshMs = median(fresh);
    await threadline.stop();
    threadline = undefined;
    const theirs = await measure("langgraph dev", reference);
    const ratio = theirs.medianMs / ours.medianMs;
    const coldRatio = theirs.coldMs / ours.coldMs;
    const afterRunRatio = theirs.afterRunMs / ours.afterRunMs;
    const freshRatio = theirs.coldMs / freshMs;
    const table = renderTable(
      ["server", "first ms", "after a run ms", "median ms", "min ms", "checkpoints", "messages", "response", "run to build it ms"],
      [ours, theirs].map((m) => [
        m.server,
        formatMs(m.coldMs),
        formatMs(m.afterRunMs),
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
      `threadline serve restarted on the same database, its first request (median of ${FRESH_STARTS} restarts): ${formatMs(freshMs)} ms`,
      "",
      `langgraph dev / threadline: repeated (medians) ${formatRatio(ratio)}; after a run ${formatRatio(afterRunRatio)};` +
        ` first request ${formatRatio(coldRatio)}; threadline's first request on a restarted server vs langgraph dev's first ${formatRatio(freshRatio)}`,
      "(first: the first request after the 200-loop run that wrote the thread, with nothing cached. after a run: the",
      ` median of the first requests after each of ${LATER_RUNS} short runs on the same thread, as a useStream app reads`,
      " history after every run. Threadline keeps each state's JSON with its checkpoint's revision, which changes only",
      " when something is stored for that checkpoint again, so a page after a run builds only the run's new checkpoints.)",
    ].join("\n");
    return {
      report,
      json: { loops: LOOPS, limit: HISTORY_LIMIT, threadline: ours, langgraphDev: theirs, ratio, coldRatio, afterRunRatio, fresh, freshMs, freshRatio },
      // The four targets, one per kind of request; each label says what a cache serves.
      targets: [
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, first request on a freshly started server (nothing cached; median of ${FRESH_STARTS} restarts): >= ${TARGET_RATIO}x faster than langgraph dev's first`,
          pass: freshRatio >= TARGET_RATIO,
          detail: `${formatMs(freshMs)} ms vs ${formatMs(theirs.coldMs)} ms, ${formatRatio(freshRatio)}`,
        },
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, first request right after the run (nothing cached): >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: coldRatio >= TARGET_RATIO,
          detail: `${formatMs(ours.coldMs)} ms vs ${formatMs(theirs.coldMs)} ms, ${formatRatio(coldRatio)}`,
        },
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, repeated requests (served from the history cache): >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: ratio >= TARGET_RATIO,
          detail: `median ${formatMs(ours.medianMs)} ms vs ${formatMs(theirs.medianMs)} ms, ${formatRatio(ratio)}`,
        },
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops, first request after each later run (older states from the cache, the run's new ones built; median of ${LATER_RUNS}): >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: afterRunRatio >= TARGET_RATIO,
          detail: `${formatMs(ours.afterRunMs)} ms vs ${formatMs(theirs.afterRunMs)} ms, ${formatRatio(afterRunRatio)}`,
        },
      ],
    };
  } finally {
    await Promise.all([threadline?.stop(), reference?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
