/**
 * Issue 3's checkpointer benchmark: Threadline's SqliteCheckpointer against LangGraph's MemorySaver and
 * the official SqliteSaver, on an agent loop whose message list grows by 1 KB per step; then issue
 * 18's cost over a no-op saver on five workloads (checkpointer-cost.ts).
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { MemorySaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { checkpointSummaries, SqliteCheckpointer } from "../src/core/storage/index";
import { costReport, costTargets, measureCost, profileCost } from "./checkpointer-cost";
import {
  HISTORY_PAGE,
  MESSAGE_BYTES,
  type Measurement,
  type SaverSpec,
  measureAgentRun,
  medianMeasurement,
  withTempDir,
  writeLongThread,
} from "./checkpointer-harness";
import { formatBytes, formatMs, formatRatio, median, renderTable } from "./format";
import type { BenchResult, TargetResult } from "./types";

export const name = "checkpointer";

const STEPS = [300, 1000] as const;
const WARMUP_STEPS = 60;
/**
 * Each figure is the median of this many runs per size, in rotated saver order so that no saver
 * always goes first; single runs vary by up to 50% here (fsync latency, GC).
 */
const REPEATS: Record<number, number> = { 300: 5, 1000: 3 };
const LONG_THREAD_CHECKPOINTS = 10_000;
const SUMMARY_SAMPLES = 9;

const memory: SaverSpec = {
  key: "memory",
  label: "MemorySaver",
  open: () => ({ saver: new MemorySaver(), files: [], close() {} }),
};

const official: SaverSpec = {
  key: "official",
  label: "SqliteSaver (official)",
  open(dir) {
    const file = join(dir, "official.sqlite");
    const saver = SqliteSaver.fromConnString(file);
    return { saver, files: [file, `${file}-wal`], close: () => saver.db.close() };
  },
};

const ours: SaverSpec = {
  key: "ours",
  label: "SqliteCheckpointer (ours)",
  open(dir) {
    const file = join(dir, "ours.sqlite");
    const saver = new SqliteCheckpointer(file);
    return { saver, files: [file, `${file}-wal`], close: () => saver.close() };
  },
};

const SAVERS = [memory, official, ours];

type RatioKey = Exclude<keyof Measurement, "saver" | "steps">;
const RATIO_KEYS: RatioKey[] = [
  "checkpoints",
  "runMs",
  "msPerCheckpoint",
  "historyMs",
  "firstPageMs",
  "getStateMs",
  "bytes",
  "heapGrowth",
  "externalGrowth",
];

type Ratios = Partial<Record<RatioKey, number | null>>;

interface SummaryPageTiming {
  checkpoints: number;
  limit: number;
  buildMs: number;
  coldMs: number;
  medianMs: number;
  samples: number;
}

function pick(measurements: Measurement[], saver: string, steps: number): Measurement {
  const found = measurements.find((m) => m.saver === saver && m.steps === steps);
  if (!found) throw new Error(`no measurement of ${saver} at ${steps} steps`);
  return found;
}

function progress(text: string): void {
  process.stderr.write(`[bench checkpointer] ${text}\n`);
}

function ratiosOf(oursRun: Measurement, officialRun: Measurement): Ratios {
  const ratios: Ratios = {};
  for (const key of RATIO_KEYS) {
    const a = oursRun[key];
    const b = officialRun[key];
    ratios[key] = a === null || b === null || b === 0 ? null : a / b;
  }
  return ratios;
}

async function timeSummaryPage(): Promise<SummaryPageTiming> {
  return withTempDir("threadline-bench-summaries-", async (dir) => {
    const saver = new SqliteCheckpointer(join(dir, "long.sqlite"));
    try {
      const threadId = "bench-long-thread";
      const buildStart = performance.now();
      await writeLongThread(saver, threadId, LONG_THREAD_CHECKPOINTS);
      const buildMs = performance.now() - buildStart;

      const page = () => {
        const start = performance.now();
        const summaries = checkpointSummaries(saver.db, threadId, { limit: HISTORY_PAGE });
        const ms = performance.now() - start;
        if (summaries.length !== HISTORY_PAGE) throw new Error(`summary page has ${summaries.length} entries`);
        return ms;
      };
      const coldMs = page();
      const samples = Array.from({ length: SUMMARY_SAMPLES }, page);
      return {
        checkpoints: LONG_THREAD_CHECKPOINTS,
        limit: HISTORY_PAGE,
        buildMs,
        coldMs,
        medianMs: median(samples),
        samples: SUMMARY_SAMPLES,
      };
    } finally {
      saver.close();
    }
  });
}

