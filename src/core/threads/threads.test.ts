import { Command } from "@langchain/langgraph";
import { insertRun, newRunInfo, updateRun } from "../storage/runs-table";
import { human, openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

describe("threads", () => {
  it("creates with an id and metadata, gets, and refuses a taken id", async () => {
    const { client } = engine;
    const created = await client.threads.create({ threadId: "t-1", metadata: { user: "ada", tier: 2 } });
    expect(created).toMatchObject({ threadId: "t-1", metadata: { user: "ada", tier: 2 }, status: "idle", headCheckpointId: null });
    expect(await client.threads.get({ threadId: "t-1" })).toEqual(created);
    expect((await rejection(client.threads.create({ threadId: "t-1" }))).code).toBe("CONFLICT");
    expect(await client.threads.create({ threadId: "t-1", ifExists: "do_nothing" })).toEqual(created);
    const generated = await client.threads.create();
    expect(generated.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(engine.events.filter((e) => e.type === "threads.changed")).toHaveLength(2);
  });

  it("answers a search and a write started while it is still listing (no statement left open across its awaits)", async () => {
    const { client } = engine;
    for (let i = 0; i < 300; i++) await client.threads.create({ threadId: `t-${String(i).padStart(3, "0")}` });
    // The write runs while the search is between two rows; before, the search's open statement
    // made it fail with "This database connection is busy executing a query".
    const searching = client.threads.search({ limit: 1000 });
    const written = client.threads.create({ threadId: "written-meanwhile" });
    const [found, created] = await Promise.all([searching, written]);
    expect(created.threadId).toBe("written-meanwhile");
    expect(found.length).toBeGreaterThanOrEqual(300);
    expect(await client.threads.count({})).toBe(301);
  });

  it("titles a thread by metadata.title or its first human message, counts its checkpoints, and searches what the list shows", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "asked", graphId: "chat" });
    await engine.invoke("chat", "asked", { messages: [human("Plan a trip to Lisbon", "h-1")] });
    const asked = await client.threads.get({ threadId: "asked" });
    expect(asked.title).toBe("Plan a trip to Lisbon");
    expect(asked.checkpointCount).toBe((await client.history.tree({ threadId: "asked" })).nodes.length);
    // Each timeline row says what its step wrote: the input's message, then the graph's answer.
    const changes = (await client.history.page({ threadId: "asked" })).items.map((i) => i.changes).reverse();
    expect(changes[0]).toBe("");
    expect(changes[1]).toBe("+1 HumanMessage → agent");
    expect(changes.slice(2).some((c) => c?.includes("Message"))).toBe(true);
    await client.threads.create({ threadId: "named", metadata: { title: "Support ticket 4711" } });
    expect((await client.threads.get({ threadId: "named" })).title).toBe("Support ticket 4711");
    expect((await client.threads.create({ threadId: "blank" })).title).toBeNull();
    // Without messages, the first text of its input names it.
    await engine.invoke("chat", "untitled", { note: "quarterly  report" });
    expect((await client.threads.get({ threadId: "untitled" })).title).toBe("note: quarterly report");
    const found = async (text: string) => (await client.threads.search({ text })).map((t) => t.threadId).sort();
    expect(await found("lisbon")).toEqual(["asked"]);
    expect(await found("chat")).toEqual(["asked"]);
    expect(await found("TICKET 4711")).toEqual(["named"]);
    expect(await found("idle")).toEqual(["asked", "blank", "named", "untitled"]);
    expect(await found("lisbon ticket")).toEqual([]);
  });

  it("answers NOT_FOUND for an unknown thread, naming it", async () => {
    const error = await rejection(engine.client.threads.get({ threadId: "ghost" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("ghost");
    for (const call of [
      engine.client.threads.delete({ threadId: "ghost" }),
      engine.client.threads.copy({ threadId: "ghost" }),
      engine.client.threads.updateMetadata({ threadId: "ghost", metadata: {} }),
      engine.client.state.get({ threadId: "ghost" }),
      engine.client.history.page({ threadId: "ghost" }),
      engine.client.history.tree({ threadId: "ghost" }),
      engine.client.threads.export({ threadId: "ghost" }),
    ]) {
      expect((await rejection(call)).code).toBe("NOT_FOUND");
    }
  });

  it("lists threads a checkpointer wrote without the engine, sorted by last update", async () => {
    await engine.client.threads.create({ threadId: "made" });
    await engine.invoke("chat", "written", { messages: [human("hi", "h-1")] });
    const threads = await engine.client.threads.search();
    expect(threads.map((t) => t.threadId)).toEqual(["written", "made"]);
    expect(threads[0]!.headCheckpointId).not.toBeNull();
    await engine.client.threads.updateMetadata({ threadId: "made", metadata: { touched: true } });
    expect((await engine.client.threads.search()).map((t) => t.threadId)).toEqual(["made", "written"]);
  });

  it("searches by metadata, id prefix, graph and status, with limit and offset", async () => {
    const { client } = engine;
    for (let i = 0; i < 5; i++) {
      await client.threads.create({ threadId: `a-${i}`, metadata: { n: i, team: { name: i % 2 ? "odd" : "even" } } });
    }
    await client.threads.create({ threadId: "b-0", graphId: "chat" });
    expect((await client.threads.search({ idPrefix: "a-" })).length).toBe(5);
    expect((await client.threads.search({ metadata: { team: { name: "odd" } } })).map((t) => t.threadId).sort()).toEqual(["a-1", "a-3"]);
    expect((await client.threads.search({ graphId: "chat" })).map((t) => t.threadId)).toEqual(["b-0"]);
    const page = await client.threads.search({ idPrefix: "a-", limit: 2, offset: 1 });
    expect(page.map((t) => t.threadId)).toEqual(["a-3", "a-2"]);
    expect(await client.threads.count({ idPrefix: "a-" })).toBe(5);
    expect(await client.threads.count({ status: "busy" })).toBe(0);
    // An id prefix is a prefix, never a pattern.
    await client.threads.create({ threadId: "a%_x" });
    expect((await client.threads.search({ idPrefix: "a%" })).map((t) => t.threadId)).toEqual(["a%_x"]);
  });

  it("matches metadata arrays by containment, as the Agent Server's JSONB filter does", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "ab", metadata: { tags: ["a", "b"] } });
    await client.threads.create({ threadId: "b", metadata: { tags: ["b"] } });
    await client.threads.create({ threadId: "scalar", metadata: { tags: "b" } });
    const ids = async (metadata: Record<string, string[] | string>) =>
      (await client.threads.search({ metadata })).map((t) => t.threadId).sort();
    expect(await ids({ tags: ["b"] })).toEqual(["ab", "b"]);
    expect(await ids({ tags: ["b", "a"] })).toEqual(["ab"]);
    expect(await ids({ tags: "b" })).toEqual(["scalar"]);
    expect(await client.threads.count({ metadata: { tags: ["c"] } })).toBe(0);
  });

  it("merges or replaces metadata", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "t", metadata: { a: 1, b: 2 } });
    expect((await client.threads.updateMetadata({ threadId: "t", metadata: { b: 3, c: 4 } })).metadata).toEqual({ a: 1, b: 3, c: 4 });
    expect((await client.threads.updateMetadata({ threadId: "t", metadata: { z: 0 }, mode: "replace" })).metadata).toEqual({ z: 0 });
  });

  it("computes status: interrupted at an interrupt(), idle once resumed", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "r", graphId: "review" });
    await engine.invoke("review", "r", { messages: [] });
    const waiting = await client.threads.get({ threadId: "r" });
    expect(waiting.status).toBe("interrupted");
    expect(waiting.interrupts).toEqual([{ id: expect.any(String), value: { question: "approve?" } }]);
    expect((await client.threads.search({ status: "interrupted" })).map((t) => t.threadId)).toEqual(["r"]);
    await engine.invoke("review", "r", new Command({ resume: "yes" }));
    expect((await client.threads.get({ threadId: "r" })).status).toBe("idle");
  });

  it("computes status: error when a node failed, busy while a run is active", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "f", graphId: "failing" });
    await expect(engine.invoke("failing", "f", { messages: [] })).rejects.toThrow("the user's bug");
    expect((await client.threads.get({ threadId: "f" })).status).toBe("error");

    await client.threads.create({ threadId: "b" });
    const now = new Date().toISOString();
    const run = newRunInfo({ runId: "run-1", threadId: "b", graphId: "chat", status: "running", createdAt: now, startedAt: now });
    insertRun(engine.inspector.source.db, run);
    expect((await client.threads.get({ threadId: "b" })).status).toBe("busy");
    expect((await rejection(client.threads.delete({ threadId: "b" }))).code).toBe("CONFLICT");
    updateRun(engine.inspector.source.db, "run-1", {
      status: "error",
      finishedAt: new Date().toISOString(),
      error: { node: null, className: "Error", message: "x", stack: null },
    });
    expect((await client.threads.get({ threadId: "b" })).status).toBe("error");
  });

  it("deletes a thread with all its storage", async () => {
    const { client } = engine;
    await engine.invoke("chat", "gone", { messages: [human("hi")] });
    await client.threads.updateMetadata({ threadId: "gone", metadata: { x: 1 } });
    await engine.invoke("chat", "kept", { messages: [human("hi")] });
    expect(await client.threads.delete({ threadId: "gone" })).toBeNull();
    expect((await rejection(client.threads.get({ threadId: "gone" }))).code).toBe("NOT_FOUND");
    expect(await engine.checkpointer.getTuple({ configurable: { thread_id: "gone" } })).toBeUndefined();
    // Nothing else was lost.
    expect((await client.state.get({ threadId: "kept" })).values).toMatchObject({ note: "turn 1" });
  });

  it("copies the whole history into a new thread", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "src", metadata: { owner: "me" }, graphId: "chat" });
    await engine.invoke("chat", "src", { messages: [human("one", "h-1")] });
    await engine.invoke("chat", "src", { messages: [human("two", "h-2")] });
    const copy = await client.threads.copy({ threadId: "src", newThreadId: "dst" });
    expect(copy).toMatchObject({ threadId: "dst", metadata: { owner: "me" }, graphId: "chat" });
    const [a, b] = await Promise.all([client.history.tree({ threadId: "src" }), client.history.tree({ threadId: "dst" })]);
    expect(b.nodes).toEqual(a.nodes);
    expect((await client.state.get({ threadId: "dst" })).values).toEqual((await client.state.get({ threadId: "src" })).values);
    expect((await rejection(client.threads.copy({ threadId: "src", newThreadId: "dst" }))).code).toBe("CONFLICT");
    // The copy runs on independently.
    await engine.invoke("chat", "dst", { messages: [human("three", "h-3")] });
    expect(((await client.state.get({ threadId: "src" })).values as { count: number }).count).toBe(2);
    expect(((await client.state.get({ threadId: "dst" })).values as { count: number }).count).toBe(3);
  });

  it("forks into a new thread from a checkpoint, keeping only its ancestry", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "src", graphId: "chat" });
    await engine.invoke("chat", "src", { messages: [human("one", "h-1")] });
    const afterFirst = (await client.state.get({ threadId: "src" })).checkpoint!.checkpointId;
    await engine.invoke("chat", "src", { messages: [human("two", "h-2")] });
    const forked = await client.threads.fork({ threadId: "src", checkpointId: afterFirst, newThreadId: "fork" });
    expect(forked.headCheckpointId).toBe(afterFirst);
    const state = await client.state.get({ threadId: "fork" });
    expect(state.checkpoint?.checkpointId).toBe(afterFirst);
    expect((state.values as { count: number }).count).toBe(1);
    const all = await client.history.tree({ threadId: "src" });
    const kept = await client.history.tree({ threadId: "fork" });
    expect(kept.nodes.every((n) => n.checkpointId <= afterFirst)).toBe(true);
    expect(kept.nodes.length).toBeLessThan(all.nodes.length);
    expect((await rejection(client.threads.fork({ threadId: "src", checkpointId: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("forks the subgraph checkpoints of the kept steps", async () => {
    const { client } = engine;
    await engine.invoke("nested", "n", { messages: [] });
    const tree = await client.history.tree({ threadId: "n" });
    const sub = tree.nodes.filter((n) => n.checkpointNs !== "");
    expect(sub.length).toBeGreaterThan(0);
    expect(sub.every((n) => n.parentRootCheckpointId !== null)).toBe(true);
    const head = (await client.threads.get({ threadId: "n" })).headCheckpointId!;
    await client.threads.fork({ threadId: "n", checkpointId: head, newThreadId: "n2" });
    const copied = await client.history.tree({ threadId: "n2" });
    expect(copied.nodes.filter((n) => n.checkpointNs !== "").length).toBe(sub.length);
  });
});
