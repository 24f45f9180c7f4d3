import { CALL_NAMES, createClient, dispatch } from "../shared/contract";
import { ThreadlineError } from "../shared/errors";
import { GraphRegistry } from "./graphs/index";
import { Inspector } from "./inspector";
import { SqliteCheckpointer } from "./storage/index";
import { openTestEngine, rejection, type TestEngine } from "../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

describe("Inspector", () => {
  it("serves every call of the contract", () => {
    // EngineServer is checked at compile time; this checks the methods exist at run time too.
    for (const name of CALL_NAMES) expect(typeof (engine.inspector as unknown as Record<string, unknown>)[name]).toBe("function");
  });

  it("describes the project and its graphs", async () => {
    const info = await engine.client.project.info();
    expect(info).toMatchObject({ dir: null, dbFile: engine.file });
    const { graphs, failures } = await engine.client.graphs.list();
    expect(graphs.map((g) => g.id)).toEqual(["chat", "review", "nested", "failing"]);
    expect(failures).toEqual([]);
    expect((await engine.client.graphs.get({ graphId: "review" })).reducers).toMatchObject({ note: "replace" });
    expect((await rejection(engine.client.graphs.get({ graphId: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("saves breakpoints per graph and refuses unknown nodes", async () => {
    const { client } = engine;
    expect(await client.breakpoints.get({ graphId: "review" })).toEqual({ graphId: "review", before: [], after: [] });
    await client.breakpoints.set({ graphId: "review", before: ["act"], after: "*" });
    expect(await client.breakpoints.get({ graphId: "review" })).toEqual({ graphId: "review", before: ["act"], after: "*" });
    const bad = await rejection(client.breakpoints.set({ graphId: "review", before: ["nope"], after: [] }));
    expect(bad.code).toBe("INVALID_ARGUMENT");
    expect(bad.message).toContain('"nope"');
    expect((await client.breakpoints.get({ graphId: "review" })).before).toEqual(["act"]);
    expect((await rejection(client.breakpoints.get({ graphId: "ghost" }))).code).toBe("NOT_FOUND");
  });

  it("answers UNAVAILABLE for runs until a run manager is wired", async () => {
    await engine.client.threads.create({ threadId: "t" });
    const error = await rejection(engine.client.runs.start({ threadId: "t", graphId: "chat", input: { messages: [] } }));
    expect(error.code).toBe("UNAVAILABLE");
    expect((await rejection(engine.client.runs.start({ threadId: "ghost", graphId: "chat" }))).code).toBe("NOT_FOUND");
  });

  it("rejects invalid arguments before touching the engine", async () => {
    const error = await rejection(dispatch(engine.inspector, "threads.search", { limit: "ten" }) as Promise<unknown>);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain("limit");
  });

  it("works with the graph registry's built-in examples", async () => {
    const checkpointer = new SqliteCheckpointer(":memory:");
    const graphs = await GraphRegistry.create({ checkpointer });
    const inspector = Inspector.local({ checkpointer, graphs, watch: false });
    const client = createClient(async (name, args) => {
      try {
        return JSON.parse(JSON.stringify((await dispatch(inspector, name, args)) ?? null));
      } catch (error) {
        throw ThreadlineError.from(error);
      }
    });
    try {
      const { graphs: listed } = await client.graphs.list();
      expect(listed.length).toBeGreaterThanOrEqual(3);
      for (const graph of listed) {
        const described = await client.graphs.get({ graphId: graph.id });
        expect(described.drawing.nodes.length).toBeGreaterThan(2);
      }
    } finally {
      await inspector.close();
      checkpointer.close();
    }
  });
});

describe("engineError", () => {
  it("keeps storage meanings and hides the rest behind INTERNAL", async () => {
    const { StorageError } = await import("./storage/index");
    const { engineError } = await import("./inspector");
    expect(engineError(new StorageError("NOT_SQLITE", "x.txt is not a SQLite database")).toWire()).toEqual({
      code: "NOT_SQLITE",
      message: "x.txt is not a SQLite database",
    });
    const busy = Object.assign(new Error("database is locked"), { name: "SqliteError", code: "SQLITE_BUSY" });
    expect(engineError(busy).code).toBe("UNAVAILABLE");
    expect(engineError(new TypeError("boom")).toWire()).toEqual({ code: "INTERNAL", message: "boom" });
  });

  it("is what Inspector.call rejects with", async () => {
    await expect(engine.inspector.call("threads.get", { threadId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(engine.inspector.call("threads.get", { threadId: 1 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
