// The engine gives a project's graphs one store shared by every thread, as `langgraph dev` does: a
// memory graph's second thread for the same user recalls what the first thread stored, the run's
// store writes are in its event log, and the contract's store.* calls see the same items.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallArgs, CallName, CallResult, EngineServer } from "../../shared/contract";
import { dispatch } from "../../shared/contract";
import type { EngineEvent } from "../../shared/events";
import { tempDir } from "../storage/test-helpers";
import { createEngine } from "../worker/default-engine";
import type { Engine } from "../worker/protocol";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/projects/memory");
const dir = tempDir("threadline-memory-");
const events: EngineEvent[] = [];
let engine: Engine;

async function call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
  return (await dispatch(engine.server as EngineServer, name, args)) as CallResult<N>;
}

async function run(threadId: string, graphId: string, input: unknown, config: Record<string, unknown> = {}) {
  await call("threads.create", { threadId, ifExists: "do_nothing" });
  const started = await call("runs.start", { threadId, graphId, input: input as never, config: config as never });
  const finished = await call("runs.join", { runId: started.runId });
  expect(finished.error).toBeNull();
  const state = await call("state.get", { threadId });
  return { run: finished, values: state.values as Record<string, unknown> };
}

beforeAll(async () => {
  engine = await createEngine(
    { dbFile: dir.file("threads.db"), projectDir: fixture, owner: "test:1", deadOwners: [], restartReason: null },
    (event) => events.push(event),
  );
}, 60_000);

afterAll(async () => {
  await engine?.close();
  dir.remove();
});

describe("a memory graph on the engine's store", () => {
  it("lists only the project's graphs, with the store's semantic search on", async () => {
    const { graphs, failures } = await call("graphs.list", {});
    expect(failures).toEqual([]);
    expect(graphs.map((g) => g.id)).toEqual(["memory", "configured"]);
    expect(await call("store.info", {})).toEqual({ semanticSearch: true, indexedFields: ["text"], defaultTtlMinutes: null });
  });

  it("recalls in a second thread what the first thread of the same user stored, and nothing of another user", async () => {
    const first = await run("thread-1", "memory", { user: "ada", message: "I like green tea" });
    expect(first.values).toMatchObject({ recalled: [], known: 1 });
    const second = await run("thread-2", "memory", { user: "ada", message: "what tea do I like?" });
    expect(second.values).toMatchObject({ recalled: ["I like green tea"], known: 2 });
    const other = await run("thread-3", "memory", { user: "bob", message: "hello" });
    expect(other.values).toMatchObject({ recalled: [], known: 1 });

    // The run's store write is in its event log.
    const writes = events.filter((e) => e.type === "store.write" && e.runId === first.run.runId);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ writes: [{ op: "put", namespace: ["memories", "ada"], value: { text: "I like green tea" } }] });

    // The contract sees the same store.
    expect(await call("store.listNamespaces", {})).toEqual([["memories", "ada"], ["memories", "bob"]]);
    const found = await call("store.search", { namespacePrefix: ["memories"], query: "green tea" });
    expect(found[0]).toMatchObject({ namespace: ["memories", "ada"], value: { text: "I like green tea" } });
    expect(found[0]!.score).toBeGreaterThan(found[found.length - 1]!.score!);
  });

  it("calls a graph factory for each run with that run's config", async () => {
    const plain = await run("f-1", "configured", { question: "why?" });
    expect(plain.values.answer).toBe("default-model answers why?");
    const chosen = await run("f-2", "configured", { question: "why?" }, { configurable: { model: "big-model" } });
    expect(chosen.values.answer).toBe("big-model answers why?");
  });

  it("refuses store calls LangGraph forbids, writing nothing", async () => {
    await expect(call("store.put", { namespace: ["a.b"], key: "k", value: { x: 1 } })).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/period/) });
    await expect(call("store.put", { namespace: ["langgraph"], key: "k", value: { x: 1 } })).rejects.toMatchObject({ message: expect.stringMatching(/reserved/) });
    await expect(call("store.put", { namespace: [], key: "k", value: { x: 1 } })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(call("store.put", { namespace: ["ok"], key: "k", value: { $type: "function", name: "f" } as never })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await call("store.listNamespaces", { prefix: ["ok"] })).toEqual([]);
  });
});
