// Group commit: writes queued in one turn share a transaction, fail alone, and resolve only once on disk.
import Database from "better-sqlite3";
import { tempDir } from "./test-helpers";
import { WriteBatch } from "./write-batch";

describe("WriteBatch", () => {
  const dir = tempDir("threadline-batch-");
  afterAll(() => dir.remove());
  let db: Database.Database;
  let other: Database.Database;
  beforeEach(() => {
    const file = dir.file(`b-${Math.random().toString(36).slice(2)}.db`);
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
    other = new Database(file, { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
  });
  const keys = () => (other.prepare("SELECT k FROM t ORDER BY k").all() as { k: string }[]).map((r) => r.k);
  const insert = (k: string) => () => db.prepare("INSERT INTO t (k) VALUES (?)").run(k).changes;

  it("commits the writes of one turn together, each resolving once another connection can read it", async () => {
    const batch = new WriteBatch(db);
    const transactions: boolean[] = [];
    const a = batch.add(() => (transactions.push(db.inTransaction), insert("a")()));
    const b = batch.add(() => (transactions.push(db.inTransaction), insert("b")()));
    expect(keys()).toEqual([]);
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    expect(transactions).toEqual([true, true]);
    expect(keys()).toEqual(["a", "b"]);
  });

  it("fails a write alone: the others of its batch are stored", async () => {
    const batch = new WriteBatch(db);
    const results = await Promise.allSettled([batch.add(insert("a")), batch.add(insert("a")), batch.add(insert("c"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(keys()).toEqual(["a", "c"]);
  });

  it("fails a lone write without storing it", async () => {
    const batch = new WriteBatch(db);
    await expect(
      batch.add(() => {
        insert("x")();
        throw new Error("half done");
      }),
    ).rejects.toThrow("half done");
    expect(keys()).toEqual([]);
  });

  it("commits at once when flushed (before a read or a delete)", async () => {
    const batch = new WriteBatch(db);
    const pending = batch.add(insert("now"));
    expect(batch.pending).toBe(true);
    batch.flush();
    expect(batch.pending).toBe(false);
    expect(keys()).toEqual(["now"]);
    await expect(pending).resolves.toBe(1);
  });

  it("commitNow commits the queued writes with its own before returning, and throws its own failure alone", async () => {
    const batch = new WriteBatch(db);
    const queued = batch.add(insert("w"));
    expect(batch.commitNow(insert("c"))).toBe(1);
    expect(keys()).toEqual(["c", "w"]);
    await expect(queued).resolves.toBe(1);
    const next = batch.add(insert("n"));
    expect(() => batch.commitNow(insert("c"))).toThrow(/UNIQUE/);
    await expect(next).resolves.toBe(1);
    expect(keys()).toEqual(["c", "n", "w"]);
  });
});
