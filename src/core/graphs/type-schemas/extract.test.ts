// The type reader on the typed fixture project, in this thread: what a form needs from each
// Annotation key's written type, messages, config, and a file that does not type-check.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractSchemas } from "./extract";
import type { KeySets } from "./types";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../test/fixtures/projects/typed/src");
const file = (name: string) => path.join(project, name);

const researchKeys: KeySets = {
  state: ["topic", "budget", "depth", "sources", "notes", "scores", "pair", "started", "done"],
  output: ["topic", "budget", "depth", "sources", "notes", "scores", "pair", "started", "done"],
  config: [],
  messages: [],
};

function propertiesOf(schema: unknown): Record<string, Record<string, unknown>> {
  return (schema as { properties: Record<string, Record<string, unknown>> }).properties;
}

describe("extractSchemas", () => {
  const result = extractSchemas({
    graphs: [
      { id: "research", file: file("research.ts"), keys: researchKeys },
      { id: "chat", file: file("chat.ts"), keys: { state: ["messages", "summary", "history", "seen"], config: [], messages: ["messages"] } },
      { id: "broken", file: file("broken.ts"), keys: { state: ["count", "label"], config: [], messages: [] } },
    ],
  });
  const schemas = (id: string) => {
    const graph = result.graphs[id];
    if (!graph || "error" in graph) throw new Error(`no schemas for ${id}: ${JSON.stringify(graph)}`);
    return graph.schemas;
  };

  it("types every key of an Annotation state, following spreads and relative imports", () => {
    const state = propertiesOf(schemas("research").state);
    expect(state.topic).toEqual({ type: "string" });
    expect(state.budget).toEqual({ type: "number" });
    expect(state.done).toEqual({ type: "boolean" });
    expect(state.depth).toEqual({ type: "string", enum: ["shallow", "deep"] });
    expect(state.sources).toEqual({
      type: "array",
      items: {
        type: "object",
        properties: { url: { type: "string" }, score: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
      },
    });
    expect(state.scores).toEqual({ type: "object", additionalProperties: { type: "number" } });
    expect(state.pair).toEqual({ type: "array", items: [{ type: "string" }, { type: "number" }], minItems: 2, maxItems: 2 });
    expect(state.started).toEqual({ type: "string", format: "date-time" });
    expect(schemas("research").state).toMatchObject({ type: "object", $schema: "http://json-schema.org/draft-07/schema#" });
    expect(schemas("research").state).not.toHaveProperty("required");
  });

  it("gives the update type to input and state and the value type to output, as langgraph dev does", () => {
    // notes: a reducer typed only by its parameters, (left: string[], right: string | string[]).
    expect(propertiesOf(schemas("research").input).notes).toEqual({ anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] });
    expect(propertiesOf(schemas("research").output).notes).toEqual({ type: "array", items: { type: "string" } });
  });

  it("reads the config root given to new StateGraph(State, Config)", () => {
    expect(propertiesOf(schemas("research").config)).toEqual({ model: { type: "string" } });
  });

  it("gives messages channels a list of role/content objects", () => {
    const state = propertiesOf(schemas("chat").state);
    for (const key of ["messages", "history", "seen"]) {
      expect(state[key]).toMatchObject({ type: "array", langgraph_type: "messages", items: { type: "object", required: ["content"] } });
    }
    expect(state.summary).toEqual({ type: "string" });
    expect(schemas("chat").config).toEqual({ type: "object", $schema: "http://json-schema.org/draft-07/schema#" });
  });

  it("still reads a file with a type error", () => {
    expect(propertiesOf(schemas("broken").state)).toEqual({ count: { type: "number" }, label: { type: "string" } });
  });

  it("names every file it read, with the hash of what it read, and no package", () => {
    expect(Object.keys(result.files).sort()).toEqual(["broken.ts", "chat.ts", "research.ts", "shapes.ts"].map(file));
    for (const hash of Object.values(result.files)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("says which file it could not read", () => {
    const missing = extractSchemas({ graphs: [{ id: "gone", file: file("gone.ts"), keys: researchKeys }] });
    expect(missing.graphs.gone).toEqual({ error: `could not read ${file("gone.ts")}` });
  });
});
