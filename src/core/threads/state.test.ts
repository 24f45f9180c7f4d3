import { HumanMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { encodeValue, type JsonObject } from "../../shared/encoding";
import { formatPath } from "../../shared/types";
import { compareApiHistory, human, openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

type ChatValues = { messages: JsonObject[]; count: number; log: string[]; note: string };

async function twoTurns(threadId = "t") {
  await engine.client.threads.create({ threadId, graphId: "chat" });
  await engine.invoke("chat", threadId, { messages: [human("one", "h-1")] });
  await engine.invoke("chat", threadId, { messages: [human("two", "h-2")] });
}

describe("state", () => {
  it("reads the head: encoded values, metadata, parent", async () => {
    await twoTurns();
    const state = await engine.client.state.get({ threadId: "t" });
    const values = state.values as ChatValues;
    expect(values.count).toBe(2);
    expect(values.log).toEqual(["agent 1", "agent 3"]);
    expect(values.messages.map((m) => [m.class, m.id, m.content])).toEqual([
      ["HumanMessage", "h-1", "one"],
      ["AIMessage", "ai-1", "answer 1"],
      ["HumanMessage", "h-2", "two"],
      ["AIMessage", "ai-3", "answer 3"],
    ]);
    expect(state.next).toEqual([]);
    expect(state.metadata).toMatchObject({ source: "loop" });
    expect(state.parent?.threadId).toBe("t");
    expect(state.createdAt).toMatch(/^\d{4}-/);
  });

  it("reads any checkpoint, and an empty thread as empty", async () => {
    await twoTurns();
    const page = await engine.client.history.page({ threadId: "t", limit: 100 });
    const first = page.items[page.items.length - 1]!;
    expect(first.source).toBe("input");
    const old = await engine.client.state.get({ threadId: "t", checkpointId: first.checkpointId });
    expect(old.checkpoint?.checkpointId).toBe(first.checkpointId);
    expect(old.next).toEqual(["__start__"]);
    await engine.client.threads.create({ threadId: "empty" });
    expect(await engine.client.state.get({ threadId: "empty" })).toMatchObject({ values: {}, checkpoint: null });
    const missing = await rejection(engine.client.state.get({ threadId: "t", checkpointId: "no-such" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toContain("no-such");
  });

  it("reads a thread whose graph is unknown straight from the checkpointer", async () => {
    // Written by "another app": no thread row, no graph recorded.
    await engine.invoke("review", "orphan", { messages: [human("hi", "h-1")] });
    const state = await engine.client.state.get({ threadId: "orphan" });
    expect((state.values as ChatValues).messages.map((m) => m.id)).toEqual(["h-1"]);
    expect(state.values).not.toHaveProperty("__start__");
    expect(state.tasks.flatMap((t) => t.interrupts.map((i) => i.value))).toEqual([{ question: "approve?" }]);
    expect(state.metadata?.source).toBe("loop");
    const history = await engine.client.history.states({ threadId: "orphan", limit: 10 });
    expect(history[0]?.checkpoint).toEqual(state.checkpoint);
    const withGraph = await engine.client.state.get({ threadId: "orphan", graphId: "review" });
    expect(withGraph.next).toEqual(["ask"]);
    expect((await rejection(engine.client.state.get({ threadId: "orphan", graphId: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("shows tasks with their interrupts, and a subgraph namespace's state", async () => {
    await engine.invoke("review", "r", { messages: [] });
    const waiting = await engine.client.state.get({ threadId: "r", graphId: "review" });
    expect(waiting.next).toEqual(["ask"]);
    expect(waiting.tasks[0]).toMatchObject({ name: "ask", interrupts: [{ value: { question: "approve?" } }] });
    expect(waiting.pendingWrites.some((w) => w.channel === "__interrupt__")).toBe(true);

    await engine.invoke("nested", "n", { messages: [] });
    const tree = await engine.client.history.tree({ threadId: "n" });
    const sub = tree.nodes.find((node) => node.checkpointNs !== "")!;
    const inner = await engine.client.state.get({ threadId: "n", checkpointNs: sub.checkpointNs, checkpointId: sub.checkpointId, graphId: "nested" });
    expect(inner.checkpoint).toMatchObject({ checkpointNs: sub.checkpointNs, checkpointId: sub.checkpointId });
    expect(inner.values).toHaveProperty("log");
  });

  it("pages history newest first and builds the tree", async () => {
    await twoTurns();
    const all = await engine.client.history.page({ threadId: "t", limit: 100 });
    expect(all.nextBefore).toBeNull();
    const first = await engine.client.history.page({ threadId: "t", limit: 2 });
    expect(first.items.map((i) => i.checkpointId)).toEqual(all.items.slice(0, 2).map((i) => i.checkpointId));
    const second = await engine.client.history.page({ threadId: "t", limit: 2, before: first.nextBefore! });
    expect(second.items.map((i) => i.checkpointId)).toEqual(all.items.slice(2, 4).map((i) => i.checkpointId));
    expect(all.items[0]).toMatchObject({ nodes: ["agent"], source: "loop", hasInterrupts: false });
    const tree = await engine.client.history.tree({ threadId: "t" });
    expect(tree.nodes.map((n) => n.checkpointId)).toEqual(all.items.map((i) => i.checkpointId).reverse());
    const states = await engine.client.history.states({ threadId: "t", limit: 3 });
    expect(states.map((s) => s.checkpoint?.checkpointId)).toEqual(all.items.slice(0, 3).map((i) => i.checkpointId));
  });

  it("updates as a node at the head, sending only changed keys", async () => {
    await twoTurns();
    const head = await engine.client.state.get({ threadId: "t" });
    const values = head.values as ChatValues;
    // The UI sends everything it shows; only `note` changed.
    const { checkpoint } = await engine.client.state.update({
      threadId: "t",
      values: { ...values, note: "edited" } as unknown as JsonObject,
      asNode: "agent",
    });
    const after = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    expect(after.note).toBe("edited");
    expect(after.count).toBe(2); // not 4: the unchanged counter was not sent through its reducer
    expect(after.log).toEqual(values.log);
    expect(after.messages).toEqual(values.messages);
    expect(checkpoint.checkpointId).not.toBe(head.checkpoint!.checkpointId);
    const latest = await engine.client.history.page({ threadId: "t", limit: 1 });
    expect(latest.items[0]).toMatchObject({ source: "update", checkpointId: checkpoint.checkpointId, appliedAs: ["agent"] });
  });

  it("remembers the node an update was applied as, through a branch and a copy of the thread", async () => {
    await twoTurns();
    const mid = (await engine.client.history.page({ threadId: "t", limit: 100 })).items.find((i) => i.step === 1)!;
    const { checkpoint } = await engine.client.state.update({ threadId: "t", checkpointId: mid.checkpointId, values: { note: "x" }, asNode: "agent" });
    // Without an as-node LangGraph infers one and stores nothing that names it: the row says so by naming none.
    await engine.client.state.update({ threadId: "t", values: { note: "y" } });
    const tree = await engine.client.history.tree({ threadId: "t" });
    expect(tree.nodes.find((n) => n.checkpointId === checkpoint.checkpointId)?.appliedAs).toEqual(["agent"]);
    expect(tree.nodes.filter((n) => n.source === "update").map((n) => n.appliedAs)).toEqual([["agent"], undefined]);
    const forked = await engine.client.threads.fork({ threadId: "t", checkpointId: checkpoint.checkpointId });
    const copied = await engine.client.history.page({ threadId: forked.threadId, limit: 1 });
    expect(copied.items[0]).toMatchObject({ checkpointId: checkpoint.checkpointId, appliedAs: ["agent"] });
  });

  it("replaces an edited message by id and removes a deleted one", async () => {
    await twoTurns();
    const values = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    const messages = values.messages
      .filter((m) => m.id !== "h-2")
      .map((m) => (m.id === "ai-1" ? { ...m, content: "corrected" } : m));
    await engine.client.state.update({ threadId: "t", values: { messages } });
    const after = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    expect(after.messages.map((m) => [m.id, m.content])).toEqual([
      ["h-1", "one"],
      ["ai-1", "corrected"],
      ["ai-3", "answer 3"],
    ]);
    expect(after.messages[1]!.class).toBe("AIMessage");
  });

  it("overwrites an edited list or counter that has a reducer, or appends through it when asked", async () => {
    await twoTurns();
    await engine.client.state.update({ threadId: "t", values: { log: ["only this"], count: 10 } });
    let after = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    expect(after.log).toEqual(["only this"]);
    expect(after.count).toBe(10);
    await engine.client.state.update({ threadId: "t", values: { log: ["appended"] }, throughReducer: ["log"] });
    after = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    expect(after.log).toEqual(["only this", "appended"]);
  });

  it("updates at an old checkpoint on a new branch, leaving the old head intact", async () => {
    await twoTurns();
    const all = await engine.client.history.page({ threadId: "t", limit: 100 });
    const oldHead = all.items[0]!;
    const mid = all.items.find((i) => i.step === 1)!;
    const { checkpoint } = await engine.client.state.update({
      threadId: "t",
      checkpointId: mid.checkpointId,
      values: { note: "branch" },
      asNode: "agent",
    });
    const branch = await engine.client.state.get({ threadId: "t", checkpointId: checkpoint.checkpointId });
    expect(branch.parent?.checkpointId).toBe(mid.checkpointId);
    expect((branch.values as ChatValues).count).toBe(1);
    const original = await engine.client.state.get({ threadId: "t", checkpointId: oldHead.checkpointId });
    expect((original.values as ChatValues).count).toBe(2);
    const tree = await engine.client.history.tree({ threadId: "t" });
    const children = tree.nodes.filter((n) => n.parentCheckpointId === mid.checkpointId);
    expect(children.length).toBe(2);
  });

  it("refuses bad updates with INVALID_ARGUMENT, writing nothing", async () => {
    await twoTurns();
    const before = await engine.client.history.page({ threadId: "t", limit: 100 });
    const badNode = await rejection(engine.client.state.update({ threadId: "t", values: { note: "x" }, asNode: "nope" }));
    expect(badNode.code).toBe("INVALID_ARGUMENT");
    const notObject = await rejection(engine.client.state.update({ threadId: "t", values: [1, 2] }));
    expect(notObject.code).toBe("INVALID_ARGUMENT");
    expect(notObject.message).toContain("values");
    const badTag = await rejection(engine.client.state.update({ threadId: "t", values: { note: { $type: "bigint", value: "x1" } } }));
    expect(badTag.code).toBe("INVALID_ARGUMENT");
    expect(badTag.message).toContain("bigint");
    await engine.invoke("chat", "nograph", { messages: [human("x")] });
    const noGraph = await rejection(engine.client.state.update({ threadId: "nograph", values: { note: "x" } }));
    expect(noGraph.code).toBe("INVALID_ARGUMENT");
    expect(noGraph.message).toContain("graphId");
    expect((await engine.client.history.page({ threadId: "t", limit: 100 })).items).toEqual(before.items);
  });
});

describe("diff", () => {
  it("diffs a checkpoint against its parent by default, matching messages by id", async () => {
    await twoTurns();
    const head = await engine.client.state.get({ threadId: "t" });
    const diff = await engine.client.diff.get({ threadId: "t", to: head.checkpoint!.checkpointId });
    expect(diff.from?.checkpointId).toBe(head.parent?.checkpointId);
    const byPath = Object.fromEntries(diff.entries.map((e) => [formatPath(e.path), e]));
    expect(byPath["messages[id=ai-3]"]).toMatchObject({ kind: "added", after: { content: "answer 3" } });
    expect(byPath.count).toMatchObject({ kind: "changed", before: 1, after: 2 });
    expect(byPath["log[1]"]).toMatchObject({ kind: "added", after: "agent 3" });
    expect(Object.keys(byPath).some((p) => p.startsWith("messages[id=h-1]"))).toBe(false);
  });

  it("diffs any two checkpoints, and the first checkpoint against nothing", async () => {
    await twoTurns();
    const items = (await engine.client.history.page({ threadId: "t", limit: 100 })).items;
    const first = items[items.length - 1]!;
    const initial = await engine.client.diff.get({ threadId: "t", to: first.checkpointId });
    expect(initial.from).toBeNull();
    const across = await engine.client.diff.get({ threadId: "t", from: items[0]!.checkpointId, to: first.checkpointId });
    expect(across.entries.some((e) => e.kind === "removed")).toBe(true);
    expect((await rejection(engine.client.diff.get({ threadId: "t", to: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("reports an edited message's content as one changed path", async () => {
    await twoTurns();
    const values = (await engine.client.state.get({ threadId: "t" })).values as ChatValues;
    const messages = values.messages.map((m) => (m.id === "ai-1" ? { ...m, content: "corrected" } : m));
    const { checkpoint } = await engine.client.state.update({ threadId: "t", values: { messages } });
    const diff = await engine.client.diff.get({ threadId: "t", to: checkpoint.checkpointId });
    expect(diff.entries.map((e) => [formatPath(e.path), e.kind])).toEqual([["messages[id=ai-1].content", "changed"]]);
    expect(encodeValue(diff.entries[0]!.after)).toBe("corrected");
  });

  it("writes history in LangGraph's API shape exactly as the encoded states convert to it", async () => {
    await twoTurns();
    await engine.invoke("review", "r", { messages: [human("hi", "h-1")] });
    await engine.invoke("nested", "n", { messages: [] });
    await engine.invoke("failing", "f", { messages: [] }).catch(() => undefined);
    // Values the live writer leaves to the encoding (a Map, a Set, bytes), and a key it must keep ($type).
    await engine.client.threads.create({ threadId: "odd", graphId: "chat" });
    const odd = new HumanMessage({
      id: "h-odd",
      content: [{ type: "text", text: "odd", $type: "Date" }],
      additional_kwargs: { map: new Map([["k", 1]]), set: new Set([1]), bytes: new Uint8Array([1, 2]), when: new Date(0) },
    });
    await engine.invoke("chat", "odd", { messages: [human("plain", "h-0"), odd], note: "x" });
    let compared = 0;
    for (const threadId of ["t", "r", "n", "f", "odd"]) compared += await compareApiHistory(engine.client, threadId);
    const sub = (await engine.client.history.tree({ threadId: "n" })).nodes.find((node) => node.checkpointNs !== "")!;
    compared += await compareApiHistory(engine.client, "n", sub.checkpointNs);
    expect(compared).toBeGreaterThan(15);
  });

  it("hands out API history in parts to a caller that takes parts", async () => {
    await twoTurns();
    const parts: { states: unknown[] }[] = [];
    const result = (await engine.inspector.call("history.apiStates", { threadId: "t", limit: 3 }, {
      partial: (part) => parts.push(part as { states: unknown[] }),
    })) as { states: unknown[] };
    expect(result.states).toEqual([]);
    const whole = await engine.client.history.apiStates({ threadId: "t", limit: 3 });
    expect(whole.states).toHaveLength(3);
    // Parts of about 1 MB of JSON: these three small states go out together, in order.
    expect(parts).toEqual([{ states: whole.states }]);
    expect((await rejection(engine.client.history.apiStates({ threadId: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("gives each history checkpoint a revision that changes only when something is stored for it again", async () => {
    await twoTurns();
    const before = (await engine.client.history.revisions({ threadId: "t", limit: 100 })).items;
    expect(before.length).toBeGreaterThan(3);
    expect(before.every((i) => typeof i.revision === "string")).toBe(true);
    await engine.invoke("chat", "t", { messages: [human("three", "h-3")] });
    const after = (await engine.client.history.revisions({ threadId: "t", limit: 100 })).items;
    // The new run's checkpoints are on top; every older one reads as before.
    expect(after.slice(after.length - before.length)).toEqual(before);

    // Resuming an interrupt stores the answer on the waiting checkpoint: its revision changes.
    await engine.client.threads.create({ threadId: "r", graphId: "review" });
    await engine.invoke("review", "r", { messages: [] });
    const [waiting] = (await engine.client.history.revisions({ threadId: "r", limit: 1 })).items;
    await engine.invoke("review", "r", new Command({ resume: "yes" }));
    const resumed = (await engine.client.history.revisions({ threadId: "r", limit: 100 })).items;
    const again = resumed.find((i) => i.checkpointId === waiting!.checkpointId)!;
    expect(again.revision).not.toBe(waiting!.revision);
    // And the API states carry the revision they were read at.
    const states = (await engine.client.history.apiStates({ threadId: "r", limit: 100 })).states;
    expect(states.map((s) => s.revision)).toEqual(resumed.map((i) => i.revision));
    // A filtered read or a graph named by the caller has none: nothing to cache it by.
    const named = (await engine.client.history.apiStates({ threadId: "r", limit: 1, graphId: "review" })).states;
    expect(named[0]!.revision).toBeNull();
  });
});
