import { type CheckpointTuple, emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { checkpointTree, getThreadIndex, listThreadIndex, SqliteCheckpointer } from "./index";
import { type Parent, type Put, collect, putStep, tempDir, threadRoot } from "./test-helpers";
import { checkpointRevisions } from "./revisions";

const root = threadRoot;

describe("SqliteCheckpointer", () => {
  let saver: SqliteCheckpointer;
  beforeEach(() => {
    saver = new SqliteCheckpointer(":memory:");
  });
  afterEach(() => saver.close());

  it("keeps the values of two branches forked from one checkpoint apart", async () => {
    const base = await putStep(saver, root("t"), { changes: { messages: ["hi"], count: 1 } });
    const left = await putStep(saver, base, { changes: { messages: ["hi", "left"], count: 2 } });
    const right = await putStep(saver, base, { changes: { messages: ["hi", "right"], count: 20 } });

    // Both branches bumped the same counter from the same version; the versions still differ.
    expect(left.checkpoint.channel_versions.messages).not.toEqual(right.checkpoint.channel_versions.messages);
    expect((await saver.getTuple(left.config))?.checkpoint.channel_values).toEqual({ messages: ["hi", "left"], count: 2 });
    expect((await saver.getTuple(right.config))?.checkpoint.channel_values).toEqual({ messages: ["hi", "right"], count: 20 });
    expect((await saver.getTuple(base.config))?.checkpoint.channel_values).toEqual({ messages: ["hi"], count: 1 });
  });

  it("makes versions that sort as strings in counter order", () => {
    let version = saver.getNextVersion(undefined) as unknown as string;
    for (let i = 0; i < 12; i++) {
      const next = saver.getNextVersion(version as unknown as number) as unknown as string;
      expect(next > version).toBe(true);
      expect(next.length).toBe(version.length);
      version = next;
    }
    expect(saver.getNextVersion(41)).toMatch(/^0{30}42\.\d{16}$/);
  });

  it("writes only the channels named in newVersions", async () => {
    const first = await putStep(saver, root("t"), { changes: { messages: ["a"], count: 1 } });
    await putStep(saver, first, { changes: { count: 2 } });
    saver.flushWrites();
    const rows = saver.db.prepare("SELECT channel, count(*) AS n FROM tl_blobs GROUP BY channel ORDER BY channel").all();
    expect(rows).toEqual([
      { channel: "count", n: 2 },
      { channel: "messages", n: 1 },
    ]);
  });

  it("returns pending writes in writesSortKey order and keeps the task path", async () => {
    const { config } = await putStep(saver, root("t"), { changes: { count: 1 } });
    // Task ids sort the other way round from their paths: the path must win.
    await saver.putWrites(config, [["count", 1]], "task-b", "~0001");
    await saver.putWrites(config, [["count", 2], ["other", 3]], "task-a", "~0002");
    await saver.putWrites(config, [["count", 0]], "task-z");
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites).toEqual([
      ["task-z", "count", 0],
      ["task-b", "count", 1],
      ["task-a", "count", 2],
      ["task-a", "other", 3],
    ]);
    const paths = saver.db.prepare("SELECT task_id, task_path FROM tl_writes ORDER BY task_id, idx").all();
    expect(paths).toEqual([
      { task_id: "task-a", task_path: "~0002" },
      { task_id: "task-a", task_path: "~0002" },
      { task_id: "task-b", task_path: "~0001" },
      { task_id: "task-z", task_path: "" },
    ]);
  });

  it("lets puts run while a list is half read", async () => {
    let parent: Parent = root("t");
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      parent = await putStep(saver, parent, { changes: { count: i } });
      ids.unshift(parent.config.configurable!.checkpoint_id as string);
    }
    const listing = saver.list({ configurable: { thread_id: "t" } });
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { value } = await listing.next();
      seen.push(value!.checkpoint.id);
    }
    // With an iterator held open across the yield, better-sqlite3 would refuse these writes.
    for (let i = 0; i < 5; i++) parent = await putStep(saver, parent, { changes: { count: 1000 + i } });
    await saver.putWrites(parent.config, [["count", 1]], "task");
    await saver.deleteThread("someone-else");
    for await (const tuple of { [Symbol.asyncIterator]: () => listing }) seen.push(tuple.checkpoint.id);
    expect(seen).toEqual(ids);
  });

  it("filters list by metadata across pages and honours limit and before", async () => {
    let parent: Parent = root("t");
    const inputs: string[] = [];
    for (let i = 0; i < 130; i++) {
      const source = i % 10 === 0 ? "input" : "loop";
      parent = await putStep(saver, parent, { changes: { count: i }, source });
      if (source === "input") inputs.unshift(parent.config.configurable!.checkpoint_id as string);
    }
    const config = { configurable: { thread_id: "t" } };
    const all = await collect(saver.list(config, { filter: { source: "input" } }));
    expect(all.map((t) => t.checkpoint.id)).toEqual(inputs);
    const limited = await collect(saver.list(config, { filter: { source: "input" }, limit: 3 }));
    expect(limited.map((t) => t.checkpoint.id)).toEqual(inputs.slice(0, 3));
    const before = await collect(saver.list(config, { before: { configurable: { checkpoint_id: inputs[5] } }, filter: { source: "input" } }));
    expect(before.map((t) => t.checkpoint.id)).toEqual(inputs.slice(6));
    expect(await collect(saver.list(config, { limit: 0 }))).toEqual([]);
  });

  it("pages a list across threads and namespaces whose checkpoint ids tie", async () => {
    const ids = Array.from({ length: 30 }, () => uuid6(-1));
    const places = [
      ["a", ""],
      ["b", ""],
      ["b", "child:1"],
    ] as const;
    for (const [thread, ns] of places) {
      let config = threadRoot(thread, ns).config;
      for (const id of ids) {
        config = await saver.put(config, { ...emptyCheckpoint(), id }, { source: "loop", step: 0, parents: {} }, {});
      }
    }
    const keys = (tuples: CheckpointTuple[]) => tuples.map((t) => `${t.config.configurable!.thread_id}|${t.config.configurable!.checkpoint_ns}|${t.checkpoint.id}`);
    const everything = keys(await collect(saver.list({})));
    expect(everything).toHaveLength(90);
    expect(new Set(everything).size).toBe(90);
    expect(everything.map((key) => key.split("|")[2])).toEqual([...ids].reverse().flatMap((id) => [id, id, id]));
    const threadB = keys(await collect(saver.list({ configurable: { thread_id: "b" } })));
    expect(threadB).toHaveLength(60);
    expect(new Set(threadB).size).toBe(60);
    const children = keys(await collect(saver.list({ configurable: { checkpoint_ns: "child:1" } })));
    expect(children).toEqual([...ids].reverse().map((id) => `b|child:1|${id}`));
  });

  it("keeps the thread index up to date in put", async () => {
    expect(getThreadIndex(saver.db, "t")).toBeUndefined();
    const first = await putStep(saver, root("t"), { changes: { count: 1 } });
    const created = getThreadIndex(saver.db, "t")!;
    expect(created).toMatchObject({ threadId: "t", headCheckpointId: first.config.configurable!.checkpoint_id, checkpointCount: 1 });

    // A subgraph checkpoint counts but does not become the head of a thread that has a root one.
    const sub = { config: { configurable: { thread_id: "t", checkpoint_ns: "child:1" } } };
    await putStep(saver, sub, { changes: { count: 1 } });
    const second = await putStep(saver, first, { changes: { count: 2 } });
    // Putting an existing checkpoint again does not count it twice, and rewrites its row (a new
    // revision, which cached readers of revisions.ts rely on).
    const secondId = second.config.configurable!.checkpoint_id as string;
    const before = checkpointRevisions(saver.db, "t", "", [secondId]).get(secondId);
    await saver.put(first.config, second.checkpoint, { source: "loop", step: 1, parents: {} }, {});
    expect(checkpointRevisions(saver.db, "t", "", [secondId]).get(secondId)).not.toBe(before);
    const row = getThreadIndex(saver.db, "t")!;
    expect(row.headCheckpointId).toBe(second.config.configurable!.checkpoint_id);
    expect(row.checkpointCount).toBe(3);
    expect(row.createdAt).toBe(created.createdAt);
    expect(row.updatedAt >= created.updatedAt).toBe(true);

    const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
    await tick();
    await putStep(saver, root("other"), { changes: { count: 1 } });
    await tick();
    await putStep(saver, root("t-2"), { changes: { count: 1 } });
    expect(listThreadIndex(saver.db).map((t) => t.threadId)).toEqual(["t-2", "other", "t"]);
    expect(listThreadIndex(saver.db, { idPrefix: "t" }).map((t) => t.threadId)).toEqual(["t-2", "t"]);
    expect(listThreadIndex(saver.db, { limit: 1, offset: 1 }).map((t) => t.threadId)).toEqual(["other"]);
  });

  it("refuses a value LangGraph's serializer cannot write, instead of storing its placeholder", async () => {
    const first = await putStep(saver, root("t"), { changes: { messages: ["kept"] } });
    await expect(putStep(saver, first, { changes: { messages: ["kept", { n: 10n }] } })).rejects.toThrow(/channel "messages".*BigInt/);
    await expect(saver.putWrites(first.config, [["count", 10n]], "task")).rejects.toThrow(/a write to channel "count"/);
    // Nothing of either was stored; the string the serializer uses as its placeholder is still a value like any other.
    expect((await collect(saver.list({ configurable: { thread_id: "t" } }))).map((t) => t.checkpoint.channel_values.messages)).toEqual([["kept"]]);
    expect((await saver.getTuple(first.config))?.pendingWrites).toEqual([]);
    const text = "[unable to serialize, circular reference is too complex to analyze]";
    const stored = await putStep(saver, first, { changes: { messages: text } });
    expect((await saver.getTuple(stored.config))?.checkpoint.channel_values.messages).toBe(text);
  });

  it("rejects puts and writes without the ids they need", async () => {
    await expect(saver.put({ configurable: {} }, emptyCheckpoint(), { source: "input", step: -1, parents: {} }, {})).rejects.toThrow(/thread_id/);
    await expect(saver.putWrites({ configurable: { thread_id: "t" } }, [["a", 1]], "task")).rejects.toThrow(/checkpoint_id/);
    expect(await saver.getTuple({ configurable: { thread_id: "t", checkpoint_id: uuid6(-1) } })).toBeUndefined();
  });

  it("returns everything after the file is closed and reopened", async () => {
    const tmp = tempDir();
    try {
      const file = tmp.file("reopen.sqlite");
      const writer = new SqliteCheckpointer(file);
      let parent: Put | undefined;
      const expected = new Map<string, CheckpointTuple>();
      const chain: Awaited<ReturnType<typeof putStep>>[] = [];
      for (let i = 0; i < 40; i++) {
        const messages = Array.from({ length: i + 1 }, (_, k) => ({ id: k, text: `message ${k}` }));
        parent = await putStep(writer, parent ?? root("t"), { changes: { messages, count: i }, nodes: ["agent"] });
        chain.push(parent);
        await writer.putWrites(parent.config, [["messages", [{ id: i + 1 }]]], `task-${i}`, `~${i}`);
        expected.set(parent.checkpoint.id, (await writer.getTuple(parent.config))!);
      }
      const fork = await putStep(writer, chain[10]!, { changes: { count: -1 }, source: "update" });
      expected.set(fork.checkpoint.id, (await writer.getTuple(fork.config))!);
      const summaries = checkpointTree(writer.db, "t");
      writer.close();

      const reader = new SqliteCheckpointer(file);
      try {
        const listed = await collect(reader.list({ configurable: { thread_id: "t" } }));
        expect(listed).toHaveLength(expected.size);
        for (const tuple of listed) expect(tuple).toEqual(expected.get(tuple.checkpoint.id));
        expect(checkpointTree(reader.db, "t")).toEqual(summaries);
        expect(getThreadIndex(reader.db, "t")?.checkpointCount).toBe(41);
        // The reopened saver has no cache of the last put: appending goes on from the stored rows.
        const latest = listed.find((t) => t.checkpoint.id === parent!.checkpoint.id)!;
        const next = await putStep(reader, { config: latest.config, checkpoint: latest.checkpoint }, { changes: { messages: [...(latest.checkpoint.channel_values.messages as unknown[]), { id: 99 }] } });
        expect(((await reader.getTuple(next.config))?.checkpoint.channel_values.messages as unknown[]).at(-1)).toEqual({ id: 99 });
      } finally {
        reader.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it("leaves a database passed in open on close", async () => {
    const other = new SqliteCheckpointer(saver.db);
    await putStep(other, root("shared"), { changes: { count: 1 } });
    other.close();
    expect(saver.db.open).toBe(true);
    expect(getThreadIndex(saver.db, "shared")?.checkpointCount).toBe(1);
  });
});
