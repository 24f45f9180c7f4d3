// Opens the shared fixture databases (../shared/fixtures/langgraph-dbs, see its MANIFEST.md) in
// place, read-only, and checks the manifest's facts through the store; the folder must be
// byte-identical afterwards with no new files. A writer in another process then appends a
// fixture's rows as LangGraph's SqliteSaver would, and each poll shows what it committed.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { isBaseMessage, type BaseMessage } from "@langchain/core/messages";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/core/stores/sqlite-store";
import { Checkpoints } from "../../src/core/threads/checkpoint-store";
import { ReadOnlyStoreError } from "../../src/core/stores/types";
import { LANGGRAPH_FIXTURES } from "../support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const MATHEUS = "matheusg18__langgraph-course__checkpoints.sqlite";
const ALEJANDRO = "alejandro434__LLMs_Agents_Evals__checkpoints.sqlite";
const FREDDY = "freddymercury__langchain-academy-langgraphjs__example.db";
const FERNANDO = "fernando-cadalso__orquestra-agentes-langgraph__checkpoints.db";
const HIROKTS = "hirokts__langgraph-cli-sample__checkpoints.db";
const LEGACY = "darkfennertrader__multiagents__checkpoints.sqlite";
const FERRER = "ferrerallan__langgraph-human-feedback__checkpoints.sqlite";

function folderPrint(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, createHash("sha256").update(readFileSync(path.join(dir, name))).digest("hex")]));
}

async function values(store: SqliteStore, threadId: string, ns = "", id?: string) {
  const tuple = await store.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: ns, ...(id ? { checkpoint_id: id } : {}) } });
  if (!tuple) throw new Error(`no checkpoint in ${threadId}`);
  return tuple;
}

const text = (m: unknown) => String((m as BaseMessage).content);

describe("a SqliteSaver file opened in place", () => {
  const before = folderPrint(FIXTURES);
  const stores = new Map<string, SqliteStore>();
  const open = (name: string) => {
    let store = stores.get(name);
    if (!store) stores.set(name, (store = SqliteStore.open(path.join(FIXTURES, name))));
    return store;
  };

  afterAll(async () => {
    for (const store of stores.values()) await store.close();
    // Every file byte-identical, none added or removed (no -wal/-shm created, no WAL folded in).
    expect(folderPrint(FIXTURES)).toEqual(before);
  });

  it("reads the committed data still in the -wal (Python, WAL mode)", async () => {
    const store = open(MATHEUS);
    expect(store.mode).toBe("snapshot");
    expect(await store.countThreads({})).toBe(15);
    expect((await store.getCheckpointTree("16")).length).toBe(4);
    expect((await store.thread("16"))?.headCheckpointId).toBe("1f0f1bed-19d7-655d-8002-fb0eb536221d");
    const latest = await values(store, "1");
    expect(latest.checkpoint.id).toBe("1f0f1bd1-a02b-6fde-803b-e4fb2ae9f53e");
    const messages = latest.checkpoint.channel_values.messages as BaseMessage[];
    expect(messages).toHaveLength(30);
    expect(messages.every((m) => isBaseMessage(m))).toBe(true);
    expect(text(messages[0])).toBe("What is the capital of France?");
    expect(text(messages[29])).toBe("What is the capital of Argentina?");
    expect(latest.checkpoint.channel_values.capital).toBe("Sana'a");
  });

  it("reads a file whose data is all in its -wal", async () => {
    const store = open(FERNANDO);
    expect(await store.countThreads({})).toBe(2);
    const trees = await Promise.all((await store.threads({ limit: 10, offset: 0 })).map((t) => store.getCheckpointTree(t.threadId)));
    expect(trees.reduce((n, t) => n + t.length, 0)).toBe(31);
  });

  it("reads subgraph namespaces, their parents and pending interrupts (Python, async saver)", async () => {
    const store = open(ALEJANDRO);
    const tree = await store.getCheckpointTree("16e8dce3-e185-46fe-80ce-7f1f986247fe");
    expect(tree.filter((s) => s.checkpointNs === "").length).toBe(4);
    expect(tree.filter((s) => s.checkpointNs === "react_node:90764a9d-2cfa-3b6c-d90f-1638cd68f4df").length).toBe(6);
    const sub = await values(store, "16e8dce3-e185-46fe-80ce-7f1f986247fe", "react_node:90764a9d-2cfa-3b6c-d90f-1638cd68f4df");
    expect(sub.checkpoint.id).toBe("1f084ee7-8481-6aa9-8004-29eb58a2a490");
    expect(sub.metadata?.parents).toEqual({ "": "1f084ee7-3378-6d2f-8001-693179de964f" });
    expect((sub.checkpoint.channel_values.messages as BaseMessage[]).map((m) => m.getType())).toEqual(["human", "ai", "tool", "ai"]);
    const paused = await values(store, "fc9c0cfc-0ad5-4234-bee9-92593dd15183");
    const interrupt = paused.pendingWrites?.find(([, channel]) => channel === "__interrupt__");
    expect(JSON.stringify(interrupt?.[2])).toContain("Could you please provide your current address in Maryland?");
    // The engine's timeline marks it without reading any value.
    const timeline = await new Checkpoints(store).tree("fc9c0cfc-0ad5-4234-bee9-92593dd15183");
    expect(timeline.map((s) => s.hasInterrupts)).toEqual([false, false, true]);
  });

  it("reads the JS saver's JSON rows, pages history and filters threads", async () => {
    const store = open(FREDDY);
    const page = await store.listCheckpointSummaries("1", { limit: 10 });
    expect(page).toHaveLength(10);
    const rest = await store.listCheckpointSummaries("1", { limit: 10, before: page[9]!.checkpointId });
    expect(page.length + rest.length).toBe(16);
    expect(page[0]!.checkpointId).toBe("1f0571f8-0691-6b60-800e-df0c6b4fb0ad");
    expect(page[0]!.createdAt.startsWith("2025-07-02")).toBe(true);
    const latest = await values(store, "1");
    expect(text((latest.checkpoint.channel_values.messages as BaseMessage[])[0])).toBe("Tell me more about the 49ers");
    expect(String(latest.checkpoint.channel_values.summary)).toMatch(/^Lance introduced himself/);
    expect((await store.threads({ idPrefix: "2", limit: 10, offset: 0 })).map((t) => t.threadId)).toEqual(["2"]);
  });

  it("names the node an update was applied as, from the writes in its metadata (Python 0.2)", async () => {
    const page = await open(FERRER).listCheckpointSummaries("029908e5-70c6-4efd-aa44-4039598bb830", { limit: 50 });
    const update = page.find((s) => s.checkpointId === "1eff5358-fac8-6523-8002-81270542c5e7");
    expect(update).toMatchObject({ source: "update", appliedAs: ["get_human_feedback"] });
    expect(page.filter((s) => s.source !== "update").every((s) => s.appliedAs.length === 0)).toBe(true);
  });

  it("searches threads by metadata and refuses every write", async () => {
    const store = open(HIROKTS);
    expect(await store.countThreads({})).toBe(23);
    const named = await store.threads({ metadata: { thread_id: "weather_session" }, limit: 10, offset: 0 });
    expect(named.map((t) => t.threadId)).toEqual(["weather_session"]);
    await expect(store.deleteThread()).rejects.toBeInstanceOf(ReadOnlyStoreError);
    await expect(store.putWrites({ configurable: { thread_id: "weather_session" } }, [["x", 1]], "t")).rejects.toThrow(/read-only/);
  });

  it("says why a pre-0.2 file cannot be opened", () => {
    expect(() => SqliteStore.open(path.join(FIXTURES, LEGACY))).toThrow(/before 0\.2 .* can be opened\.$/s);
  });
});

