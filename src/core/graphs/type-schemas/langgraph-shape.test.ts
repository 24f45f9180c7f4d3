// Our schemas against what langgraph dev's own extractor wrote for the same graphs (recorded in
// test/fixtures/projects/typed/langgraph-dev-schemas.json: running it takes 30-60 s). Every key must
// match, up to the order of enum and anyOf members, except the differences listed here, which the
// README lists word for word.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractSchemas } from "./extract";
import type { KeySets } from "./types";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const project = path.join(root, "test/fixtures/projects/typed");
const recorded = JSON.parse(readFileSync(path.join(project, "langgraph-dev-schemas.json"), "utf8")) as {
  graphs: Record<string, Record<string, { properties?: Record<string, unknown> } & Record<string, unknown>>>;
};

/** What differs from langgraph dev on purpose, by kind of type, with why (as in the README). */
export const SCHEMA_DIFFERENCES = {
  objects:
    "A list of objects: `langgraph dev` refers to a definition in which the objects' fields have lost their types (`{url: any, …}`); Threadline writes the object in place, with its fields' types.",
  record: "A record: `langgraph dev` refers to a definition; Threadline writes `{type: \"object\", additionalProperties: …}` in place.",
  date: "A `Date`: `langgraph dev` refers to a definition listing Date's methods; Threadline writes `{type: \"string\", format: \"date-time\"}`, what a Date becomes in JSON.",
  messages:
    "Messages: `langgraph dev` refers to definitions of LangChain's message classes (hundreds of lines); Threadline writes one message object, `content` with a `role` or `type`, that a form can be built from.",
};

/** The kind of each fixture key that differs. */
const KIND: Record<string, keyof typeof SCHEMA_DIFFERENCES> = {
  sources: "objects",
  scores: "record",
  started: "date",
  messages: "messages",
  history: "messages",
  seen: "messages",
};

const keys: Record<string, KeySets> = {
  research: { state: ["topic", "budget", "depth", "sources", "notes", "scores", "pair", "started", "done"], config: [], messages: [] },
  chat: { state: ["messages", "summary", "history", "seen"], config: [], messages: ["messages", "history"] },
};

/** The same schema up to the order of enum and anyOf members. */
function normal(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(normal);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, (key === "enum" || key === "anyOf") && Array.isArray(value) ? value.map(normal).map((v) => JSON.stringify(v)).sort() : normal(value)]),
  );
}

describe("schemas in langgraph dev's shape", () => {
  const ids = Object.keys(recorded.graphs);
  const used: string[] = [];
  const ours = extractSchemas({ graphs: ids.map((id) => ({ id, file: path.join(project, "src", `${id}.ts`), keys: keys[id]! })) });

  it.each(ids)("%s: the same roles, root fields and keys; each key the same but the listed differences", (id) => {
    const graph = ours.graphs[id];
    if (!graph || "error" in graph) throw new Error(`no schemas for ${id}`);
    const differing = new Set<string>();
    for (const [role, theirs] of Object.entries(recorded.graphs[id]!)) {
      const mine = graph.schemas[role as keyof typeof graph.schemas] as { properties?: Record<string, unknown> } & Record<string, unknown>;
      expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).filter((k) => k !== "definitions").sort());
      expect(Object.keys(mine.properties ?? {}).sort()).toEqual(Object.keys(theirs.properties ?? {}).sort());
      for (const [key, schema] of Object.entries(theirs.properties ?? {})) {
        if (JSON.stringify(schema).includes('"$ref"')) differing.add(key);
        else expect({ [key]: normal(mine.properties![key]) }).toEqual({ [key]: normal(schema) });
      }
    }
    for (const key of differing) expect(KIND).toHaveProperty([key]);
    used.push(...[...differing].map((key) => KIND[key]!));
  });

  it("uses every allowed difference (none is left over)", () => {
    expect([...new Set(used)].sort()).toEqual(Object.keys(SCHEMA_DIFFERENCES).sort());
  });

  it("lists every allowed difference in the README, word for word", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    for (const text of Object.values(SCHEMA_DIFFERENCES)) expect(readme).toContain(text);
  });
});
