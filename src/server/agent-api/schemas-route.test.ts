// getSchemas over the default engine on the typed fixture project: an Annotation graph's input,
// output, state and config schemas come typed from its TypeScript source (the route waits for them).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch, type EngineServer } from "../../shared/contract";
import { createEngine } from "../../core/worker/default-engine";
import type { Engine } from "../../core/worker/protocol";
import { tempDir } from "../../core/storage/test-helpers";
import { createAgentApi } from "./index";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/projects/typed");
const dir = tempDir("threadline-schemas-api-");
let engine: Engine;
let app: ReturnType<typeof createAgentApi>;
const previousCache = process.env.THREADLINE_CACHE_DIR;

beforeAll(async () => {
  process.env.THREADLINE_CACHE_DIR = dir.file("cache");
  engine = await createEngine({ dbFile: dir.file("t.db"), projectDir: fixture, owner: "test:1", deadOwners: [], restartReason: null }, () => undefined);
  app = createAgentApi({ invoke: (name, args) => dispatch(engine.server as EngineServer, name, args), onEvent: () => () => undefined });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  if (previousCache === undefined) delete process.env.THREADLINE_CACHE_DIR;
  else process.env.THREADLINE_CACHE_DIR = previousCache;
  dir.remove();
});

const schemasOf = async (graphId: string) => (await (await app.request(`/assistants/${graphId}/schemas`)).json()) as Record<string, Record<string, unknown> | null>;

describe("getSchemas of Annotation graphs", () => {
  it("answers typed input, output, state and config schemas as langgraph dev shapes them", async () => {
    const schemas = await schemasOf("research");
    expect(schemas.graph_id).toBe("research");
    const draft07 = "http://json-schema.org/draft-07/schema#";
    expect(schemas.input_schema).toMatchObject({ type: "object", $schema: draft07, properties: { topic: { type: "string" }, budget: { type: "number" } } });
    expect(schemas.state_schema).toMatchObject({ properties: { sources: { type: "array", items: { type: "object", properties: { url: { type: "string" } } } } } });
    expect(schemas.output_schema).toMatchObject({ properties: { notes: { type: "array", items: { type: "string" } } } });
    expect(schemas.config_schema).toEqual({ type: "object", properties: { model: { type: "string" } }, $schema: draft07 });
    expect(schemas.context_schema).toBeNull();
  });

  it("gives a messages channel a list of message objects", async () => {
    const schemas = await schemasOf("chat");
    expect((schemas.input_schema!.properties as Record<string, unknown>).messages).toMatchObject({
      type: "array",
      items: { type: "object", properties: { content: { type: "string" } } },
    });
  });

  it("answers a graph whose file has a type error", async () => {
    const schemas = await schemasOf("broken");
    expect(schemas.input_schema).toMatchObject({ properties: { count: { type: "number" }, label: { type: "string" } } });
  });
});

describe("getSubgraphs of an Annotation graph", () => {
  it("gives an Annotation subgraph's schemas typed from its source", async () => {
    const subgraphs = (await (await app.request("/assistants/nested/subgraphs")).json()) as Record<string, Record<string, { properties: object } | null>>;
    expect(Object.keys(subgraphs)).toEqual(["inner"]);
    expect(subgraphs.inner!.state).toMatchObject({ properties: { query: { type: "string" }, hits: { type: "array", items: { type: "number" } } } });
    expect(Object.keys(subgraphs.inner!.input!.properties).sort()).toEqual(["hits", "query"]);
    expect(subgraphs.inner!.output).toMatchObject({ properties: { hits: { type: "array" } } });
  });
});
