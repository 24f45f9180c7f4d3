/**
 * `npm run bench` runs every registered benchmark; `npm run bench -- NAME...` runs the named ones.
 * A failed target is a finding, not a crash: the exit code is 0 unless a benchmark throws.
 */
import * as checkpointer from "./checkpointer";
import * as langgraphApi from "./langgraph-api";
import * as remote from "./remote";
import * as runMemory from "./run-memory";
import * as schemas from "./schemas";
import * as stores from "./stores";
import * as uiTimeline from "./ui-timeline";
import type { BenchModule, TargetResult } from "./types";

const modules: BenchModule[] = [checkpointer, uiTimeline, langgraphApi, runMemory, stores, remote, schemas];

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

function targetLine(t: TargetResult): string {
  return t.pass
    ? `${paint("32", "PASS")}  ${t.target}  (${t.detail})`
    : paint("1;31", `FAIL  >>> ${t.target}  (${t.detail}) <<<`);
}

function select(names: string[]): BenchModule[] {
  if (names.length === 0) return modules;
  const unknown = names.filter((n) => !modules.some((m) => m.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${modules.map((m) => m.name).join(", ")}`);
    process.exit(2);
  }
  return modules.filter((m) => names.includes(m.name));
}

async function main(): Promise<void> {
  if (typeof global.gc !== "function") {
    console.error("run with node --expose-gc (npm run bench does)");
    process.exit(2);
  }
  const failures: string[] = [];
  for (const mod of select(process.argv.slice(2))) {
    console.log(`\n=== bench: ${mod.name} ===\n`);
    const result = await mod.run();
    console.log(result.report);
    console.log(`\nBENCH_JSON ${JSON.stringify({ bench: mod.name, ...result.json, targets: result.targets })}\n`);
    for (const t of result.targets) {
      console.log(targetLine(t));
      if (!t.pass) failures.push(`${mod.name}: ${t.target}`);
    }
  }
  console.log(
    failures.length === 0
      ? `\n${paint("32", "all targets PASS")}`
      : `\n${paint("1;31", `${failures.length} target(s) FAIL:`)}\n${failures.map((f) => paint("31", `  - ${f}`)).join("\n")}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
