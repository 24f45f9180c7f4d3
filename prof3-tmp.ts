import { SqliteCheckpointer } from "./src/core/storage/index";
import { checkpointSummaries } from "./src/core/storage/timeline";
import { fromTuple } from "./src/core/threads/snapshot";
const saver = new SqliteCheckpointer("/tmp/ui-exp/agent.sqlite");
const T = async <R>(label: string, f: () => R | Promise<R>) => { const t = performance.now(); const r = await f(); console.log(label, (performance.now() - t).toFixed(1)); return r; };
const rows = checkpointSummaries(saver.db, "long", { limit: 200 });
for (let i = 3; i < 13; i += 2) {
  const id = rows[i]!.checkpointId;
  const tuple = await T("getTuple", () => saver.getTuple({ configurable: { thread_id: "long", checkpoint_ns: "", checkpoint_id: id } }));
  const snap = await T("fromTuple", () => fromTuple(tuple!));
  const json = await T("stringify", () => JSON.stringify(snap));
  await T("parse", () => JSON.parse(json));
}
