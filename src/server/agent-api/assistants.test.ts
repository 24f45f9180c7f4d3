// Assistants over a real engine (the memory fixture project, whose "configured" graph is a factory
// that answers with the `model` of its configurable): what the SDK's client.assistants.* sends, what
// it gets back, and that runs take the assistant's config, version by version.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch, type EngineServer } from "../../shared/contract";
import { assistantIdOf } from "../../core/agent-api/ids";
import { createEngine } from "../../core/worker/default-engine";
import type { Engine } from "../../core/worker/protocol";
import { tempDir } from "../../core/storage/test-helpers";
import { createAgentApi } from "./index";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/projects/memory");
const dir = tempDir("threadline-assistants-api-");
let engine: Engine;
let app: ReturnType<typeof createAgentApi>;

async function open(): Promise<void> {
  engine = await createEngine({ dbFile: dir.file("t.db"), projectDir: fixture, owner: "test:1", deadOwners: [], restartReason: null }, () => undefined);
  app = createAgentApi({ invoke: (name, args) => dispatch(engine.server as EngineServer, name, args), onEvent: () => () => undefined });
}

const send = (method: string, url: string, body?: unknown) =>
  app.request(url, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
const json = async (method: string, url: string, body?: unknown) => (await (await send(method, url, body)).json()) as Record<string, unknown> & Record<number, unknown>;
const answer = async (assistantId: string, question: string) =>
  ((await json("POST", "/runs/wait", { assistant_id: assistantId, input: { question } })) as { answer: string }).answer;

beforeAll(open, 60_000);

afterAll(async () => {
  await engine?.close();
  dir.remove();
});

describe("the Agent Server API's assistants", () => {
  let custom: string;

  it("has each graph's default assistant under the id LangGraph's server derives from the graph id", async () => {
    const found = (await json("POST", "/assistants/search", {})) as unknown as { assistant_id: string; graph_id: string; metadata: object; version: number }[];
    expect(found.map((a) => a.graph_id).sort()).toEqual(["configured", "memory"]);
    // uuid5("memory", 6ba7b821-9dad-11d1-80b4-00c04fd430c8), as python's uuid.uuid5 computes it.
    expect(found.find((a) => a.graph_id === "memory")!.assistant_id).toBe("fc2a1dd9-e0f4-5a20-b310-5cc78c75000e");
    for (const a of found) expect(a).toMatchObject({ assistant_id: assistantIdOf(a.graph_id), metadata: { created_by: "system" }, version: 1 });
    expect(await json("GET", "/assistants/configured")).toMatchObject({ assistant_id: assistantIdOf("configured"), name: "configured", config: {}, context: {} });
  });

  it("creates one with its config and metadata, refuses a second with the same id, and runs take its config", async () => {
    const created = await json("POST", "/assistants", { graph_id: "configured", config: { configurable: { model: "big" } }, metadata: { team: "a" }, name: "Big" });
    custom = created.assistant_id as string;
    expect(created).toMatchObject({ graph_id: "configured", name: "Big", version: 1, description: null, metadata: { team: "a" } });
    expect(await json("GET", `/assistants/${custom}`)).toEqual(created);
    const again = await send("POST", "/assistants", { assistant_id: custom, graph_id: "configured" });
    expect(again.status).toBe(409);
    expect(await json("POST", "/assistants", { assistant_id: custom, graph_id: "memory", if_exists: "do_nothing" })).toEqual(created);
    expect(await answer(custom, "why")).toBe("big answers why");
    expect(await answer("configured", "why")).toBe("default-model answers why");
  });

  it("records the assistant a run was started with on the run and its thread, with the assistant's metadata", async () => {
    const thread = await json("POST", "/threads", {});
    const run = await json("POST", `/threads/${thread.thread_id as string}/runs`, { assistant_id: custom, input: { question: "q" } });
    expect(run).toMatchObject({ assistant_id: custom, metadata: { team: "a", assistant_id: custom, graph_id: "configured" } });
    await send("GET", `/threads/${thread.thread_id as string}/runs/${run.run_id as string}/join`);
    expect(await json("GET", `/threads/${thread.thread_id as string}`)).toMatchObject({
      metadata: { assistant_id: custom },
      config: { configurable: { model: "big" } },
    });
  });

  it("patches into a new version, lists versions newest first, and sets an older one as the latest", async () => {
    const patched = await json("PATCH", `/assistants/${custom}`, { config: { configurable: { model: "small" } }, metadata: { stage: "beta" } });
    expect(patched).toMatchObject({ version: 2, metadata: { team: "a", stage: "beta" }, name: "Big" });
    expect(await answer(custom, "how")).toBe("small answers how");
    const versions = (await json("POST", `/assistants/${custom}/versions`, {})) as unknown as { version: number; config: object }[];
    expect(versions.map((v) => [v.version, v.config])).toEqual([
      [2, { configurable: { model: "small" } }],
      [1, { configurable: { model: "big" } }],
    ]);
    expect(((await json("POST", `/assistants/${custom}/versions`, { metadata: { stage: "beta" } })) as unknown as unknown[]).length).toBe(1);
    expect(await json("POST", `/assistants/${custom}/latest`, { version: 1 })).toMatchObject({ version: 1, metadata: { team: "a" } });
    expect(await answer(custom, "now")).toBe("big answers now");
    expect((await send("POST", `/assistants/${custom}/latest`, { version: 9 })).status).toBe(404);
  });

  it("searches by graph, metadata and name, sorted and paged as the SDK asks, and counts", async () => {
    await json("POST", "/assistants", { graph_id: "memory", name: "Another", metadata: { team: "b" } });
    const names = async (body: object) => ((await json("POST", "/assistants/search", body)) as unknown as { name: string }[]).map((a) => a.name);
    expect(await names({ graph_id: "configured", sort_by: "name", sort_order: "asc" })).toEqual(["Big", "configured"]);
    expect(await names({ metadata: { team: "a" } })).toEqual(["Big"]);
    expect(await names({ name: "anoth" })).toEqual(["Another"]);
    // By name, descending (code points: lower case after upper), the second and third.
    expect(await names({ sort_by: "name", sort_order: "desc", limit: 2, offset: 1 })).toEqual(["configured", "Big"]);
    const page = await send("POST", "/assistants/search", { sort_by: "name", limit: 2 });
    expect(page.headers.get("x-pagination-total")).toBe("4");
    expect(page.headers.get("x-pagination-next")).toBe("2");
    const selected = (await json("POST", "/assistants/search", { graph_id: "memory", select: ["assistant_id", "name"] })) as unknown as object[];
    for (const a of selected) expect(Object.keys(a).sort()).toEqual(["assistant_id", "name"]);
    expect(await json("POST", "/assistants/count", {})).toBe(4);
    expect(await json("POST", "/assistants/count", { graph_id: "configured", metadata: { team: "a" } })).toBe(1);
  });

  it("refuses an unknown graph, a malformed id and an unknown assistant, saying which", async () => {
    const unknownGraph = await send("POST", "/assistants", { graph_id: "nope" });
    expect(unknownGraph.status).toBe(404);
    expect(((await unknownGraph.json()) as { message: string }).message).toMatch(/nope/);
    const badId = await send("POST", "/assistants", { graph_id: "memory", assistant_id: "not-a-uuid" });
    expect(badId.status).toBe(422);
    expect(((await badId.json()) as { message: string }).message).toMatch(/assistant_id/);
    expect((await send("GET", "/assistants/7c1e2a47-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await send("POST", "/runs/wait", { assistant_id: "7c1e2a47-0000-4000-8000-000000000000", input: {} })).status).toBe(404);
  });

  it("keeps assistants and their versions across a restart, and deletes one with its threads", async () => {
    await engine.close();
    await open();
    expect(await json("GET", `/assistants/${custom}`)).toMatchObject({ name: "Big", version: 1 });
    expect(((await json("POST", `/assistants/${custom}/versions`, {})) as unknown as unknown[]).length).toBe(2);
    const thread = await json("POST", "/threads", {});
    await json("POST", `/threads/${thread.thread_id as string}/runs/wait`, { assistant_id: custom, input: { question: "bye" } });
    expect(await json("DELETE", `/assistants/${custom}?delete_threads=true`)).toEqual([custom]);
    expect((await send("GET", `/assistants/${custom}`)).status).toBe(404);
    expect((await send("POST", `/assistants/${custom}/versions`, {})).status).toBe(404);
    expect((await send("GET", `/threads/${thread.thread_id as string}`)).status).toBe(404);
  });
});
