// The same scripted session through the engine (src/core) on a fixture project of every supported
// LangGraph.js line, each with its own @langchain/langgraph, core and checkpoint packages
// (installed once per lockfile by install.ts). The lines run one after another in this process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINES, pinnedVersion } from "./install";
import { openLineEngine, type LineEngine, type Values } from "./line-engine";

type Message = { class: string; content: unknown };

const OVERWRITE_FROM = "1.2.0";
const hasOverwrite = (version: string) => version.localeCompare(OVERWRITE_FROM, undefined, { numeric: true }) >= 0;

describe.each(LINES)("LangGraph.js %s through the engine", (line) => {
  const version = pinnedVersion(line);
  let engine: LineEngine;
  let client: LineEngine["client"];
  let run: LineEngine["run"];
  let values: LineEngine["values"];
  let runEvents: LineEngine["runEvents"];

  beforeAll(async () => {
    engine = await openLineEngine(line);
    ({ client, run, values, runEvents } = engine);
  }, 180_000);

  afterAll(async () => {
    await engine?.close();
  });

  it("loads the project's graphs on its own release", async () => {
    const { graphs, failures } = await client.graphs.list();
    expect(failures).toEqual([]);
    const own = graphs.filter((g) => g.source === "project");
    expect(own.map((g) => g.id).sort()).toEqual(["agent", "approval", "fanout", "pipeline"]);
    expect(new Set(own.map((g) => g.langgraphVersion))).toEqual(new Set([version]));
  });

  it("runs a tool loop with node events and streamed tokens, and runs again on messages read back", async () => {
    await client.threads.create({ threadId: "agent" });
    const first = await run({ threadId: "agent", graphId: "agent", input: { messages: [{ role: "user", content: "add" }] } });
    expect(first.status).toBe("success");
    expect(first.nodeTimings.map((t) => t.node)).toEqual(["model", "tools", "model"]);
    const streamed = runEvents(first.runId);
    expect(streamed.filter((e) => e.type === "node.started").map((e) => e.node)).toEqual(["model", "tools", "model"]);
    const tokenEvents = streamed.filter((e) => e.type === "token" && e.node === "model");
    // A root node's tokens belong to the root graph on every release (older ones named the task).
    expect(new Set(tokenEvents.map((e) => JSON.stringify(e.namespace)))).toEqual(new Set(["[]"]));
    const tokens = tokenEvents.map((e) => e.text as string);
    // The tool call comes whole (what the node returned), the answer token by token.
    expect(tokens[0]).toBe("my classes");
    expect(tokens.slice(1).join("")).toBe("The sum is 5.");
    expect(tokens.length).toBeGreaterThan(2);
    const checkpoints = streamed.filter((e) => e.type === "checkpoint").length;
    expect(checkpoints).toBe((await client.history.page({ threadId: "agent" })).items.length);

    // The second turn's ToolNode needs the stored AI message revived as the project's own AIMessage.
    const second = await run({ threadId: "agent", graphId: "agent", input: { messages: [{ role: "user", content: "again" }] } });
    expect(second.status).toBe("success");
    const messages = (await values("agent")).messages as Message[];
    // The answer streamed, so LangChain's model returned it as a chunk.
    expect(messages.map((m) => m.class)).toEqual([
      ...["HumanMessage", "AIMessage", "ToolMessage", "AIMessageChunk"],
      ...["HumanMessage", "AIMessage", "ToolMessage", "AIMessageChunk"],
    ]);
    expect(messages.at(-1)?.content).toBe("The sum is 6.");
    // What the model node saw on the second turn: messages built by the project's own serializer and classes.
    expect(messages[5]?.content).toBe("my classes");
  });

  it("stops at interrupt() and resumes with a Command", async () => {
    await client.threads.create({ threadId: "approval" });
    const asked = await run({ threadId: "approval", graphId: "approval", input: { request: "v2" } });
    expect(asked.status).toBe("interrupted");
    expect(runEvents(asked.runId).some((e) => e.type === "interrupt")).toBe(true);
    const thread = await client.threads.get({ threadId: "approval" });
    expect(thread.status).toBe("interrupted");
    expect(thread.interrupts.map((i) => i.value)).toEqual([{ question: "Publish this?", draft: "Draft: v2" }]);
    const resumed = await run({ threadId: "approval", graphId: "approval", command: { resume: "approve" } });
    expect(resumed.status).toBe("success");
    expect((await values("approval")).outcome).toBe("published Draft: v2");
    expect((await client.threads.get({ threadId: "approval" })).status).toBe("idle");
  });

  it("stops at a breakpoint, steps one superstep, continues; history, tree and diff follow", async () => {
    await client.breakpoints.set({ graphId: "pipeline", before: ["second"], after: [] });
    await client.threads.create({ threadId: "pipeline" });
    expect((await run({ threadId: "pipeline", graphId: "pipeline", input: {} })).status).toBe("interrupted");
    expect((await client.state.get({ threadId: "pipeline" })).next).toEqual(["second"]);
    await client.breakpoints.set({ graphId: "pipeline", before: [], after: [] });
    expect((await run({ threadId: "pipeline", graphId: "pipeline", input: null, step: true })).status).toBe("interrupted");
    const stepped = await client.state.get({ threadId: "pipeline" });
    expect([stepped.values, stepped.next]).toEqual([{ count: 11, log: ["first", "second"] }, ["third"]]);
    expect((await run({ threadId: "pipeline", graphId: "pipeline", input: null })).status).toBe("success");
    expect(await values("pipeline")).toEqual({ count: 111, log: ["first", "second", "third"] });

    const page = await client.history.page({ threadId: "pipeline" });
    expect(page.items.map((c) => c.step)).toEqual([3, 2, 1, 0, -1]);
    expect(page.items.map((c) => c.nodes)).toEqual([["third"], ["second"], ["first"], ["__start__"], ["__input__"]]);
    expect((await client.history.tree({ threadId: "pipeline" })).nodes).toHaveLength(5);
    const diff = await client.diff.get({ threadId: "pipeline", to: page.items[0]!.checkpointId });
    expect(diff.entries.map((e) => e.path.join("."))).toEqual(expect.arrayContaining(["count"]));
  });

  it("replays from an old checkpoint on a new branch", async () => {
    const afterFirst = (await client.history.page({ threadId: "pipeline" })).items.find((c) => c.step === 1)!;
    const replay = await run({ threadId: "pipeline", graphId: "pipeline", checkpointId: afterFirst.checkpointId });
    expect(replay.status).toBe("success");
    const head = await client.state.get({ threadId: "pipeline" });
    expect(head.values).toEqual({ count: 111, log: ["first", "second", "third"] });
    expect(head.metadata?.step).toBe(3);
    expect((await client.history.tree({ threadId: "pipeline" })).nodes).toHaveLength(7);
  });

  it("edits and forks as a node; replacing a value with a reducer needs Overwrite, and says so by version", async () => {
    const afterFirst = (await client.history.page({ threadId: "pipeline" })).items.find((c) => c.step === 1)!;
    const through = await client.state.update({
      threadId: "pipeline",
      checkpointId: afterFirst.checkpointId,
      values: { count: 5 },
      asNode: "first",
      throughReducer: ["count"],
    });
    expect((await client.state.get({ threadId: "pipeline", checkpointId: through.checkpoint.checkpointId })).values).toMatchObject({ count: 6 });
    expect((await run({ threadId: "pipeline", graphId: "pipeline", input: null })).status).toBe("success");
    expect((await values("pipeline")).count).toBe(116);

    const replace = client.state.update({ threadId: "pipeline", checkpointId: afterFirst.checkpointId, values: { count: 5 }, asNode: "first" });
    if (hasOverwrite(version)) {
      const replaced = await replace;
      expect((await client.state.get({ threadId: "pipeline", checkpointId: replaced.checkpoint.checkpointId })).values).toMatchObject({ count: 5 });
    } else {
      await expect(replace).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining(`@langchain/langgraph ${version} cannot do that`) as unknown as string,
      });
      await expect(replace).rejects.toThrow(/"count", which has a reducer, needs LangGraph's Overwrite/);
    }

    // A list of messages is edited by id on every line.
    const messages = (await values("agent")).messages as (Message & Values)[];
    const edited = messages.map((m, i) => (i === messages.length - 1 ? { ...m, content: "Edited answer" } : m));
    await client.state.update({ threadId: "agent", values: { messages: edited }, asNode: "model" });
    expect(((await values("agent")).messages as Message[]).map((m) => m.content).at(-1)).toBe("Edited answer");
  });

  it("forks into a new thread, exports and imports", async () => {
    const afterSecond = (await client.history.page({ threadId: "pipeline", limit: 100 })).items.find((c) => c.step === 2 && c.nodes.join() === "second")!;
    const fork = await client.threads.fork({ threadId: "pipeline", checkpointId: afterSecond.checkpointId, newThreadId: "forked" });
    expect((await client.state.get({ threadId: fork.threadId })).next).toEqual(["third"]);
    expect((await run({ threadId: "forked", graphId: "pipeline", input: null })).status).toBe("success");
    const exported = await client.threads.export({ threadId: "forked" });
    const imported = await client.threads.import({ data: exported, newThreadId: "imported" });
    expect((await client.state.get({ threadId: imported.threadId, graphId: "pipeline" })).values).toEqual(await values("forked"));
    const agentCopy = await client.threads.import({ data: await client.threads.export({ threadId: "agent" }), newThreadId: "agent-copy" });
    const again = await run({ threadId: agentCopy.threadId, graphId: "agent", input: { messages: [{ role: "user", content: "third" }] } });
    expect(again.status).toBe("success");
  });

  it("fans out with Send into parallel tasks, through a breakpoint, with a subgraph's checkpoints in the tree", async () => {
    await client.threads.create({ threadId: "fanout" });
    const paused = await run({ threadId: "fanout", graphId: "fanout", input: { topic: "tides" }, interruptBefore: ["research"] });
    expect(paused.status).toBe("interrupted");
    expect((await client.state.get({ threadId: "fanout" })).next).toEqual(["research", "research"]);
    expect((await run({ threadId: "fanout", graphId: "fanout", input: null })).status).toBe("success");
    expect(await values("fanout")).toEqual({ topic: "tides", notes: ["tides a note", "tides b note"], summary: "tides a note + tides b note" });
    const tree = (await client.history.tree({ threadId: "fanout" })).nodes;
    expect(tree.filter((n) => n.checkpointNs.startsWith("summarise:")).map((n) => n.step)).toEqual([-1, 0, 1]);
  });
});
