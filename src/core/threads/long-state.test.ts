// Reads that keep a long thread cheap: the oldest page of its history in one read, a state whose long
// lists come as their newest elements, a diff sent a window at a time with the counts of the whole.
import type { JsonObject } from "../../shared/encoding";
import { human, openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

/** Five turns of the chat graph: 11 checkpoints, 10 messages at the head. */
async function fiveTurns(threadId = "t") {
  await engine.client.threads.create({ threadId, graphId: "chat" });
  for (let i = 1; i <= 5; i++) await engine.invoke("chat", threadId, { messages: [human(`q${i}`, `h-${i}`)] });
}

describe("long threads", () => {
  it("reads the oldest page of the history in one call, newest first, with nothing before it", async () => {
    await fiveTurns();
    const all = await engine.client.history.page({ threadId: "t", limit: 100 });
    const oldest = await engine.client.history.page({ threadId: "t", limit: 4, oldest: true });
    expect(oldest.items.map((i) => i.checkpointId)).toEqual(all.items.slice(-4).map((i) => i.checkpointId));
    expect(oldest.nextBefore).toBeNull();
    expect(oldest.items.at(-1)).toMatchObject({ source: "input", parentCheckpointId: null });
    const everything = await engine.client.history.page({ threadId: "t", limit: 1000, oldest: true });
    expect(everything.items.map((i) => i.checkpointId)).toEqual(all.items.map((i) => i.checkpointId));
    const refused = await rejection(engine.client.history.page({ threadId: "t", oldest: true, before: all.items[0]!.checkpointId }));
    expect(refused.code).toBe("INVALID_ARGUMENT");
    expect(refused.message).toMatch(/before.*oldest/);
  });

  it("cuts long lists of a state to their newest elements, and says where they start", async () => {
    await fiveTurns();
    const whole = await engine.client.state.get({ threadId: "t" });
    const messages = (whole.values as { messages: JsonObject[] }).messages;
    expect(messages).toHaveLength(10);
    expect(whole.slices).toBeUndefined();
    const cut = await engine.client.state.get({ threadId: "t", maxItems: 3 });
    expect((cut.values as { messages: JsonObject[] }).messages).toEqual(messages.slice(7));
    // `log` holds 5 entries, `count` is a number: only lists longer than maxItems are cut.
    expect(cut.slices).toEqual({ messages: { start: 7, total: 10 }, log: { start: 2, total: 5 } });
    expect((cut.values as { count: number }).count).toBe(5);
    const roomy = await engine.client.state.get({ threadId: "t", maxItems: 10 });
    expect(roomy.slices).toBeUndefined();
    expect((await rejection(engine.client.state.get({ threadId: "t", maxItems: 0 }))).code).toBe("INVALID_ARGUMENT");
  });

  it("sends a diff a window at a time, with the counts of the whole diff", async () => {
    await fiveTurns();
    const items = (await engine.client.history.page({ threadId: "t", limit: 100 })).items;
    const [last, first] = [items[0]!, items.at(-1)!];
    const whole = await engine.client.diff.get({ threadId: "t", from: first.checkpointId, to: last.checkpointId });
    expect(whole.total).toBe(whole.entries.length);
    expect(whole.counts.added + whole.counts.removed + whole.counts.changed).toBe(whole.total);
    expect(whole.counts.added).toBeGreaterThanOrEqual(10); // the ten messages, at least
    const windows = [];
    for (let offset = 0; offset < whole.total; offset += 4) {
      const part = await engine.client.diff.get({ threadId: "t", from: first.checkpointId, to: last.checkpointId, offset, limit: 4 });
      expect(part.total).toBe(whole.total);
      expect(part.counts).toEqual(whole.counts);
      windows.push(...part.entries);
    }
    expect(windows).toEqual(whole.entries);
    const beyond = await engine.client.diff.get({ threadId: "t", to: last.checkpointId, offset: 1000, limit: 5 });
    expect(beyond.entries).toEqual([]);
  });
});
