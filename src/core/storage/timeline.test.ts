import { checkpointSummaries, checkpointTree, SqliteCheckpointer } from "./index";
import { recordAsNode } from "./as-node";
import { OLDEST_SUMMARY_PAGE_SQL, SUMMARY_PAGE_SQL, TREE_SQL } from "./timeline";
import { type Parent, type Put, putStep, threadRoot } from "./test-helpers";

describe("timeline queries", () => {
  let saver: SqliteCheckpointer;
  beforeEach(() => {
    saver = new SqliteCheckpointer(":memory:");
  });
  afterEach(() => saver.close());

  async function linearThread(threadId: string, steps: number): Promise<Put[]> {
    const puts: Put[] = [];
    let parent: Parent = threadRoot(threadId);
    for (let i = 0; i < steps; i++) {
      const node = i === 0 ? "__input__" : i % 2 === 0 ? "agent" : "tools";
      parent = await putStep(saver, parent, { changes: { count: i }, nodes: [node], step: i - 1, source: i === 0 ? "input" : "loop" });
      puts.push(parent as Put);
    }
    return puts;
  }

  it("pages summaries newest first with a before cursor", async () => {
    const puts = await linearThread("t", 23);
    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = checkpointSummaries(saver.db, "t", { limit: 10, before });
      if (page.length === 0) break;
      pages.push(page.map((s) => s.checkpointId));
      before = page.at(-1)!.checkpointId;
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual(puts.map((p) => p.checkpoint.id).reverse());

    const [newest] = checkpointSummaries(saver.db, "t", { limit: 1 });
    expect(newest).toEqual({
      threadId: "t",
      checkpointNs: "",
      checkpointId: puts[22]!.checkpoint.id,
      parentCheckpointId: puts[21]!.checkpoint.id,
      step: 21,
      source: "loop",
      nodes: ["agent"],
      createdAt: puts[22]!.checkpoint.ts,
      appliedAs: [],
    });
    const oldest = checkpointSummaries(saver.db, "t").at(-1)!;
    expect(oldest).toMatchObject({ parentCheckpointId: null, step: -1, source: "input", nodes: ["__input__"] });
    expect(checkpointSummaries(saver.db, "t", { checkpointNs: "child:1" })).toEqual([]);
  });

  it("derives the producing nodes from versions_seen, several at once in a parallel step", async () => {
    const first = await putStep(saver, threadRoot("t"), { changes: { a: 1 }, nodes: ["__input__"] });
    const second = await putStep(saver, first, { changes: { a: 2, b: 1 }, nodes: ["left", "right"] });
    // A step in which versions_seen did not change (e.g. an update without a node) names nobody.
    await putStep(saver, second, { changes: { a: 3 }, source: "update" });
    const nodes = checkpointSummaries(saver.db, "t").map((s) => s.nodes);
    expect(nodes).toEqual([[], ["left", "right"], ["__input__"]]);
  });

  it("names what an update was applied as and what a fork copied, and forgets it with the checkpoint", async () => {
    const [input, agent] = await linearThread("t", 3);
    // LangGraph before 1.0 named the as-node in metadata.writes; 1.x names it nowhere (recordAsNode keeps it).
    const old = await putStep(saver, agent!, { changes: { count: 7 }, source: "update", writes: { tools: { count: 7 } } });
    const edit = await putStep(saver, agent!, { changes: { count: 8 }, source: "update" });
    recordAsNode(saver.db, "t", "", edit.checkpoint.id, "agent");
    const bare = await putStep(saver, agent!, { changes: { count: 9 }, source: "update" });
    const fork = await putStep(saver, agent!, { changes: {}, source: "fork" });
    const forkOfInput = await putStep(saver, input!, { changes: {}, source: "fork" });
    const appliedAs = (rows: { checkpointId: string; appliedAs: string[] }[]) => new Map(rows.map((r) => [r.checkpointId, r.appliedAs]));
    for (const rows of [appliedAs(checkpointSummaries(saver.db, "t")), appliedAs(checkpointTree(saver.db, "t"))]) {
      expect(rows.get(old.checkpoint.id)).toEqual(["tools"]);
      expect(rows.get(edit.checkpoint.id)).toEqual(["agent"]);
      expect(rows.get(bare.checkpoint.id)).toEqual([]);
      expect(rows.get(fork.checkpoint.id)).toEqual(["tools"]); // linearThread's step 1 ran "tools"
      expect(rows.get(forkOfInput.checkpoint.id)).toEqual(["__input__"]);
      expect(rows.get(agent!.checkpoint.id)).toEqual([]);
    }
    saver.deleteCheckpoints("t", [edit.checkpoint.id]);
    expect(saver.db.prepare("SELECT count(*) AS n FROM tl_as_node").get()).toEqual({ n: 1 });
    await saver.deleteThread("t");
    expect(saver.db.prepare("SELECT count(*) AS n FROM tl_as_node").get()).toEqual({ n: 0 });
  });

  it("returns the whole tree of a thread, parents before children, across namespaces and forks", async () => {
    const trunk = await linearThread("t", 6);
    const fork = await putStep(saver, trunk[2]!, { changes: { count: 99 }, source: "update", nodes: ["agent"] });
    const forkChild = await putStep(saver, fork, { changes: { count: 100 }, nodes: ["tools"] });
    const sub = await putStep(saver, threadRoot("t", "tools:abc"), { changes: { x: 1 } });
    await linearThread("other", 3);

    const tree = checkpointTree(saver.db, "t");
    expect(tree).toHaveLength(6 + 2 + 1);
    const position = new Map(tree.map((s, i) => [`${s.checkpointNs}|${s.checkpointId}`, i]));
    for (const summary of tree) {
      if (summary.parentCheckpointId === null) continue;
      expect(position.get(`${summary.checkpointNs}|${summary.parentCheckpointId}`)).toBeLessThan(position.get(`${summary.checkpointNs}|${summary.checkpointId}`)!);
    }
    expect(tree.find((s) => s.checkpointId === forkChild.checkpoint.id)?.parentCheckpointId).toBe(fork.checkpoint.id);
    expect(tree.find((s) => s.checkpointId === fork.checkpoint.id)?.parentCheckpointId).toBe(trunk[2]!.checkpoint.id);
    expect(tree.find((s) => s.checkpointId === sub.checkpoint.id)?.checkpointNs).toBe("tools:abc");
    expect(checkpointTree(saver.db, "nobody")).toEqual([]);
  });

  it("reads summary pages through the primary key, without sorting", () => {
    const plan = saver.db.prepare(`EXPLAIN QUERY PLAN ${SUMMARY_PAGE_SQL}`).all("t", "", "z", 50) as { detail: string }[];
    const details = plan.map((row) => row.detail).join("\n");
    expect(details).toMatch(/SEARCH c USING INDEX sqlite_autoindex_tl_checkpoints_1 \(thread_id=\? AND checkpoint_ns=\? AND checkpoint_id<\?\)/);
    // The as-node record and a fork's parent: one key lookup per row each.
    expect(details).toMatch(/SEARCH a USING PRIMARY KEY \(thread_id=\? AND checkpoint_ns=\? AND checkpoint_id=\?\) LEFT-JOIN/);
    expect(details).toMatch(/SEARCH p USING INDEX sqlite_autoindex_tl_checkpoints_1 \(thread_id=\? AND checkpoint_ns=\? AND checkpoint_id=\?\) LEFT-JOIN/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it("reads the oldest page up the primary key, without sorting", async () => {
    const puts = await linearThread("t", 7);
    expect(checkpointSummaries(saver.db, "t", { limit: 3, oldest: true }).map((s) => s.checkpointId)).toEqual(
      puts.slice(0, 3).map((p) => p.checkpoint.id).reverse(),
    );
    const plan = saver.db.prepare(`EXPLAIN QUERY PLAN ${OLDEST_SUMMARY_PAGE_SQL}`).all("t", "", 50) as { detail: string }[];
    const details = plan.map((row) => row.detail).join("\n");
    expect(details).toMatch(/SEARCH c USING INDEX sqlite_autoindex_tl_checkpoints_1 \(thread_id=\? AND checkpoint_ns=\?\)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it("reads the tree through the thread index, without sorting", () => {
    const plan = saver.db.prepare(`EXPLAIN QUERY PLAN ${TREE_SQL}`).all("t") as { detail: string }[];
    const details = plan.map((row) => row.detail).join("\n");
    expect(details).toMatch(/USING INDEX tl_checkpoints_by_thread \(thread_id=\?\)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it("lists threads from the thread index by most recent update", () => {
    const plan = saver.db.prepare("EXPLAIN QUERY PLAN SELECT * FROM tl_threads ORDER BY updated_at DESC, thread_id LIMIT 50").all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join("\n")).toMatch(/tl_threads_by_updated/);
  });
});
