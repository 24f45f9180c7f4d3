/**
 * Issue 18: what checkpointing costs on top of LangGraph's own work. Each workload runs on a no-op
 * saver (put returns the config, nothing is stored) and on ours, interleaved in rotating order,
 * several times, with a forced GC before every run. Runs are judged by the CPU time of the process
 * (`process.cpuUsage`, user + system, all threads: SQLite's work included), which a loaded machine
 * disturbs far less than wall time; wall time is printed beside it.
 */
import { setMaxListeners } from "node:events";
import { join } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointTuple,
} from "@langchain/langgraph-checkpoint";
import { SqliteCheckpointer } from "../src/core/storage/index";
import { withTempDir } from "./checkpointer-harness";
import { WORKLOADS, type Workload } from "./checkpointer-workloads";
import { profileReport, profileRun, type Category } from "./checkpointer-profile";
import { formatMs, formatRatio, median, renderTable } from "./format";
import type { TargetResult } from "./types";

export const COST_REPEATS = 5;

// LangGraph adds an abort listener per parallel task; 20 Sends pass Node's default warning limit.
setMaxListeners(64);
export const COST_TARGET = 1.2;

/** The floor: LangGraph's own work with a checkpointer that stores nothing. */
export class NoopSaver extends BaseCheckpointSaver {
  async getTuple(): Promise<CheckpointTuple | undefined> {
    return undefined;
  }
  async *list(_config: RunnableConfig, _options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {}
  async put(config: RunnableConfig, checkpoint: Checkpoint): Promise<RunnableConfig> {
    return { configurable: { thread_id: config.configurable?.thread_id, checkpoint_ns: config.configurable?.checkpoint_ns ?? "", checkpoint_id: checkpoint.id } };
  }
  async putWrites(): Promise<void> {}
  async deleteThread(): Promise<void> {}
}

export interface CostSaver {
  key: "noop" | "ours";
  label: string;
  /** Opens a saver in `dir`, runs `fn` on it, closes it; only `fn` is measured. */
  with<T>(dir: string, fn: (saver: BaseCheckpointSaver) => Promise<T>): Promise<T>;
}

export const COST_SAVERS: CostSaver[] = [
  { key: "noop", label: "no-op saver", with: (_dir, fn) => fn(new NoopSaver()) },
  {
    key: "ours",
    label: "SqliteCheckpointer",
    async with(dir, fn) {
      const saver = new SqliteCheckpointer(join(dir, "ours.sqlite"));
      try {
        return await fn(saver);
      } finally {
        saver.close();
      }
    },
  },
];

interface Sample {
  cpuMs: number;
  wallMs: number;
}

export interface CostRow {
  workload: string;
  label: string;
  saver: string;
  cpuMs: number;
  /** (max - min) / median of the CPU samples. */
  cpuSpread: number;
  wallMs: number;
  wallSpread: number;
  samples: Sample[];
}

function gc(): void {
  global.gc!();
  global.gc!();
}

let runCounter = 0;

async function measureOnce(workload: Workload, saver: CostSaver): Promise<Sample> {
  return withTempDir(`threadline-cost-${saver.key}-`, (dir) =>
    saver.with(dir, async (opened) => {
      gc();
      const cpu = process.cpuUsage();
      const wall = performance.now();
      await workload.run(opened, `cost-${workload.key}-${runCounter++}`);
      // Rows a saver still holds for a later batch are written inside the measured window.
      (opened as { flushWrites?: () => void }).flushWrites?.();
      const wallMs = performance.now() - wall;
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000, wallMs };
    }),
  );
}

