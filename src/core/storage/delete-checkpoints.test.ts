// deleteCheckpoints: what a rolled-back run wrote goes, the head moves back, nothing else changes.
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { checkpointSummaries, checkpointTree, getThreadIndex, SqliteCheckpointer } from "./index";

const State = Annotation.Root({ log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
const graph = (saver: SqliteCheckpointer) =>
  new StateGraph(State).addNode("step", () => ({ log: ["x"] })).addEdge(START, "step").addEdge("step", END).compile({ checkpointer: saver });

it("deletes a run's checkpoints and their writes, and moves the head back", async () => {
  const saver = new SqliteCheckpointer(":memory:");
  const config = { configurable: { thread_id: "t" } };
  await graph(saver).invoke({ log: ["first"] }, config);
  const before = checkpointSummaries(saver.db, "t").map((s) => s.checkpointId);
  await graph(saver).invoke({ log: ["second"] }, config);
  const added = checkpointSummaries(saver.db, "t").map((s) => s.checkpointId).filter((id) => !before.includes(id));
  expect(added.length).toBeGreaterThan(0);

  saver.deleteCheckpoints("t", added);
  expect(checkpointSummaries(saver.db, "t").map((s) => s.checkpointId)).toEqual(before);
  expect(getThreadIndex(saver.db, "t")).toMatchObject({ headCheckpointId: before[0], checkpointCount: before.length });
  expect((await saver.getTuple(config))?.checkpoint.channel_values.log).toEqual(["first", "x"]);
  const orphans = saver.db.prepare("SELECT count(*) AS n FROM tl_writes WHERE thread_id = 't' AND checkpoint_id IN (SELECT value FROM json_each(?))").get(JSON.stringify(added)) as { n: number };
  expect(orphans.n).toBe(0);

  // The thread goes on from there, and deleting every checkpoint removes it from the index.
  await graph(saver).invoke({ log: ["third"] }, config);
  expect((await saver.getTuple(config))?.checkpoint.channel_values.log).toEqual(["first", "x", "third", "x"]);
  saver.deleteCheckpoints("t", checkpointTree(saver.db, "t").map((s) => s.checkpointId));
  expect(getThreadIndex(saver.db, "t")).toBeUndefined();
  saver.close();
});