function measurementRow(label: string, m: Measurement): string[] {
  return [
    label,
    String(m.steps),
    String(m.checkpoints),
    formatMs(m.runMs),
    formatMs(m.msPerCheckpoint),
    formatMs(m.historyMs),
    formatMs(m.firstPageMs),
    formatMs(m.getStateMs),
    m.bytes === null ? "n/a" : formatBytes(m.bytes),
    formatBytes(m.heapGrowth),
    formatBytes(m.externalGrowth),
  ];
}

function ratioRow(steps: number, r: Ratios): string[] {
  const cell = (key: RatioKey) => formatRatio(r[key] ?? null);
  return [
    "  ours / official",
    String(steps),
    cell("checkpoints"),
    cell("runMs"),
    cell("msPerCheckpoint"),
    cell("historyMs"),
    cell("firstPageMs"),
    cell("getStateMs"),
    cell("bytes"),
    cell("heapGrowth"),
    cell("externalGrowth"),
  ];
}

function report(measurements: Measurement[], ratios: Map<number, Ratios>, summary: SummaryPageTiming): string {
  const header = [
    "saver",
    "steps",
    "ckpts",
    "run ms",
    "ms/ckpt",
    "history ms",
    `page${HISTORY_PAGE} ms`,
    "getState ms",
    "db (file+wal)",
    "heap growth",
    "ext growth",
  ];
  const rows: string[][] = [];
  for (const steps of STEPS) {
    for (const spec of SAVERS) rows.push(measurementRow(spec.label, pick(measurements, spec.key, steps)));
    rows.push(ratioRow(steps, ratios.get(steps)!));
  }
  const summaryTable = renderTable(
    ["listCheckpointSummaries (ours)", "checkpoints", "limit", "median ms", "cold ms", "build ms"],
    [
      [
        `page of ${summary.limit}, median of ${summary.samples}`,
        String(summary.checkpoints),
        String(summary.limit),
        formatMs(summary.medianMs),
        formatMs(summary.coldMs),
        formatMs(summary.buildMs),
      ],
    ],
  );
  return [
    `Agent loop: +1 message of ${MESSAGE_BYTES} B per step; medians of ${STEPS.map((s) => `${REPEATS[s]} runs at ${s}`).join(", ")}; history = graph.getStateHistory;`,
    `heap/ext growth = peak above post-GC baseline while walking the full history.`,
    "",
    renderTable(header, rows),
    "",
    summaryTable,
  ].join("\n");
}

function noSlower(what: string, key: RatioKey, steps: number, o: Measurement, off: Measurement): TargetResult {
  const a = o[key] as number;
  const b = off[key] as number;
  return {
    target: `${what} at ${steps} steps no slower than official`,
    pass: a <= b,
    detail: `ours ${formatMs(a)} ms, official ${formatMs(b)} ms, ratio ${formatRatio(a / b)}`,
  };
}

