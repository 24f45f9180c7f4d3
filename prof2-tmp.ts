import { SqliteCheckpointer } from "./src/core/storage/index";
import { Checkpoints } from "./src/core/threads/checkpoint-store";
import { checkpointSummaries } from "./src/core/storage/timeline";
const saver = new SqliteCheckpointer("/tmp/ui-exp/agent.sqlite");
const cps = new Checkpoints(saver as never);
const T = async (label: string, f: () => unknown) => { const t = performance.now(); const r = await f(); console.log(label, (performance.now() - t).toFixed(1)); return r; };
for (let i = 0; i < 2; i++) {
  await T("raw summaries 200", () => checkpointSummaries(saver.db, "long", { limit: 200 }));
  await T("raw summaries 10100", () => checkpointSummaries(saver.db, "long", { limit: 20000 }));
  await T("summaries 200", () => cps.summaries("long", { checkpointNs: "", limit: 200 }));
  await T("summaries 1000", () => cps.summaries("long", { checkpointNs: "", limit: 1000 }));
  await T("summaries all", () => cps.summaries("long", { checkpointNs: "", limit: 20000 }));
  const rows = checkpointSummaries(saver.db, "long", { limit: 200 });
  await T("interrupted 200", () => (cps as any).interruptedIds("long", rows));
  await T("changes 200", () => (cps as any).changesOf("long", rows));
  const head = await T("head tuple", () => saver.getTuple({ configurable: { thread_id: "long", checkpoint_ns: "" } }));
  const mid = rows[7]!;
  await T("tuple row7", () => saver.getTuple({ configurable: { thread_id: "long", checkpoint_ns: "", checkpoint_id: mid.checkpointId } }));
  await T("tree", () => cps.tree("long"));
}
