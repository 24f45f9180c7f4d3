// Import sources that must be refused, or read, without harm: a FIFO, a huge sparse file, the target
// itself, a WAL-mode file whose -wal is missing; and a thread renamed on import carries its new id.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openTestEngine, type TestEngine } from "../../../test/support/engine";
import { importLangGraphDatabase } from "./index";
import { LANGGRAPH_FIXTURES } from "../../../test/support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const FERRER = "ferrerallan__langgraph-human-feedback__checkpoints.sqlite";

let dir: string;
let engine: TestEngine;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-refusals-"));
  engine = openTestEngine({ file: path.join(dir, "threads.db") });
});
afterEach(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const importCopies = () => readdirSync(tmpdir()).filter((n) => n.startsWith("threadline-import-")).length;

/** LangGraph's SqliteSaver schema, in WAL mode, with `threads` threads of one checkpoint each. */
function langGraphFile(file: string, threads: number): Database.Database {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec(`CREATE TABLE checkpoints (thread_id TEXT, checkpoint_ns TEXT DEFAULT '', checkpoint_id TEXT, parent_checkpoint_id TEXT,
             type TEXT, checkpoint BLOB, metadata BLOB, PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id));
           CREATE TABLE writes (thread_id TEXT, checkpoint_ns TEXT DEFAULT '', checkpoint_id TEXT, task_id TEXT, idx INTEGER,
             channel TEXT, type TEXT, value BLOB, PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));`);
  const insert = db.prepare(`INSERT INTO checkpoints VALUES (?, '', ?, NULL, 'json', ?, ?)`);
  for (let i = 0; i < threads; i++) {
    const id = `1ef00000-0000-6000-8000-${String(i).padStart(12, "0")}`;
    const checkpoint = { v: 1, id, ts: "2024-07-01T00:00:00.000Z", channel_values: { n: i }, channel_versions: { n: 1 }, versions_seen: {} };
    insert.run(`t${i}`, id, JSON.stringify(checkpoint), JSON.stringify({ source: "input", step: -1, parents: {} }));
  }
  return db;
}

describe("import sources refused or read without harm", () => {
  it("refuses a FIFO by its type without opening it", async () => {
    const fifo = path.join(dir, "pipe.sqlite");
    execFileSync("mkfifo", [fifo]);
    await expect(importLangGraphDatabase(fifo, engine.checkpointer)).rejects.toMatchObject({
      code: "CANNOT_OPEN",
      message: expect.stringContaining("a FIFO (named pipe); only regular database files are imported"),
    });
  });

  it("refuses a 3 GB sparse file with a SQLite header from its schema, without copying it", async () => {
    const file = path.join(dir, "sparse.sqlite");
    const db = new Database(file);
    db.exec("CREATE TABLE notes (text TEXT)");
    db.close();
    truncateSync(file, 3 * 1024 ** 3);
    const copiesBefore = importCopies();
    await expect(importLangGraphDatabase(file, engine.checkpointer)).rejects.toMatchObject({
      code: "UNSUPPORTED_SCHEMA",
      message: expect.stringContaining('no "checkpoints" table (its tables are notes)'),
    });
    expect(importCopies()).toBe(copiesBefore);
  });

  it("keeps answering other calls while a large source is copied, and reports each thread as it lands", async () => {
    const file = path.join(dir, "large.sqlite");
    // Left open, so its rows stay in the -wal (a WAL source is always copied), and 256 MB of main
    // file to copy (sparse: no disk used until copied).
    const db = langGraphFile(file, 3);
    truncateSync(file, 256 * 1024 ** 2);
    const order: string[] = [];
    const importing = importLangGraphDatabase(file, engine.checkpointer, { onThread: (t) => order.push(`thread ${t.threadId}`) }).then(() =>
      order.push("import done"),
    );
    // A call that arrives once the import has begun, as from another client.
    const other = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => engine.client.project.info())
      .then(() => order.push("other call answered"));
    await Promise.all([importing, other]);
    db.close();
    expect(order[0]).toBe("other call answered");
    expect(order.slice(1)).toEqual(["thread t0", "thread t1", "thread t2", "import done"]);
  });

  it("refuses importing a file into itself (target = source), writing nothing into it", async () => {
    const target = engine.checkpointer.db.name;
    const tablesBefore = (engine.checkpointer.db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
    await expect(importLangGraphDatabase(target, engine.checkpointer)).rejects.toMatchObject({ message: expect.stringContaining("into itself") });
    const link = path.join(dir, "link.db");
    execFileSync("ln", ["-s", target, link]);
    await expect(importLangGraphDatabase(link, engine.checkpointer)).rejects.toMatchObject({ message: expect.stringContaining("into itself") });
    expect((engine.checkpointer.db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n).toBe(tablesBefore);
  });

  it("says that the -wal is missing when a WAL-mode source's rows can only be there", async () => {
    const live = path.join(dir, "live.sqlite");
    const db = langGraphFile(live, 2);
    // The main file alone, as copied while its app still had it open: schema and rows are in the -wal.
    const mainOnly = path.join(dir, "main-only.sqlite");
    copyFileSync(live, mainOnly);
    db.close();
    await expect(importLangGraphDatabase(mainOnly, engine.checkpointer)).rejects.toMatchObject({
      code: "UNSUPPORTED_SCHEMA",
      message: expect.stringContaining("main-only.sqlite-wal is not beside it"),
    });
    expect(existsSync(`${mainOnly}-wal`)).toBe(false);
  });

  it.skipIf(!existsSync(path.join(FIXTURES, FERRER)))("renames a thread's id in its checkpoints' metadata too (--on-conflict rename)", async () => {
    const source = path.join(dir, FERRER);
    copyFileSync(path.join(FIXTURES, FERRER), source);
    await importLangGraphDatabase(source, engine.checkpointer, { threadIds: ["777"] });
    const renamed = await importLangGraphDatabase(source, engine.checkpointer, { threadIds: ["777"], onConflict: "rename" });
    expect(renamed.threads[0]!.threadId).toBe("777-imported");
    const ids = new Set<unknown>();
    for await (const tuple of engine.checkpointer.list({ configurable: { thread_id: "777-imported" } })) ids.add((tuple.metadata as { thread_id?: unknown } | undefined)?.thread_id);
    expect([...ids]).toEqual(["777-imported"]);
  });
});
