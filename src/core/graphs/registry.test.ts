import path from "node:path";
import { fileURLToPath } from "node:url";
import { MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { ThreadlineError } from "../../shared/errors";
import type { GraphDrawing } from "../../shared/graph";
import { GraphRegistry } from "./registry";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const basicFixture = path.join(repoRoot, "test/fixtures/projects/basic");
const thread = (id: string) => ({ configurable: { thread_id: id } });

function errorOf(run: () => unknown): ThreadlineError {
  try {
    run();
  } catch (error) {
    if (error instanceof ThreadlineError) return error;
    throw error;
  }
  throw new Error("expected a ThreadlineError");
}

const nodeIds = (drawing: GraphDrawing) => drawing.nodes.map((n) => n.id);
const conditional = (drawing: GraphDrawing) =>
  drawing.edges.filter((e) => e.conditional).map((e) => `${e.source}->${e.target}`);

describe("GraphRegistry with the built-in examples", () => {
  it("lists the examples with a description and a sample input", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver() });
    expect(registry.failures()).toEqual([]);
    const infos = registry.list();
    expect(infos.map((g) => g.id)).toEqual(["react-agent", "human-in-the-loop", "fan-out"]);
    for (const info of infos) {
      expect(info.source).toBe("example");
      expect(info.description.length).toBeGreaterThan(40);
      expect(info.sampleInput).toBeTypeOf("object");
    }
  });

  it("injects its checkpointer, so runs are stored in it", async () => {
    const checkpointer = new MemorySaver();
    const registry = await GraphRegistry.create({ checkpointer });
    for (const info of registry.list()) {
      const { graph } = registry.get(info.id);
      await graph.invoke(info.sampleInput, thread(info.id));
      const stored = [];
      for await (const tuple of checkpointer.list(thread(info.id))) stored.push(tuple);
      expect(stored.length).toBeGreaterThan(1);
    }
    // The interrupt is in the stored state too.
    const hitl = await registry.get("human-in-the-loop").graph.getState(thread("human-in-the-loop"));
    expect(hitl.next).toEqual(["review"]);
  });

  it("draws nodes, conditional edges and nested subgraphs", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver() });

    const agent = registry.drawing("react-agent");
    expect(nodeIds(agent)).toEqual(["__start__", "agent", "tools", "__end__"]);
    expect(agent.nodes.map((n) => n.kind)).toEqual(["start", "node", "node", "end"]);
    expect(conditional(agent).sort()).toEqual(["agent->__end__", "agent->tools"]);
    expect(agent.edges).toContainEqual({ source: "tools", target: "agent", conditional: false });

    // Command gotos declared with `ends` are conditional edges.
    expect(conditional(registry.drawing("human-in-the-loop")).sort()).toEqual([
      "review->cancel",
      "review->review",
      "review->send",
    ]);

    const fanOut = registry.drawing("fan-out");
    expect(conditional(fanOut)).toEqual(["plan->research"]);
    const research = fanOut.nodes.find((n) => n.id === "research");
    expect(research?.subgraph && nodeIds(research.subgraph)).toEqual(["__start__", "gather", "summarize", "__end__"]);
    expect(fanOut.nodes.filter((n) => n.subgraph).map((n) => n.id)).toEqual(["research"]);
  });

  it("derives schemas: full for zod and StateSchema state, keys only for an Annotation", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver() });

    const agent = registry.schemas("react-agent");
    expect(agent.state).toMatchObject({
      type: "object",
      properties: { messages: { langgraph_type: "messages" } },
      required: ["messages"],
    });
    expect(agent.input?.properties).toHaveProperty("messages");
    expect(agent.input).not.toHaveProperty("required");

    const fanOut = registry.schemas("fan-out");
    expect(fanOut.input).toMatchObject({
      properties: {
        topic: { type: "string", description: "What to research, e.g. tidal energy" },
        aspects: { type: "integer", minimum: 1, maximum: 6, default: 3 },
      },
    });
    expect(JSON.stringify(fanOut.input)).not.toMatch(/"properties":\{[^}]*"\$schema"/);

    expect(registry.schemas("human-in-the-loop")).toEqual({
      input: { type: "object", properties: { request: {}, draft: {}, outcome: {}, log: {} } },
      state: { type: "object", properties: { request: {}, draft: {}, outcome: {}, log: {} } },
    });
  });

  it("tells which state keys have reducers and which are replaced", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver() });
    expect(registry.reducerKinds("react-agent")).toEqual({ messages: "reducer" });
    expect(registry.reducerKinds("human-in-the-loop")).toEqual({
      request: "replace",
      draft: "replace",
      outcome: "replace",
      log: "reducer",
    });
    expect(registry.reducerKinds("fan-out")).toEqual({
      topic: "replace",
      aspects: "replace",
      subtopics: "replace",
      findings: "reducer",
      report: "replace",
    });
  });

  it("throws NOT_FOUND for an unknown id", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver() });
    for (const call of [
      () => registry.get("nope"),
      () => registry.drawing("nope"),
      () => registry.schemas("nope"),
      () => registry.reducerKinds("nope"),
    ]) {
      const error = errorOf(call);
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toMatch(/^No graph "nope" \(graphs: react-agent, human-in-the-loop, fan-out\)$/);
    }
  });

  it("leaves the examples out when asked", async () => {
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver(), includeExamples: false });
    expect(registry.list()).toEqual([]);
  });
});

describe("GraphRegistry with a project", () => {
  it("lists the project's graphs only, or with the examples when asked (--examples)", async () => {
    const alone = await GraphRegistry.create({ checkpointer: new MemorySaver(), projectDir: basicFixture });
    expect(alone.list().map((g) => `${g.source}:${g.id}`)).toEqual(["project:greeter", "project:counter"]);
    const withExamples = await GraphRegistry.create({ checkpointer: new MemorySaver(), projectDir: basicFixture, includeExamples: true });
    expect(withExamples.list().map((g) => `${g.source}:${g.id}`)).toEqual([
      "project:greeter",
      "project:counter",
      "example:react-agent",
      "example:human-in-the-loop",
      "example:fan-out",
    ]);
  });

  it("loads the project's graphs and runs them with its checkpointer", async () => {
    const checkpointer = new MemorySaver();
    const registry = await GraphRegistry.create({ checkpointer, projectDir: basicFixture });
    expect(registry.failures()).toEqual([]);

    // A compiled export: its env var applied, its state stored in our checkpointer.
    const greeter = registry.get("greeter").graph;
    expect(await greeter.invoke({ name: "Ada" }, thread("g"))).toMatchObject({ greeting: "Hello, Ada!" });
    expect((await checkpointer.getTuple(thread("g")))?.checkpoint.channel_values).toMatchObject({
      greeting: "Hello, Ada!",
    });
    expect(registry.reducerKinds("greeter")).toEqual({ name: "replace", greeting: "replace", visits: "reducer" });

    // A factory returning an uncompiled StateGraph: compiled by the registry, with our checkpointer.
    const counter = registry.get("counter").graph;
    expect(await counter.invoke({ limit: 4 }, thread("c"))).toEqual({ count: 4, limit: 4 });
    expect((await counter.getState(thread("c"))).values).toEqual({ count: 4, limit: 4 });
    expect(conditional(registry.drawing("counter")).sort()).toEqual(["increment->__end__", "increment->increment"]);
    expect(registry.schemas("counter").input).toMatchObject({
      properties: { count: { type: "number", default: 0 }, limit: { type: "number", default: 3 } },
    });
  });
});