function spread(values: number[]): number {
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

/** Every workload on every saver, `repeats` rounds, saver order rotating each round; one warm-up round first. */
export async function measureCost(progress: (text: string) => void, repeats = COST_REPEATS): Promise<CostRow[]> {
  const samples = new Map<string, Sample[]>();
  for (let round = -1; round < repeats; round++) {
    for (const workload of WORKLOADS) {
      const shift = Math.max(round, 0) % COST_SAVERS.length;
      const order = [...COST_SAVERS.slice(shift), ...COST_SAVERS.slice(0, shift)];
      for (const saver of order) {
        progress(`cost: ${workload.key} on ${saver.key}, ${round < 0 ? "warm-up" : `run ${round + 1}/${repeats}`}`);
        const sample = await measureOnce(workload, saver);
        if (round < 0) continue;
        const key = `${workload.key}\0${saver.key}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      }
    }
  }
  return WORKLOADS.flatMap((workload) =>
    COST_SAVERS.map((saver): CostRow => {
      const runs = samples.get(`${workload.key}\0${saver.key}`)!;
      const cpu = runs.map((s) => s.cpuMs);
      const wall = runs.map((s) => s.wallMs);
      return {
        workload: workload.key,
        label: workload.label,
        saver: saver.key,
        cpuMs: median(cpu),
        cpuSpread: spread(cpu),
        wallMs: median(wall),
        wallSpread: spread(wall),
        samples: runs,
      };
    }),
  );
}

function rowOf(rows: CostRow[], workload: string, saver: string): CostRow {
  const row = rows.find((r) => r.workload === workload && r.saver === saver);
  if (!row) throw new Error(`no cost row for ${workload} on ${saver}`);
  return row;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function costReport(rows: CostRow[]): string {
  const table = renderTable(
    ["workload", "no-op CPU ms", "spread", "ours CPU ms", "spread", "CPU ours/no-op", "no-op wall ms", "ours wall ms", "wall ours/no-op"],
    WORKLOADS.map((w) => {
      const noop = rowOf(rows, w.key, "noop");
      const ours = rowOf(rows, w.key, "ours");
      return [
        w.label,
        formatMs(noop.cpuMs),
        pct(noop.cpuSpread),
        formatMs(ours.cpuMs),
        pct(ours.cpuSpread),
        formatRatio(ours.cpuMs / noop.cpuMs),
        formatMs(noop.wallMs),
        formatMs(ours.wallMs),
        formatRatio(ours.wallMs / noop.wallMs),
      ];
    }),
  );
  return [
    `Cost over a no-op saver: medians of ${rows[0]?.samples.length ?? 0} interleaved runs per saver after a warm-up round, GC before each run;`,
    `CPU = process.cpuUsage (user + system, all threads); spread = (max - min) / median.`,
    "",
    table,
  ].join("\n");
}

export function costTargets(rows: CostRow[]): TargetResult[] {
  return WORKLOADS.map((w) => {
    const noop = rowOf(rows, w.key, "noop");
    const ours = rowOf(rows, w.key, "ours");
    const ratio = ours.cpuMs / noop.cpuMs;
    return {
      target: `CPU time on ${w.label} <= ${COST_TARGET}x the no-op saver`,
      pass: ratio <= COST_TARGET,
      detail: `ours ${formatMs(ours.cpuMs)} ms (spread ${pct(ours.cpuSpread)}), no-op ${formatMs(noop.cpuMs)} ms (spread ${pct(noop.cpuSpread)}), ratio ${formatRatio(ratio)}`,
    };
  });
}

/** One profiled run of each workload on ours and on the no-op saver, side by side. */
export async function profileCost(progress: (text: string) => void): Promise<{ report: string; json: Record<string, Record<string, number>> }> {
  const profiles: { label: string; totals: Map<Category, number> }[] = [];
  for (const workload of WORKLOADS) {
    for (const saver of [...COST_SAVERS].reverse()) {
      progress(`profile: ${workload.key} on ${saver.key}`);
      const totals = await withTempDir(`threadline-profile-${saver.key}-`, (dir) =>
        saver.with(dir, (opened) => profileRun(workload, opened, `profile-${workload.key}-${runCounter++}`)),
      );
      profiles.push({ label: `${workload.key} ${saver.key}`, totals });
    }
  }
  return {
    report: profileReport("One profiled run per workload and saver (V8 CPU profile, shares scaled to the run's CPU time):", profiles),
    json: Object.fromEntries(profiles.map((p) => [p.label, Object.fromEntries(p.totals)])),
  };
}
