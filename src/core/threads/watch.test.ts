import { SqliteCheckpointer } from "../storage/index";
import { buildChat, human, openTestEngine, type TestEngine } from "../../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

describe("live watch of other writers", () => {
  it("emits threads.changed naming the threads another process wrote", async () => {
    expect(engine.inspector.source.checkExternalChanges()).toBe(false);
    // A user's own app: its own connection and checkpointer on the same file.
    const other = new SqliteCheckpointer(engine.file);
    try {
      await buildChat().compile({ checkpointer: other }).invoke({ messages: [human("hi")] }, { configurable: { thread_id: "theirs" } });
    } finally {
      other.close();
    }
    expect(engine.inspector.source.checkExternalChanges()).toBe(true);
    const event = engine.events.findLast((e) => e.type === "threads.changed");
    expect(event).toMatchObject({ type: "threads.changed", source: "external", threadIds: ["theirs"] });
    expect((await engine.client.threads.search()).map((t) => t.threadId)).toContain("theirs");
    // Our own writes are not reported as another process's.
    await engine.client.threads.create({ threadId: "ours" });
    expect(engine.inspector.source.checkExternalChanges()).toBe(false);
  });

  it("polls on its own when started", async () => {
    const watched = openTestEngine({ watch: true, file: engine.file });
    try {
      const seen = new Promise((resolve) => watched.inspector.subscribe((e) => e.type === "threads.changed" && resolve(e)));
      await engine.invoke("chat", "from-engine-a", { messages: [human("hi")] });
      expect(await seen).toMatchObject({ source: "external", threadIds: ["from-engine-a"] });
    } finally {
      await watched.close();
    }
  });
});
