// Schemas of an Annotation-based project graph through the engine's contract: the keys at once
// (pending) while its TypeScript types are read in their own thread, the types once read, and a
// run started meanwhile is not held up by the reading.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, dispatch } from "../shared/contract";
import { ThreadlineError } from "../shared/errors";
import { GraphRegistry } from "./graphs/registry";
import type { InspectableGraph } from "./graphs/graph-shape";
import { Inspector } from "./inspector";
import { LocalRunManager } from "./runs/run-manager";
import { SqliteCheckpointer } from "./storage/index";
import { getBreakpoints } from "./storage/runs-table";
import { reviveForGraph } from "./threads/revive";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/projects/typed");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-schemas-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function openEngine(gate: SharedArrayBuffer, includeExamples = false) {
  const checkpointer = new SqliteCheckpointer(path.join(dir, "t.db"));
  const graphs = await GraphRegistry.create({ checkpointer, projectDir: project, includeExamples, typeSchemas: { cacheDir: path.join(dir, "cache"), gate } });
  const inspector = Inspector.local({ checkpointer, graphs, watch: false });
  const db = inspector.source.db;
  inspector.source.setRunManager(
    new LocalRunManager({
      db,
      emit: (event) => inspector.source.emit(event),
      graphs: {
        graph: (id, config) => graphs.forRun(id, config ?? {}) as Promise<InspectableGraph>,
        revive: (_id, value) => reviveForGraph(value),
        breakpoints: (id) => getBreakpoints(db, id),
      },
    }),
  );
  const client = createClient(async (name, args) => {
    try {
      return JSON.parse(JSON.stringify((await dispatch(inspector, name, args)) ?? null));
    } catch (error) {
      throw ThreadlineError.from(error);
    }
  });
  return {
    client,
    graphs,
    async close() {
      graphs.close();
      await inspector.close();
      checkpointer.close();
    },
  };
}

describe("schemas from an Annotation's TypeScript types", () => {
  it("answers the keys while reading, finishes a run started meanwhile first, then answers the types", async () => {
    const gate = new SharedArrayBuffer(4);
    const engine = await openEngine(gate);
    try {
      const { client } = engine;
      const early = (await client.graphs.get({ graphId: "research" })).schemas;
      expect(early.pending).toBe(true);
      expect(early.state).toEqual({ type: "object", properties: expect.objectContaining({ topic: {}, budget: {} }) });

      const order: string[] = [];
      const typed = client.graphs.schemas({ graphId: "research" }).then((schemas) => {
        order.push("schemas");
        return schemas;
      });
      await client.threads.create({ threadId: "t" });
      const run = await client.runs.start({ threadId: "t", graphId: "research", input: { topic: "tides" } });
      const ended = await client.runs.join({ runId: run.runId });
      order.push("run");
      expect(ended.status).toBe("success");
      expect(order).toEqual(["run"]);
      expect((await client.graphs.get({ graphId: "research" })).schemas.pending).toBe(true);

      // Let the worker go (it was blocked in its own thread the whole time).
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const schemas = await typed;
      expect(order).toEqual(["run", "schemas"]);
      expect(schemas.pending).toBeUndefined();
      expect(schemas.input).toMatchObject({ properties: { topic: { type: "string" }, budget: { type: "number" } } });
      expect(schemas.config).toMatchObject({ properties: { model: { type: "string" } } });
      expect((await client.graphs.get({ graphId: "research" })).schemas).toEqual(schemas);
      expect(engine.graphs.typeExtractions).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("answers a zod graph's schemas at once, without reading any types", async () => {
    const engine = await openEngine(new SharedArrayBuffer(4), true);
    try {
      // The gate stays closed: a zod graph's answer must not wait for the type reader.
      const schemas = await engine.client.graphs.schemas({ graphId: "react-agent" });
      expect(schemas.pending).toBeUndefined();
      expect(schemas.input).toMatchObject({ type: "object", properties: { messages: { type: "array" } } });
      expect(engine.graphs.typeExtractions).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
