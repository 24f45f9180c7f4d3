// The Inspector serving from a store opened in place, through the contract as a transport calls it:
// opening (and what a bad location says), switching, reads from the opened store, writes refused
// with the reason, live changes as events, "Copy into Threadline" (SQLite through the importer,
// the thread then runs locally), and closing.

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestEngine, rejection, type TestEngine } from "../support/engine";
import { LANGGRAPH_FIXTURES } from "../support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const FREDDY = "freddymercury__langchain-academy-langgraphjs__example.db";

describe("sources: a store opened in place behind the contract", () => {
  let engine: TestEngine;
  let dir: string;
  let file: string;

  beforeAll(() => {
    engine = openTestEngine();
    dir = mkdtempSync(path.join(tmpdir(), "threadline-sources-"));
    file = path.join(dir, "app.sqlite");
    copyFileSync(path.join(FIXTURES, FREDDY), file);
  });

  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says what is wrong with a location, and opens a file as the active source", async () => {
    const { client } = engine;
    expect((await rejection(client.sources.open({ location: path.join(dir, "missing.sqlite") }))).message).toMatch(/does not exist/);
    expect((await rejection(client.sources.open({ location: "postgres://u@127.0.0.1:1/db?foo=1" }))).message).toMatch(/"foo"/);
    const list = await client.sources.open({ location: file });
    expect(list.sources.map((s) => [s.kind, s.label])).toEqual([
      ["local", engine.file],
      ["sqlite", file],
    ]);
    expect(list.activeId).toBe(list.sources[1]!.id);
    expect((await client.sources.open({ location: file })).sources).toHaveLength(2);
    const info = await client.source.info();
    expect(info.kind).toBe("store");
    expect(info.capabilities.runs).toEqual({ available: false, reason: expect.stringMatching(/copy the thread into Threadline/) });
  });

  it("answers reads from the opened store and refuses writes with the reason", async () => {
    const { client } = engine;
    expect((await client.threads.search({})).map((t) => t.threadId).sort()).toEqual(["1", "2"]);
    expect(await client.threads.count({})).toBe(2);
    expect((await client.history.tree({ threadId: "1" })).nodes).toHaveLength(16);
    const page = await client.history.page({ threadId: "1", limit: 10 });
    expect(page.items).toHaveLength(10);
    // The oldest page of an opened store: its 16 checkpoints are read page by page, keeping the last ones.
    const all = await client.history.page({ threadId: "1", limit: 100 });
    const oldest = await client.history.page({ threadId: "1", limit: 5, oldest: true });
    expect(oldest.items.map((i) => i.checkpointId)).toEqual(all.items.slice(-5).map((i) => i.checkpointId));
    expect(oldest.nextBefore).toBeNull();
    const state = await client.state.get({ threadId: "2" });
    expect(JSON.stringify(state.values)).toContain("Hello! How can I assist you today?");
    const diff = await client.diff.get({ threadId: "1", to: page.items[0]!.checkpointId });
    expect(diff.from?.checkpointId).toBe(page.items[1]!.checkpointId);
    expect((await client.threads.export({ threadId: "2" })).checkpoints).toHaveLength(3);
    const refused = await rejection(client.threads.delete({ threadId: "1" }));
    expect([refused.code, refused.message]).toEqual(["UNAVAILABLE", expect.stringMatching(/read-only/)]);
    expect((await rejection(client.threads.get({ threadId: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("reports threads another process writes into the file", async () => {
    const source = engine.inspector.sources.list().sources[1]!;
    const before = engine.events.length;
    const writer = new Database(file);
    writer.prepare(`UPDATE checkpoints SET thread_id = 'renamed' WHERE thread_id = '2'`).run();
    writer.close();
    await expect.poll(() => engine.events.slice(before).some((e) => e.type === "threads.changed" && e.threadIds?.includes("renamed")), { timeout: 10_000 }).toBe(true);
    expect((await engine.client.threads.search({})).map((t) => t.threadId).sort()).toEqual(["1", "renamed"]);
    expect(source.kind).toBe("sqlite");
  });

  it("copies a thread into Threadline, where it can be changed, and switches back", async () => {
    const { client } = engine;
    const copied = await client.sources.copyToLocal({ threadId: "1" });
    expect(copied.threadId).toBe("1");
    expect((await client.sources.list()).activeId).toBe("local");
    expect((await client.source.info()).kind).toBe("local");
    expect((await client.history.tree({ threadId: "1" })).nodes).toHaveLength(16);
    await client.threads.updateMetadata({ threadId: "1", metadata: { reviewed: true } });
    const { sources } = await client.sources.list();
    await client.sources.use({ id: sources[1]!.id });
    const again = await client.sources.copyToLocal({ threadId: "1" });
    expect(again.threadId).toBe("1-imported");
    const closed = await client.sources.close({ id: sources[1]!.id });
    expect(closed.sources.map((s) => s.id)).toEqual(["local"]);
    expect((await rejection(client.sources.close({ id: "local" }))).code).toBe("INVALID_ARGUMENT");
  });
});