describe("a file another process is writing", () => {
  let dir: string;
  let writer: ChildProcessWithoutNullStreams;
  let lines: AsyncIterator<string>;
  const target = () => path.join(dir, "live.sqlite");

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "threadline-live-"));
    copyFileSync(path.join(FIXTURES, HIROKTS), path.join(dir, "source.sqlite"));
    writer = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "replay-writer.ts"), path.join(dir, "source.sqlite"), target()]);
    lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe("ready");
  });

  afterAll(() => {
    writer.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function writeThread(): Promise<{ threadId: string; checkpoints: number }> {
    writer.stdin.write("thread\n");
    const [, threadId, count] = ((await lines.next()).value as string).split(" ");
    return { threadId: threadId!, checkpoints: Number(count) };
  }

  it("shows each thread the writer commits at the next poll, and its checkpoints", async () => {
    const first = await writeThread();
    const store = SqliteStore.open(target());
    try {
      expect(await store.poll()).toEqual([]);
      expect((await store.threads({ limit: 50, offset: 0 })).map((t) => t.threadId)).toEqual([first.threadId]);
      for (let i = 0; i < 3; i++) {
        const next = await writeThread();
        expect(await store.poll()).toEqual([next.threadId]);
        expect((await store.getCheckpointTree(next.threadId)).length).toBe(next.checkpoints);
        expect(await store.countThreads({})).toBe(i + 2);
      }
      expect(await store.poll()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("reads a rollback-journal file in place, creating no file beside it", async () => {
    const file = path.join(dir, "rollback.sqlite");
    copyFileSync(path.join(FIXTURES, HIROKTS), file);
    const convert = new Database(file);
    convert.pragma("journal_mode = DELETE");
    convert.close();
    const files = readdirSync(dir).sort();
    const store = SqliteStore.open(file);
    try {
      expect(store.mode).toBe("in-place");
      expect(await store.countThreads({})).toBe(23);
      expect(readdirSync(dir).sort()).toEqual(files);
      const other = new Database(file);
      other.prepare(`DELETE FROM checkpoints WHERE thread_id = 'weather_session'`).run();
      other.close();
      expect(await store.poll()).toEqual(["weather_session"]);
      expect(await store.countThreads({})).toBe(22);
    } finally {
      await store.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
