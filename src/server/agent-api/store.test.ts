// The store routes over a real engine (the memory fixture project, whose langgraph.json indexes the
// store): what the SDK's client.store.* sends, and what it gets back, including search by meaning.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch, type EngineServer } from "../../shared/contract";
import { createEngine } from "../../core/worker/default-engine";
import type { Engine } from "../../core/worker/protocol";
import { tempDir } from "../../core/storage/test-helpers";
import { createAgentApi } from "./index";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/projects/memory");
const dir = tempDir("threadline-store-api-");
let engine: Engine;
let app: ReturnType<typeof createAgentApi>;

const send = (method: string, url: string, body?: unknown) =>
  app.request(url, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });

beforeAll(async () => {
  engine = await createEngine({ dbFile: dir.file("t.db"), projectDir: fixture, owner: "test:1", deadOwners: [], restartReason: null }, () => undefined);
  app = createAgentApi({ invoke: (name, args) => dispatch(engine.server as EngineServer, name, args), onEvent: () => () => undefined });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  dir.remove();
});

describe("the Agent Server API's store", () => {
  it("puts, gets, searches by filter and by meaning, lists namespaces and deletes, in LangGraph's wire shapes", async () => {
    expect((await send("PUT", "/store/items", { namespace: ["notes", "ada"], key: "tea", value: { text: "green tea every morning", n: 1 } })).status).toBe(204);
    await send("PUT", "/store/items", { namespace: ["notes", "ada"], key: "rust", value: { text: "writes rust on weekends", n: 2 } });
    await send("PUT", "/store/items", { namespace: ["notes", "bob"], key: "x", value: { text: "no index", n: 3 }, index: false, ttl: 60 });

    const got = (await (await send("GET", "/store/items?namespace=notes.ada&key=tea")).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ namespace: ["notes", "ada"], key: "tea", value: { text: "green tea every morning", n: 1 } });
    expect(got.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await (await send("GET", "/store/items?namespace=notes.ada&key=none")).json()).toBeNull();

    const filtered = (await (await send("POST", "/store/items/search", { namespace_prefix: ["notes"], filter: { n: { $gte: 2 } } })).json()) as { items: { key: string; score?: number }[] };
    expect(filtered.items.map((i) => i.key)).toEqual(["rust", "x"]);
    expect(filtered.items[0]).not.toHaveProperty("score");

    const byMeaning = (await (await send("POST", "/store/items/search", { namespace_prefix: ["notes"], query: "green tea" })).json()) as { items: { key: string; score?: number }[] };
    expect(byMeaning.items.map((i) => i.key)).toEqual(["tea", "rust", "x"]);
    expect(byMeaning.items[0]!.score).toBeGreaterThan(byMeaning.items[1]!.score!);
    expect(byMeaning.items[2]).not.toHaveProperty("score"); // put with index: false

    expect(await (await send("POST", "/store/namespaces", { prefix: ["notes"], max_depth: 2 })).json()).toEqual({ namespaces: [["notes", "ada"], ["notes", "bob"]] });
    expect((await send("DELETE", "/store/items", { namespace: ["notes", "ada"], key: "tea" })).status).toBe(204);
    expect(await (await send("GET", "/store/items?namespace=notes.ada&key=tea")).json()).toBeNull();
  });

  it("refuses what langgraph dev refuses, and what LangGraph's store forbids, writing nothing", async () => {
    expect((await send("PUT", "/store/items", { namespace: [], key: "k", value: { a: 1 } })).status).toBe(400);
    expect((await send("PUT", "/store/items", { namespace: ["a", ""], key: "k", value: { a: 1 } })).status).toBe(422);
    const reserved = await send("PUT", "/store/items", { namespace: ["langgraph"], key: "k", value: { a: 1 } });
    expect(reserved.status).toBe(422);
    expect(((await reserved.json()) as { message: string }).message).toMatch(/reserved/);
    expect((await send("PUT", "/store/items", { namespace: ["a"], key: "k", value: [1] })).status).toBe(422);
    expect(await (await send("POST", "/store/namespaces", { prefix: ["langgraph"] })).json()).toEqual({ namespaces: [] });
    expect(await (await send("POST", "/store/namespaces", { prefix: ["a"] })).json()).toEqual({ namespaces: [] });
  });
});
