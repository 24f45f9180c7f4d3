import { Command } from "@langchain/langgraph";
import type { ThreadExport } from "../../shared/contract";
import { human, openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";

let source: TestEngine;
let target: TestEngine;
beforeEach(() => {
  source = openTestEngine();
  target = openTestEngine();
});
afterEach(async () => {
  await source.close();
  await target.close();
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function longThread(turns: number) {
  await source.client.threads.create({ threadId: "long", graphId: "chat", metadata: { case: "bug 17" } });
  for (let i = 0; i < turns; i++) await source.invoke("chat", "long", { messages: [human(`q${i}`, `h-${i}`)] });
}

describe("export and import", () => {
  it("moves a thread to another database, every checkpoint and pending write intact", async () => {
    await longThread(3);
    await source.invoke("review", "long", { messages: [human("review", "h-r")] });
    const file = await source.client.threads.export({ threadId: "long" });
    expect(file).toMatchObject({ format: "threadline.thread", formatVersion: 1, thread: { threadId: "long" } });

    const imported = await target.client.threads.import({ data: clone(file) });
    expect(imported).toMatchObject({ threadId: "long", metadata: { case: "bug 17" }, status: "interrupted" });
    const [a, b] = await Promise.all([source.client.history.tree({ threadId: "long" }), target.client.history.tree({ threadId: "long" })]);
    expect(b.nodes).toEqual(a.nodes);
    for (const node of a.nodes) {
      const args = { threadId: "long", checkpointId: node.checkpointId, checkpointNs: node.checkpointNs, graphId: "chat" };
      expect(await target.client.state.get(args)).toEqual(await source.client.state.get(args));
    }
    // The imported thread resumes like the original.
    await target.invoke("review", "long", new Command({ resume: "ok" }));
    expect(((await target.client.state.get({ threadId: "long" })).values as { note: string }).note).toBe("answer: ok");
  });

  it("stores a growing message list as appends, so the file grows linearly", async () => {
    await longThread(12);
    const file = await source.client.threads.export({ threadId: "long" });
    const messageValues = file.values.filter((v) => v.channel === "messages");
    expect(messageValues.filter((v) => v.appendTo !== undefined).length).toBeGreaterThan(messageValues.length / 2);
    for (const v of messageValues.filter((m) => m.appendTo !== undefined)) {
      expect((v.value.json as unknown[]).length).toBeLessThanOrEqual(2);
    }
    await target.client.threads.import({ data: clone(file), newThreadId: "copy" });
    expect((await target.client.state.get({ threadId: "copy", graphId: "chat" })).values).toEqual(
      (await source.client.state.get({ threadId: "long" })).values,
    );
  });

  it("imports under another id and refuses a taken one, leaving it untouched", async () => {
    await longThread(1);
    const file = clone(await source.client.threads.export({ threadId: "long" }));
    const conflict = await rejection(source.client.threads.import({ data: file }));
    expect(conflict.code).toBe("CONFLICT");
    const again = await source.client.threads.import({ data: file, newThreadId: "long-2" });
    expect(again.threadId).toBe("long-2");
    expect((await source.client.threads.search()).map((t) => t.threadId).sort()).toEqual(["long", "long-2"]);
  });

  it("refuses invalid files with INVALID_ARGUMENT, importing nothing", async () => {
    await longThread(2);
    await target.client.threads.create({ threadId: "existing", metadata: { keep: true } });
    await target.invoke("chat", "existing", { messages: [human("keep me", "k-1")] });
    const existingBefore = await target.client.state.get({ threadId: "existing" });
    const good = clone(await source.client.threads.export({ threadId: "long" }));

    const broken: [string, (f: ThreadExport) => unknown, string][] = [
      ["not an export", () => ({ hello: "world" }), "format"],
      ["a future version", (f) => ({ ...f, formatVersion: 2 }), "formatVersion"],
      ["no checkpoints list", (f) => ({ ...f, checkpoints: undefined }), "checkpoints"],
      ["a missing value", (f) => ({ ...f, values: f.values.slice(1) }), "no value"],
      ["a tampered value", (f) => ({ ...f, values: f.values.map((v) => (v.channel === "note" ? { ...v, value: { type: "json", json: "forged" } } : v)) }), "digest"],
      ["an append to nothing", (f) => ({ ...f, values: f.values.map((v) => (v.appendTo !== undefined ? { ...v, appendTo: "0.missing" } : v)) }), "appends to"],
      ["an unreadable value", (f) => ({ ...f, values: f.values.map((v, i) => (i === 0 ? { ...v, value: { type: "msgpack", base64: "AAAA" } } : v)) }), "cannot be read"],
      ["a dangling parent", (f) => ({ ...f, checkpoints: f.checkpoints.slice(1) }), "parent"],
    ];
    for (const [label, corrupt, mention] of broken) {
      const error = await rejection(target.client.threads.import({ data: corrupt(clone(good)) as ThreadExport, newThreadId: "bad" }));
      expect(error.code, label).toBe("INVALID_ARGUMENT");
      expect(error.message, label).toContain(mention);
    }
    expect((await target.client.threads.search()).map((t) => t.threadId)).toEqual(["existing"]);
    expect(await target.checkpointer.getTuple({ configurable: { thread_id: "bad" } })).toBeUndefined();
    expect(await target.client.state.get({ threadId: "existing" })).toEqual(existingBefore);
  });
});
