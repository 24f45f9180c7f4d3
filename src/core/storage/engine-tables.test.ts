import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { RunInfo } from "../../shared/types";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, openDatabase, schemaVersion } from "./index";
import {
  activeRuns,
  appendConsole,
  failOrphanedRuns,
  getConsole,
  getRun,
  insertRunIfIdle,
  newRunInfo,
  lastRun,
  listRuns,
  updateRun,
} from "./runs-table";
import { getThreadListRow, iterateThreads, putThreadMeta } from "./thread-meta";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-tables-"));
  file = path.join(dir, "t.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(runId: string, threadId: string, createdAt: string): RunInfo {
  return newRunInfo({ runId, threadId, graphId: "g", createdAt });
}

describe("engine migrations", () => {
  it("are numbered after the checkpointer's, and a reopened file is not migrated twice", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const columns = db.prepare(`PRAGMA table_info(tl_runs)`).all() as { name: string }[];
    expect(columns.map((c) => c.name)).toContain("owner");
    db.close();
  });

  it("leave a user's own tables alone and use their indexes", () => {
    const db = openDatabase(file);
    db.exec(`CREATE TABLE app_users (id INTEGER PRIMARY KEY, name TEXT)`);
    db.prepare(`INSERT INTO app_users (name) VALUES ('ada')`).run();
    expect(db.prepare(`SELECT name FROM app_users`).all()).toEqual([{ name: "ada" }]);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM tl_runs WHERE thread_id = ? ORDER BY created_at DESC`).all("t") as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).toContain("tl_runs_by_thread");
    db.close();
  });
});

describe("runs table", () => {
  it("admits one run per idle thread across connections", () => {
    const a = openDatabase(file);
    const b = new Database(file);
    b.pragma("busy_timeout = 2000");
    expect(insertRunIfIdle(a, run("r1", "t", "2024-01-01T00:00:00.000Z"))).toEqual([]);
    const blocked = insertRunIfIdle(b, run("r2", "t", "2024-01-01T00:00:01.000Z"));
    expect(blocked.map((r) => r.runId)).toEqual(["r1"]);
    expect(getRun(a, "r2")).toBeUndefined();
    // enqueue: admitted while busy
    insertRunIfIdle(b, run("r3", "t", "2024-01-01T00:00:02.000Z"), {}, true);
    expect(activeRuns(a, "t").map((r) => r.runId)).toEqual(["r1", "r3"]);
    a.close();
    b.close();
  });

  it("updates, lists, keeps console lines, and fails orphans on startup", () => {
    const db = openDatabase(file);
    insertRunIfIdle(db, run("r1", "t", "2024-01-01T00:00:00.000Z"));
    updateRun(db, "r1", { status: "running", startedAt: "2024-01-01T00:00:00.500Z", nodeTimings: [{ node: "a", taskId: "x", checkpointNs: "", step: 1, durationMs: 3 }] });
    appendConsole(db, "r1", [
      { stream: "stdout", line: "hello", node: "a", at: "2024-01-01T00:00:00.600Z" },
      { stream: "stderr", line: "oops", node: null, at: "2024-01-01T00:00:00.700Z" },
    ]);
    appendConsole(db, "r1", [{ stream: "stdout", line: "more", node: "a", at: "2024-01-01T00:00:00.800Z" }]);
    expect(getConsole(db, "r1").map((l) => l.line)).toEqual(["hello", "oops", "more"]);
    expect(getRun(db, "r1")).toMatchObject({ status: "running", nodeTimings: [{ node: "a", durationMs: 3 }] });
    expect(() => updateRun(db, "nope", { status: "error" })).toThrow("nope");
    const threads = failOrphanedRuns(db, { node: null, className: "Crash", message: "Threadline stopped during the run", stack: null });
    expect(threads).toEqual(["t"]);
    expect(lastRun(db, "t")).toMatchObject({ status: "error", error: { className: "Crash" } });
    expect(listRuns(db, "t").map((r) => r.runId)).toEqual(["r1"]);
    db.close();
  });
});

describe("thread list", () => {
  it("merges metadata rows with the checkpoint index", () => {
    const db = openDatabase(file);
    putThreadMeta(db, { threadId: "m", createdAt: "2024-01-01T00:00:00.000Z", updatedAt: "2024-01-03T00:00:00.000Z", metadata: { a: 1 }, graphId: "g" });
    db.prepare(`INSERT INTO tl_threads VALUES ('m', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '', 'c1', 1)`).run();
    db.prepare(`INSERT INTO tl_threads VALUES ('x', '2024-01-01T00:00:00.000Z', '2024-01-04T00:00:00.000Z', '', 'c9', 3)`).run();
    expect([...iterateThreads(db)].map((r) => [r.threadId, r.updatedAt, r.headCheckpointId])).toEqual([
      ["x", "2024-01-04T00:00:00.000Z", "c9"],
      ["m", "2024-01-03T00:00:00.000Z", "c1"],
    ]);
    expect(getThreadListRow(db, "m")).toMatchObject({ metadata: { a: 1 }, graphId: "g", headUpdatedAt: "2024-01-02T00:00:00.000Z" });
    expect(getThreadListRow(db, "x")).toMatchObject({ metadata: {}, graphId: null });
    db.close();
  });
});
