// Admission and crash recovery as the run manager uses them, across two connections to one file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase } from "../storage/database";
import { activeRuns, getRun, lastRun, newRunInfo } from "../storage/runs-table";
import { admitRun, failOrphanedRunsOf, ownerId, runOwner } from "./runs-store";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-runs-store-"));
  file = path.join(dir, "t.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (runId: string, createdAt: string) => newRunInfo({ runId, threadId: "t", graphId: "g", createdAt });
const CRASH = { node: null, className: "Crash", message: "Threadline stopped during the run", stack: null };

describe("runs store", () => {
  it("admits one run per idle thread across connections, and queues behind a busy one when asked", () => {
    const a = openDatabase(file);
    const b = new Database(file);
    b.pragma("busy_timeout = 2000");
    expect(admitRun(a, run("r1", "2024-01-01T00:00:00.000Z"), {}, "1:a", false)).toEqual({ admitted: true, ahead: [] });
    const blocked = admitRun(b, run("r2", "2024-01-01T00:00:01.000Z"), {}, "2:b", false);
    expect(blocked.admitted).toBe(false);
    expect(!blocked.admitted && blocked.active.map((r) => r.runId)).toEqual(["r1"]);
    expect(getRun(a, "r2")).toBeUndefined();
    const queued = admitRun(b, run("r3", "2024-01-01T00:00:02.000Z"), { input: 1 }, "2:b", true);
    expect(queued.admitted && queued.ahead.map((r) => r.runId)).toEqual(["r1"]);
    expect(activeRuns(a, "t").map((r) => r.runId)).toEqual(["r1", "r3"]);
    expect(runOwner(a, "r3")).toBe("2:b");
    a.close();
    b.close();
  });

  it("fails only the runs whose owner is gone", () => {
    const db = openDatabase(file);
    const live = ownerId(100, "live");
    admitRun(db, run("alive", "2024-01-01T00:00:00.000Z"), {}, live, true);
    admitRun(db, run("dead-pid", "2024-01-01T00:00:01.000Z"), {}, ownerId(200, "x"), true);
    admitRun(db, run("restarted", "2024-01-01T00:00:02.000Z"), {}, ownerId(100, "old"), true);
    const recovered = failOrphanedRunsOf(db, CRASH, { deadOwners: [ownerId(100, "old")], isAlive: (pid) => pid === 100 });
    expect(recovered.map((r) => r.runId).sort()).toEqual(["dead-pid", "restarted"]);
    expect(getRun(db, "alive")?.status).toBe("pending");
    expect(lastRun(db, "t")).toMatchObject({ runId: "restarted", status: "error", error: { className: "Crash" } });
    db.close();
  });
});
