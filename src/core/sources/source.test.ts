// The source seam: what the UI learns through `source.info`, and how the Inspector serves a source
// that has only the reads (as an opened, read-only checkpoint store will).
import { createClient, dispatch } from "../../shared/contract";
import { ThreadlineError } from "../../shared/errors";
import { unavailable, type SourceInfo } from "../../shared/sources";
import { Inspector } from "../inspector";
import { human, openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";
import type { Source } from "./source";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

/** The local source's reads and nothing else, described as a read-only store. */
function readOnlyView(): Source {
  const local = engine.inspector.source;
  const readOnly = unavailable("the store is opened read-only");
  const info: SourceInfo = {
    kind: "store",
    label: "/data/checkpoints.sqlite",
    capabilities: { graphs: unavailable("a checkpoint store has no graphs"), edits: readOnly, imports: readOnly, runs: readOnly, console: readOnly, timings: readOnly, live: readOnly, memory: unavailable("a checkpoint store has no LangGraph store") },
  };
  return { info: () => info, reads: local.reads, subscribe: () => () => undefined, close: async () => undefined };
}

const clientOf = (inspector: Inspector) =>
  createClient(async (name, args) => {
    try {
      return await dispatch(inspector, name, args);
    } catch (error) {
      throw ThreadlineError.from(error);
    }
  });

describe("source.info", () => {
  it("describes the local engine: its database, and runs unavailable until a run manager is wired", async () => {
    const info = await engine.client.source.info();
    expect(info.kind).toBe("local");
    expect(info.label).toBe(engine.file);
    expect(info.capabilities.edits).toEqual({ available: true });
    expect(info.capabilities.live).toEqual({ available: true });
    expect(info.capabilities.runs).toEqual({ available: false, reason: "this engine has no run manager" });
    expect(info.capabilities.memory).toEqual({ available: false, reason: "this engine has no store" });
  });
});

describe("a source with only the reads", () => {
  it("answers threads, history, tree, state and a diff built from two of its states", async () => {
    await engine.invoke("chat", "t", { messages: [human("hi", "h-1")] });
    const client = clientOf(new Inspector(readOnlyView(), { project: { dir: null, dbFile: engine.file } }));
    expect((await client.threads.search()).map((t) => t.threadId)).toEqual(["t"]);
    const page = await client.history.page({ threadId: "t" });
    expect(page.items.length).toBeGreaterThan(1);
    expect((await client.history.tree({ threadId: "t" })).nodes.length).toBe(page.items.length);
    const head = page.items[0]!.checkpointId;
    const diff = await client.diff.get({ threadId: "t", to: head });
    expect(diff.to.checkpointId).toBe(head);
    expect(diff).toEqual(await engine.client.diff.get({ threadId: "t", to: head }));
    expect((await client.source.info()).kind).toBe("store");
  });

  it("refuses what it cannot do with UNAVAILABLE and the reason its info gives, before touching anything", async () => {
    await engine.client.threads.create({ threadId: "t" });
    const client = clientOf(new Inspector(readOnlyView()));
    for (const [call, reason] of [
      [client.threads.delete({ threadId: "t" }), "the store is opened read-only"],
      [client.state.update({ threadId: "t", values: { note: "x" } }), "the store is opened read-only"],
      [client.runs.start({ threadId: "t", graphId: "chat" }), "the store is opened read-only"],
      [client.graphs.list(), "a checkpoint store has no graphs"],
      [client.history.apiStates({ threadId: "t" }), "this source does not answer history.apiStates"],
    ] as const) {
      const error = await rejection(call);
      expect(error.code).toBe("UNAVAILABLE");
      expect(error.message).toContain(reason);
    }
    expect((await engine.client.threads.get({ threadId: "t" })).threadId).toBe("t");
  });
});
