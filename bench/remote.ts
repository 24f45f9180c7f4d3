/**
 * The remote source (issue 17) on a thread of 200 agent/tool loops: opening its timeline (the
 * first page of 200 rows, what the UI asks for when a thread is opened) through the remote source
 * and the contract, against the same server's own getHistory for the same page through the SDK,
 * measured in turns in the same run. Counted too: the requests the source sent to the server to
 * open the timeline, to select rows of that page and diff two of them, and to read the whole
 * history. Run against `langgraph dev` and against `threadline serve` on the same project.
 * Targets: timeline ready in less than 2x the server's own getHistory for the same page; one request
 * to open it, none to select or diff rows of the page, none per checkpoint.
 */
import { Client } from "@langchain/langgraph-sdk";
import { Inspector } from "../src/core/inspector";
import { RemoteSource } from "../src/core/sources/remote/remote-source";
import type { HistoryPage } from "../src/shared/types";
import { startLangGraphDev, startThreadline, type RunningProcess } from "../test/langgraph-compat/servers";
import { formatMs, formatRatio, median, renderTable } from "./format";
import { collectGarbage, writeAgentThread } from "./support";
import type { BenchResult, TargetResult } from "./types";

export const name = "remote";

const LOOPS = 200;
/** The timeline's first page (src/renderer/src/stores/timeline.ts FIRST_PAGE). */
const PAGE = 200;
const WARMUP = 1;
const SAMPLES = 5;
const TARGET_RATIO = 2;

interface Measured {
  server: string;
  checkpoints: number;
  ownMs: number;
  timelineMs: number;
  ratio: number;
  openRequests: number;
  selectRequests: number;
  allRequests: number;
  allPages: number;
}

async function measure(label: string, server: RunningProcess): Promise<Measured> {
  const apiKey = label === "langgraph dev" ? null : server.apiKey;
  const sdk = new Client({ apiUrl: server.url, apiKey, callerOptions: { maxRetries: 0 } });
  const { threadId } = await writeAgentThread(sdk, LOOPS);
  const source = await RemoteSource.connect(server.url, apiKey);
  const inspector = new Inspector(source);
  // What the page receives: the contract's answer as the transport writes it.
  const openTimeline = async () => {
    const page = (await inspector.call("history.page", { threadId, limit: PAGE })) as HistoryPage;
    JSON.stringify(page);
    return page;
  };
  const own = async () => (await sdk.threads.getHistory(threadId, { limit: PAGE })).length;

  const ownTimes: number[] = [];
  const ourTimes: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    // In turns, the order swapped each round, so that neither side always goes first.
    const steps: [number[], () => Promise<unknown>][] = [
      [ownTimes, own],
      [ourTimes, openTimeline],
    ];
    if (i % 2 === 1) steps.reverse();
    for (const [times, step] of steps) {
      collectGarbage();
      const start = performance.now();
      await step();
      const elapsed = performance.now() - start;
      if (i >= WARMUP) times.push(elapsed);
    }
  }

  let before = source.connection.requests;
  const page = await openTimeline();
  const openRequests = source.connection.requests - before;
  if (page.items.length !== PAGE) throw new Error(`${label}: the timeline's first page has ${page.items.length} rows`);
  if (!page.items.some((i) => i.nodes.includes("tools"))) throw new Error(`${label}: the rows do not name their nodes`);

  // Selecting rows of the page and diffing two of them: what the user does next.
  before = source.connection.requests;
  for (const item of page.items.slice(0, 20)) await inspector.call("state.get", { threadId, checkpointId: item.checkpointId });
  await inspector.call("diff.get", { threadId, from: page.items[150]!.checkpointId, to: page.items[0]!.checkpointId });
  const selectRequests = source.connection.requests - before;

  // The whole history, page after page as the timeline's End key loads it.
  before = source.connection.requests;
  let checkpoints = page.items.length;
  let pages = 1;
  for (let next = page.nextBefore; next; pages++) {
    const more = (await inspector.call("history.page", { threadId, limit: 1000, before: next })) as HistoryPage;
    checkpoints += more.items.length;
    next = more.nextBefore;
  }
  const allRequests = source.connection.requests - before;
  await inspector.close();
  const ownMs = median(ownTimes);
  const timelineMs = median(ourTimes);
  return { server: label, checkpoints, ownMs, timelineMs, ratio: timelineMs / ownMs, openRequests, selectRequests, allRequests, allPages: pages - 1 };
}

export async function run(): Promise<BenchResult> {
  const results: Measured[] = [];
  // One server at a time: the machine is shared, and each server's timing should be its own.
  for (const [label, start] of [
    ["langgraph dev", startLangGraphDev],
    ["threadline serve", () => startThreadline()],
  ] as const) {
    const server = await start();
    try {
      results.push(await measure(label, server));
    } finally {
      await server.stop();
    }
  }
  const table = renderTable(
    ["server", "checkpoints", "own getHistory ms", "timeline ready ms", "ratio", "requests: open", "select 20 + diff", "rest of history"],
    results.map((m) => [
      m.server,
      String(m.checkpoints),
      formatMs(m.ownMs),
      formatMs(m.timelineMs),
      formatRatio(m.ratio),
      String(m.openRequests),
      String(m.selectRequests),
      `${m.allRequests} for ${m.allPages} page(s)`,
    ]),
  );
  const report = [
    `Remote source, a thread of ${LOOPS} agent/tool loops: the timeline's first page (${PAGE} rows) through the source and the`,
    `contract, against the server's own getHistory(limit ${PAGE}) through the SDK; medians of ${SAMPLES} in turns after ${WARMUP} warm-up.`,
    "",
    table,
  ].join("\n");
  const targets: TargetResult[] = results.flatMap((m) => [
    {
      target: `${m.server}: timeline of a ${LOOPS}-loop thread ready in < ${TARGET_RATIO}x the server's own getHistory for the same page`,
      pass: m.ratio < TARGET_RATIO,
      detail: `${formatMs(m.timelineMs)} ms vs ${formatMs(m.ownMs)} ms, ${formatRatio(m.ratio)}`,
    },
    {
      target: `${m.server}: no request per checkpoint (1 to open the timeline, 0 to select 20 rows and diff, 1 per page of the rest)`,
      pass: m.openRequests === 1 && m.selectRequests === 0 && m.allRequests === m.allPages,
      detail: `open ${m.openRequests}, select + diff ${m.selectRequests}, rest ${m.allRequests} for ${m.allPages} page(s) of ${m.checkpoints} checkpoints`,
    },
  ]);
  return { report, json: { loops: LOOPS, page: PAGE, results }, targets };
}