function targets(measurements: Measurement[], summary: SummaryPageTiming): TargetResult[] {
  const get = (saver: string, steps: number) => pick(measurements, saver, steps);
  const [small, large] = STEPS;
  const ours300 = get("ours", small);
  const ours1000 = get("ours", large);
  const official1000 = get("official", large);
  const results: TargetResult[] = [];

  const oursBytes = ours1000.bytes!;
  const officialBytes = official1000.bytes!;
  results.push({
    target: `db bytes at ${large} steps <= 0.01x official`,
    pass: oursBytes <= 0.01 * officialBytes,
    detail: `ours ${formatBytes(oursBytes)}, official ${formatBytes(officialBytes)}, ratio ${formatRatio(oursBytes / officialBytes)} (1/${(officialBytes / oursBytes).toFixed(0)})`,
  });
  const growth = oursBytes / ours300.bytes!;
  results.push({
    target: `db bytes ${large}/${small} steps <= 4`,
    pass: growth <= 4,
    detail: `ours ${formatBytes(ours300.bytes!)} -> ${formatBytes(oursBytes)}, ratio ${growth.toFixed(2)}`,
  });
  for (const steps of STEPS) {
    const o = get("ours", steps);
    const off = get("official", steps);
    results.push(noSlower("run time", "runMs", steps, o, off));
    results.push(noSlower("full history", "historyMs", steps, o, off));
    results.push(noSlower("latest getState", "getStateMs", steps, o, off));
  }
  results.push({
    target: `summary page of ${summary.limit} on ${summary.checkpoints} checkpoints < 20 ms`,
    pass: summary.medianMs < 20,
    detail: `median ${formatMs(summary.medianMs)} ms, cold ${formatMs(summary.coldMs)} ms`,
  });
  results.push({
    target: `heap growth walking ${large}-step history <= official`,
    pass: ours1000.heapGrowth <= official1000.heapGrowth,
    detail: `ours ${formatBytes(ours1000.heapGrowth)}, official ${formatBytes(official1000.heapGrowth)}`,
  });
  return results;
}

/** One-minute load averages seen during the run; timings taken on a busy machine deserve a warning. */
function loadWarning(samples: number[]): string | null {
  const cores = availableParallelism();
  const peak = Math.max(...samples);
  // The benchmark itself keeps about one core busy (more during GC), hence the margin.
  return peak > cores * 1.5
    ? `WARNING: machine busy during the run (1-min load average up to ${peak.toFixed(1)} on ${cores} cores): timings are noisy.`
    : null;
}

export async function run(): Promise<BenchResult> {
  const loads = [loadavg()[0]!];
  // Without a warm-up the first saver measured would pay for JIT compilation of LangGraph itself.
  for (const spec of SAVERS) {
    progress(`warm-up ${spec.label}, ${WARMUP_STEPS} steps`);
    await measureAgentRun(spec, WARMUP_STEPS);
  }

  const runs: Measurement[] = [];
  for (const steps of STEPS) {
    const repeats = REPEATS[steps] ?? 3;
    for (let round = 0; round < repeats; round++) {
      const order = [...SAVERS.slice(round % SAVERS.length), ...SAVERS.slice(0, round % SAVERS.length)];
      for (const spec of order) {
        progress(`${spec.label}, ${steps} steps, run ${round + 1}/${repeats}`);
        runs.push(await measureAgentRun(spec, steps));
        loads.push(loadavg()[0]!);
      }
    }
  }
  const measurements = STEPS.flatMap((steps) =>
    SAVERS.map((spec) => medianMeasurement(runs.filter((m) => m.saver === spec.key && m.steps === steps))),
  );
  const ratios = new Map<number, Ratios>(
    STEPS.map((steps) => [steps, ratiosOf(pick(measurements, "ours", steps), pick(measurements, "official", steps))]),
  );

  progress(`${LONG_THREAD_CHECKPOINTS}-checkpoint thread, summary pages`);
  const summary = await timeSummaryPage();
  loads.push(loadavg()[0]!);

  const cost = await measureCost(progress);
  loads.push(loadavg()[0]!);
  const profile = await profileCost(progress);
  const warning = loadWarning(loads);

  return {
    report: [report(measurements, ratios, summary), "", costReport(cost), "", profile.report, ...(warning ? ["", warning] : [])].join("\n"),
    json: {
      node: process.version,
      messageBytes: MESSAGE_BYTES,
      historyPage: HISTORY_PAGE,
      savers: Object.fromEntries(SAVERS.map((s) => [s.key, s.label])),
      repeats: REPEATS,
      cores: availableParallelism(),
      loadAverages: loads,
      measurements,
      runs,
      oursOverOfficial: Object.fromEntries(ratios),
      summaryPage: summary,
      cost,
      profile: profile.json,
    },
    targets: [...targets(measurements, summary), ...costTargets(cost)],
  };
}
