// The thread list of an opened store pages by the savers' primary key: threads come in key order,
// each page resumes after the last thread of the one before (a thread written meanwhile before
// that point neither repeats nor shifts a thread), and search by id prefix and by metadata pages
// the same way. The file is written by LangGraph.js's own SqliteSaver.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/core/stores/sqlite-store";

const THREADS = 130;
// Ids whose key order differs from the order they were written in, and from their numbers' order.
const idOf = (i: number) => `${["b", "a", "c"][i % 3]}-${String((i * 37) % THREADS).padStart(3, "0")}`;

async function writeThread(saver: SqliteSaver, threadId: string, team: string): Promise<void> {
  for (let step = 0; step < 2; step++) {
    const checkpoint = { ...emptyCheckpoint(), id: uuid6(step) };
    await saver.put({ configurable: { thread_id: threadId, checkpoint_ns: "" } }, checkpoint, { source: "loop", step, parents: {}, team } as never);
  }
}

async function all(store: SqliteStore, query: { idPrefix?: string; metadata?: Record<string, string> }, limit: number): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await store.threads({ ...query, limit, offset });
    ids.push(...page.map((t) => t.threadId));
    if (page.length < limit) return ids;
  }
}

describe("the thread list of an opened store", () => {
  let dir: string;
  let file: string;
  let saver: SqliteSaver;
  const written: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "threadline-thread-list-"));
    file = path.join(dir, "checkpoints.sqlite");
    saver = SqliteSaver.fromConnString(file);
    for (let i = 0; i < THREADS; i++) {
      written.push(idOf(i));
      await writeThread(saver, idOf(i), i % 4 === 0 ? "red" : "blue");
    }
  });

  afterAll(() => {
    saver.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pages every thread once, in key order, with its head and metadata", async () => {
    const store = SqliteStore.open(file);
    try {
      const keyOrder = [...written].sort();
      expect(await all(store, {}, 17)).toEqual(keyOrder);
      expect(await all(store, {}, 50)).toEqual(keyOrder);
      expect(await store.countThreads({})).toBe(THREADS);
      // A page asked for out of order (no cursor ends right before it) is still the right one.
      expect((await store.threads({ limit: 5, offset: 101 })).map((t) => t.threadId)).toEqual(keyOrder.slice(101, 106));
      const [first] = await store.threads({ limit: 1, offset: 0 });
      const head = await saver.getTuple({ configurable: { thread_id: first!.threadId, checkpoint_ns: "" } });
      expect(first).toMatchObject({ headCheckpointId: head!.checkpoint.id, metadata: { team: expect.any(String) }, checkpointCount: 2, headWrites: 0 });
      expect(await store.thread(first!.threadId)).toEqual(first);
    } finally {
      await store.close();
    }
  });

  it("resumes after the last thread shown, whatever was written before it meanwhile", async () => {
    const store = SqliteStore.open(file);
    try {
      const page1 = (await store.threads({ limit: 20, offset: 0 })).map((t) => t.threadId);
      // Sorts first: with offsets counted from the start, it would push page 1's last thread into page 2.
      await writeThread(saver, "a-000-new", "blue");
      await store.poll();
      const page2 = (await store.threads({ limit: 20, offset: 20 })).map((t) => t.threadId);
      expect(page2[0]! > page1[19]!).toBe(true);
      expect(page2.filter((id) => page1.includes(id))).toEqual([]);
      expect(await store.countThreads({})).toBe(THREADS + 1);
      expect((await store.threads({ limit: 1, offset: 0 }))[0]!.threadId).toBe("a-000-new");
    } finally {
      await store.close();
    }
  });

  it("pages a search by id prefix and by metadata", async () => {
    const store = SqliteStore.open(file);
    try {
      const prefixed = written.filter((id) => id.startsWith("c-0")).sort();
      expect(prefixed.length).toBeGreaterThan(10);
      expect(await all(store, { idPrefix: "c-0" }, 7)).toEqual(prefixed);
      expect(await store.countThreads({ idPrefix: "c-0" })).toBe(prefixed.length);
      const red = written.filter((_, i) => i % 4 === 0).sort();
      expect(await all(store, { metadata: { team: "red" } }, 6)).toEqual(red);
      expect(await store.countThreads({ metadata: { team: "red" } })).toBe(red.length);
      expect(await all(store, { idPrefix: "b-", metadata: { team: "red" } }, 4)).toEqual(red.filter((id) => id.startsWith("b-")));
      expect(await store.threads({ idPrefix: "zzz", limit: 10, offset: 0 })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
