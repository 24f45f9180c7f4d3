// @langchain/langgraph 0.2.0, the first release Threadline supports: no interrupt(), Command,
// subgraph streaming, messages stream mode or getGraphAsync. What it has works through the engine;
// what it lacks is refused in words naming the version.
import { afterAll, beforeAll, expect, it } from "vitest";
import { FIRST_RELEASE } from "./install";
import { openLineEngine, type LineEngine } from "./line-engine";

let engine: LineEngine;

beforeAll(async () => {
  engine = await openLineEngine(FIRST_RELEASE);
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

it("loads and draws its graphs", async () => {
  const { graphs, failures } = await engine.client.graphs.list();
  expect(failures).toEqual([]);
  expect(graphs.filter((g) => g.source === "project").map((g) => [g.id, g.langgraphVersion])).toEqual([
    ["agent", "0.2.0"],
    ["pipeline", "0.2.0"],
  ]);
  const { drawing } = await engine.client.graphs.get({ graphId: "pipeline" });
  expect(drawing.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(
    ["__start__->first", "first->second", "second->third", "third->__end__"].sort(),
  );
});

it("runs the tool loop with node events, on messages revived as its own classes", async () => {
  const { client, run, values, runEvents } = engine;
  await client.threads.create({ threadId: "agent" });
  for (const content of ["add", "again"]) {
    const done = await run({ threadId: "agent", graphId: "agent", input: { messages: [{ role: "user", content }] } });
    expect(done.status).toBe("success");
    expect(runEvents(done.runId).filter((e) => e.type === "node.finished").map((e) => e.node)).toEqual(["model", "tools", "model"]);
  }
  const messages = (await values("agent")).messages as { content: unknown }[];
  expect(messages.map((m) => m.content)).toEqual(["add", "my classes", "5", "The sum is 5.", "again", "my classes", "6", "The sum is 6."]);
});

it("stops at breakpoints, steps, continues, and edits through a reducer", async () => {
  const { client, run, values } = engine;
  await client.threads.create({ threadId: "p" });
  expect((await run({ threadId: "p", graphId: "pipeline", input: {}, interruptBefore: ["second"] })).status).toBe("interrupted");
  expect((await client.state.get({ threadId: "p" })).next).toEqual(["second"]);
  expect((await run({ threadId: "p", graphId: "pipeline", input: null, step: true })).status).toBe("interrupted");
  expect(await values("p")).toEqual({ count: 11, log: ["first", "second"] });
  await client.state.update({ threadId: "p", values: { count: 1000 }, asNode: "second", throughReducer: ["count"] });
  expect((await run({ threadId: "p", graphId: "pipeline", input: null })).status).toBe("success");
  expect(await values("p")).toEqual({ count: 1111, log: ["first", "second", "third"] });
  expect((await client.history.page({ threadId: "p" })).items.map((c) => c.step)).toEqual([4, 3, 2, 1, 0, -1]);
});

it("refuses a command and a replacing edit in words naming the release", async () => {
  const { client } = engine;
  await expect(client.runs.start({ threadId: "p", graphId: "pipeline", command: { resume: "x" } })).rejects.toMatchObject({
    code: "INVALID_ARGUMENT",
    message: expect.stringMatching(/needs LangGraph's Command: this project's @langchain\/langgraph 0\.2\.0 cannot do that/) as unknown as string,
  });
  await expect(client.state.update({ threadId: "p", values: { count: 5 }, asNode: "third" })).rejects.toThrow(
    /replacing "count", which has a reducer, needs LangGraph's Overwrite.*this project's @langchain\/langgraph 0\.2\.0 cannot do that/,
  );
  expect((await client.runs.list({ threadId: "p" })).every((r) => r.status !== "pending")).toBe(true);
});
