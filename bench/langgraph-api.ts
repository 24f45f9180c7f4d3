/**
 * LangGraph's REST API: `getHistory` with limit 50 on a thread of 200
 * agent/tool loops, through the official SDK client, against `threadline
 * serve` and against `langgraph dev` on the same project and machine.
 * Target (issue 7): Threadline at least 10 times faster.
 */
import { Client } from "@langchain/langgraph-sdk";
import { startLangGraphDev, startThreadline, type RunningProcess } from "../test/langgraph-compat/servers";
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
    checkpoints: all.length,
    messages,
    coldMs,
    medianMs: times[Math.floor(times.length / 2)]!,
    minMs: times[0]!,
    bytes,
    buildMs,
  };
}

export async function run(): Promise<BenchResult> {
  const threadline = await startThreadline();
  let reference: RunningProcess | undefined;
  try {
    reference = await startLangGraphDev();
    // One after the other: the machine has two cores, and each server's timing should be its own.
    const ours = await measure("threadline serve", threadline);
    const theirs = await measure("langgraph dev", reference);
    const ratio = theirs.medianMs / ours.medianMs;
    const coldRatio = theirs.coldMs / ours.coldMs;
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
      `langgraph dev / threadline (medians): ${formatRatio(ratio)}; first request: ${formatRatio(coldRatio)}`,
      "(Threadline answers a repeated page from its history cache: checkpoints never change, and the cache forgets a",
      " thread whenever it is written. The first request reads and builds every state.)",
    ].join("\n");
    return {
      report,
      json: { loops: LOOPS, limit: HISTORY_LIMIT, threadline: ours, langgraphDev: theirs, ratio, coldRatio },
      targets: [
        {
          target: `getHistory limit ${HISTORY_LIMIT}, ${LOOPS} loops: >= ${TARGET_RATIO}x faster than langgraph dev`,
          pass: ratio >= TARGET_RATIO,
          detail: `median ${formatMs(ours.medianMs)} ms vs ${formatMs(theirs.medianMs)} ms, ${formatRatio(ratio)}; first request ${formatRatio(coldRatio)}`,
        },
      ],
    };
  } finally {
    await Promise.all([threadline.stop(), reference?.stop()]);
  }
}
