import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunInfo } from "../../shared/types";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, openDatabase, schemaVersion } from "./index";
import { appendConsole, getConsole, getRun, insertRun, lastRun, listRuns, newRunInfo, updateRun } from "./runs-table";
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
  it("updates, lists and keeps console lines", () => {
    const db = openDatabase(file);
    insertRun(db, run("r1", "t", "2024-01-01T00:00:00.000Z"));
    insertRun(db, run("r2", "t", "2024-01-01T00:00:01.000Z"));
    updateRun(db, "r1", { status: "running", startedAt: "2024-01-01T00:00:00.500Z", nodeTimings: [{ node: "a", taskId: "x", checkpointNs: "", step: 1, durationMs: 3 }] });
    appendConsole(db, "r1", [
      { stream: "stdout", line: "hello", node: "a", at: "2024-01-01T00:00:00.600Z" },
      { stream: "stderr", line: "oops", node: null, at: "2024-01-01T00:00:00.700Z" },
    ]);
    appendConsole(db, "r1", [{ stream: "stdout", line: "more", node: "a", at: "2024-01-01T00:00:00.800Z" }]);
    expect(getConsole(db, "r1").map((l) => l.line)).toEqual(["hello", "oops", "more"]);
    expect(getRun(db, "r1")).toMatchObject({ status: "running", nodeTimings: [{ node: "a", durationMs: 3 }] });
    expect(() => updateRun(db, "nope", { status: "error" })).toThrow("nope");
    updateRun(db, "r2", { status: "error", error: { node: null, className: "Crash", message: "stopped", stack: null } });
    expect(lastRun(db, "t")).toMatchObject({ runId: "r2", status: "error", error: { className: "Crash" } });
    expect(listRuns(db, "t").map((r) => r.runId)).toEqual(["r2", "r1"]);
    expect(listRuns(db, "t", { limit: 1, offset: 1 }).map((r) => r.runId)).toEqual(["r1"]);
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
