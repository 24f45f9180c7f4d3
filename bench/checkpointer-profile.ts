/**
 * Where a run's time goes with our saver, from V8's CPU profiler (node:inspector): each sample's
 * self time is put in the category of its innermost frame that tells (see `categoryOf`), so that a
 * native call (JSON.stringify, a statement's `run`) counts for whoever it serves.
 */
import { Session } from "node:inspector/promises";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Workload } from "./checkpointer-workloads";
import { formatMs, renderTable } from "./format";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const CATEGORIES = [
  "SQLite (better-sqlite3)",
  "serialization (JSON, serde)",
  "compression (zlib)",
  "delta detection, versions (storage/delta.ts)",
  "rest of our checkpointer",
  "LangGraph itself",
  "garbage collector",
  "other (Node, tsx, idle)",
] as const;
export type Category = (typeof CATEGORIES)[number];

const SQLITE_NATIVE = new Set(["run", "get", "all", "iterate", "exec", "prepare", "transaction", "immediate", "deferred", "exclusive", "pragma"]);
const JSON_NATIVE = new Set(["stringify", "parse", "encode", "decode", "encodeInto", "toString"]);

/** A frame's own category, or undefined for a frame that only inherits its caller's (natives, anonymous). */
function categoryOf(frame: ProfileNode["callFrame"]): Category | undefined {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collector";
  if (url.includes("better-sqlite3")) return "SQLite (better-sqlite3)";
  if (url.includes("node:zlib") || url.includes("zlib")) return "compression (zlib)";
  if (url.includes("fast-safe-stringify") || url.includes("serde/jsonplus") || url.includes("fast-revive") || url.includes("storage/serialize")) {
    return "serialization (JSON, serde)";
  }
  if (url === "" && JSON_NATIVE.has(functionName)) return "serialization (JSON, serde)";
  if (url.includes("storage/delta") || url.includes("storage/versions")) return "delta detection, versions (storage/delta.ts)";
  if (url.includes("src/core/storage")) return "rest of our checkpointer";
  if (url.includes("@langchain")) return "LangGraph itself";
  return undefined;
}

function breakdown(profile: Profile): Map<Category, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const resolved = new Map<number, Category>();
  const resolve = (id: number): Category => {
    const known = resolved.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const own = categoryOf(node.callFrame);
    const parent = parentOf.get(id);
    const inherited = parent === undefined ? "other (Node, tsx, idle)" : resolve(parent);
    // better-sqlite3's statements are native functions without a script: known by name and caller.
    const sqlite = node.callFrame.url === "" && SQLITE_NATIVE.has(node.callFrame.functionName) && inherited === "rest of our checkpointer";
    const category = own ?? (sqlite ? "SQLite (better-sqlite3)" : inherited);
    resolved.set(id, category);
    return category;
  };
  const totals = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
  profile.samples.forEach((id, i) => {
    const category = resolve(id);
    totals.set(category, totals.get(category)! + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/**
 * Profiles one run of `workload` on `saver`: CPU milliseconds per category. The profiler samples
 * wall time (a loaded machine stretches it), so the shares it gives are scaled to the run's CPU
 * time from process.cpuUsage.
 */
export async function profileRun(workload: Workload, saver: BaseCheckpointSaver, threadId: string): Promise<Map<Category, number>> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    const cpu = process.cpuUsage();
    await workload.run(saver, threadId);
    // Rows the saver still holds for a later batch are written inside the profiled window.
    (saver as { flushWrites?: () => void }).flushWrites?.();
    const used = process.cpuUsage(cpu);
    const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
    const totals = breakdown(profile);
    const sampled = [...totals.values()].reduce((a, b) => a + b, 0);
    const scale = sampled > 0 ? (used.user + used.system) / 1000 / sampled : 0;
    return new Map([...totals].map(([category, ms]) => [category, ms * scale]));
  } finally {
    session.disconnect();
  }
}

export function profileReport(title: string, profiles: { label: string; totals: Map<Category, number> }[]): string {
  const header = ["where the CPU time goes (ms)", ...profiles.map((p) => p.label)];
  const rows = CATEGORIES.map((category) => [category, ...profiles.map((p) => formatMs(p.totals.get(category) ?? 0))]);
  const total = ["total", ...profiles.map((p) => formatMs([...p.totals.values()].reduce((a, b) => a + b, 0)))];
  return [title, "", renderTable(header, [...rows, total])].join("\n");
}
