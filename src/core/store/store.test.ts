// The store's own promises beyond InMemoryStore's (equivalence.test.ts): it persists, refuses
// what LangGraph forbids without writing anything, keeps values' types, expires items, and tells
// who listens what a batch wrote.
import { BaseStore } from "@langchain/langgraph-checkpoint";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../storage/database";
import { tempDir } from "../storage/test-helpers";
import { createSqliteStore, sqliteStoreOn } from "./store-class";
import { TEST_DIMS, testEmbeddings } from "./test-embeddings";
import type { StoreOptions, StoreWrite } from "./types";

const dirs: { remove(): void }[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const dir of dirs.splice(0)) dir.remove();
});

function open(options: StoreOptions = {}, file?: string) {
  const dir = tempDir("threadline-store-");
  dirs.push(dir);
  const db = openDatabase(file ?? dir.file("threads.db"));
  closers.push(() => db.close());
  return { db, store: createSqliteStore(db, options), file: file ?? dir.file("threads.db") };
}

const count = (db: ReturnType<typeof open>["db"]) =>
  (db.prepare("SELECT count(*) AS n FROM tl_store_items").get() as { n: number }).n;

describe("SqliteStore", () => {
  it("is a LangGraph BaseStore, and is built on another line's BaseStore when given one", () => {
    const { db, store } = open();
    expect(store).toBeInstanceOf(BaseStore);
    abstract class OtherLineBaseStore {}
    const Other = sqliteStoreOn(OtherLineBaseStore);
    expect(new Other(db)).toBeInstanceOf(OtherLineBaseStore);
    expect(sqliteStoreOn(OtherLineBaseStore)).toBe(Other);
  });

  it("keeps items across reopening the file, with their types", async () => {
    const first = open();
    const when = new Date("2026-01-02T03:04:05.000Z");
    await first.store.put(["users", "u1"], "prefs", { when, tags: new Set(["a"]), bytes: new Uint8Array([1, 2]), n: 1n });
    first.db.close();
    closers.length = 0;
    const again = open({}, first.file);
    const item = await again.store.get(["users", "u1"], "prefs");
    expect(item?.value).toEqual({ when, tags: new Set(["a"]), bytes: new Uint8Array([1, 2]), n: 1n });
    expect(item?.value.when).toBeInstanceOf(Date);
  });

  it.each([
    [[], /cannot be empty/],
    [["a.b"], /period/],
    [["langgraph", "x"], /reserved/],
    [["a", ""], /empty/],
  ])("refuses the namespace %j on put, writing nothing", async (namespace, message) => {
    const { db, store } = open();
    await expect(store.put(namespace as string[], "k", { a: 1 })).rejects.toThrow(message);
    await expect(store.batch([{ namespace: namespace as string[], key: "k", value: { a: 1 } }])).rejects.toThrow(message);
    expect(count(db)).toBe(0);
  });

  it("refuses a value that cannot be serialized, and the whole batch with it", async () => {
    const { db, store } = open();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    await expect(store.put(["a"], "k", { fn: () => 1 })).rejects.toThrow(/\$\.fn is a function, which cannot be serialized; nothing was written/);
    await expect(store.put(["a"], "k", cyclic)).rejects.toThrow(/\$\.self is a reference back/);
    await expect(store.put(["a"], "k", [1, 2] as never)).rejects.toThrow(/must be an object/);
    await expect(
      store.batch([
        { namespace: ["a"], key: "good", value: { ok: true } },
        { namespace: ["a"], key: "bad", value: { s: Symbol("x") } },
      ]),
    ).rejects.toThrow(/symbol/);
    expect(count(db)).toBe(0);
    expect(await store.listNamespaces()).toEqual([]);
  });

  it("writes nothing when the embeddings fail or return the wrong size", async () => {
    const failing = { embedDocuments: async () => Promise.reject(new Error("quota")), embedQuery: async () => [] };
    const { db, store } = open({ index: { dims: TEST_DIMS, embeddings: failing } });
    await expect(store.put(["a"], "k", { text: "hi" })).rejects.toThrow(/embeddings failed: quota; nothing was written/);
    const short = { embedDocuments: async (t: string[]) => t.map(() => [1, 2]), embedQuery: async () => [1, 2] };
    const other = createSqliteStore(db, { index: { dims: TEST_DIMS, embeddings: short } });
    await expect(other.put(["a"], "k", { text: "hi" })).rejects.toThrow(/vector of 2 numbers; .*dims is 16/);
    expect(count(db)).toBe(0);
  });

  it("finds items by meaning, skipping values put with index: false", async () => {
    const embeddings = testEmbeddings();
    const { store } = open({ index: { dims: TEST_DIMS, embeddings, fields: ["text"] } });
    await store.put(["m"], "1", { text: "likes coffee in the morning" });
    await store.put(["m"], "2", { text: "plays jazz music" });
    await store.put(["m"], "3", { text: "likes coffee in the morning" }, false);
    const found = await store.search(["m"], { query: "jazz music" });
    expect(found.map((i) => i.key)).toEqual(["2", "1", "3"]);
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score!);
    expect(found[2]!.score).toBeUndefined();
  });

  it("expires items after their TTL, refreshes it on read, and sweeps them", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const { db, store } = open({ ttl: { defaultTtl: 10, refreshOnRead: true, sweepIntervalMinutes: 1 }, now: () => now });
    await store.put(["t"], "default", { a: 1 });
    await store.put(["t"], "forever", { a: 2 }, undefined, { ttl: null });
    await store.put(["t"], "short", { a: 3 }, undefined, { ttl: 1 });
    now += 5 * 60_000;
    expect(await store.get(["t"], "default")).not.toBeNull(); // refreshed: expires 10 minutes from now
    expect(await store.get(["t"], "short")).toBeNull();
    now += 8 * 60_000;
    expect((await store.search(["t"])).map((i) => i.key)).toEqual(["default", "forever"]);
    now += 11 * 60_000;
    expect((await store.search(["t"])).map((i) => i.key)).toEqual(["forever"]);
    expect(store.engine.sweep()).toBe(2);
    expect(count(db)).toBe(1);
  });

  it("tells its listener what each batch wrote", async () => {
    const writes: StoreWrite[][] = [];
    const { store } = open({ onWrite: (w) => writes.push(w) });
    await store.put(["u"], "a", { n: 1 });
    await store.get(["u"], "a");
    await store.delete(["u"], "a");
    expect(writes).toEqual([[{ op: "put", namespace: ["u"], key: "a", value: { n: 1 } }], [{ op: "delete", namespace: ["u"], key: "a" }]]);
  });

  it("reads the items under a namespace prefix through its index, in order", () => {
    const { db } = open();
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT i.seq FROM tl_store_items i JOIN tl_store_namespaces n ON n.ns_id = i.ns_id
         WHERE (n.path = 'a' OR (n.path >= 'a.' AND n.path < 'a/')) ORDER BY i.ns_id, i.seq`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join("\n")).toMatch(/tl_store_items_in_order|USING INDEX/);
  });
});
