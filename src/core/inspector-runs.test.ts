// The Inspector with the real run manager behind runs.*: thread status as runs
// start, stop at breakpoints and interrupts, fail, and are resumed.
import { LocalRunManager } from "./runs/run-manager";
import type { InspectableGraph } from "./graphs/graph-shape";
import { getBreakpoints } from "./storage/runs-table";
import { reviveForGraph } from "./threads/revive";
import { openTestEngine, rejection, type TestEngine, type TestGraphId } from "../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
  const db = engine.inspector.source.db;
  engine.inspector.source.setRunManager(
    new LocalRunManager({
      db,
      emit: (event) => engine.inspector.source.emit(event),
      graphs: {
        graph: (id) => engine.graphs.compiled[id as TestGraphId] as unknown as InspectableGraph,
        revive: (_id, value) => reviveForGraph(value),
        breakpoints: (id) => getBreakpoints(db, id),
      },
    }),
  );
});
afterEach(async () => {
  await engine.close();
});

describe("thread status with runs", () => {
  it("is interrupted at an interrupt(), then idle after resuming, and records the graph", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "t" });
    const run = await client.runs.start({ threadId: "t", graphId: "review", input: { messages: [] } });
    expect((await client.runs.join({ runId: run.runId })).status).toBe("interrupted");
    const waiting = await client.threads.get({ threadId: "t" });
    expect(waiting).toMatchObject({ status: "interrupted", graphId: "review" });
    expect(waiting.interrupts[0]?.value).toEqual({ question: "approve?" });
    const resumed = await client.runs.start({ threadId: "t", graphId: "review", command: { resume: "yes" } });
    expect((await client.runs.join({ runId: resumed.runId })).status).toBe("success");
    expect((await client.threads.get({ threadId: "t" })).status).toBe("idle");
    expect(((await client.state.get({ threadId: "t" })).values as { note: string }).note).toBe("answer: yes");
  });

  it("is interrupted at a saved breakpoint, and error after a failed run", async () => {
    const { client } = engine;
    await client.breakpoints.set({ graphId: "review", before: ["ask"], after: [] });
    await client.threads.create({ threadId: "b" });
    const run = await client.runs.start({ threadId: "b", graphId: "review", input: { messages: [] } });
    await client.runs.join({ runId: run.runId });
    expect((await client.threads.get({ threadId: "b" })).status).toBe("interrupted");
    expect((await client.state.get({ threadId: "b" })).next).toEqual(["ask"]);

    await client.threads.create({ threadId: "f" });
    const failed = await client.runs.start({ threadId: "f", graphId: "failing", input: { messages: [] } });
    const ended = await client.runs.join({ runId: failed.runId });
    expect(ended.status).toBe("error");
    expect(ended.error).toMatchObject({ className: "RangeError", message: "the user's bug" });
    expect((await client.threads.get({ threadId: "f" })).status).toBe("error");
    expect((await client.state.get({ threadId: "f" })).tasks[0]?.error).toMatchObject({ message: "the user's bug" });
  });

  it("creates the thread on demand when asked, and refuses unknown threads and graphs otherwise", async () => {
    const { client } = engine;
    expect((await rejection(client.runs.start({ threadId: "new", graphId: "chat" }))).code).toBe("NOT_FOUND");
    expect((await rejection(client.runs.start({ threadId: "new", graphId: "nope", ifNotExists: "create" }))).code).toBe("NOT_FOUND");
    const run = await client.runs.start({ threadId: "new", graphId: "chat", input: { messages: [] }, ifNotExists: "create" });
    await client.runs.join({ runId: run.runId });
    expect(await client.threads.get({ threadId: "new" })).toMatchObject({ status: "idle", graphId: "chat" });
    expect((await client.runs.list({ threadId: "new" })).map((r) => r.runId)).toEqual([run.runId]);
  });

  it("deletes a thread with its runs", async () => {
    const { client } = engine;
    await client.threads.create({ threadId: "d" });
    const run = await client.runs.start({ threadId: "d", graphId: "chat", input: { messages: [] } });
    await client.runs.join({ runId: run.runId });
    await client.threads.delete({ threadId: "d" });
    expect((await rejection(client.runs.get({ runId: run.runId }))).code).toBe("NOT_FOUND");
  });
});
