// The requests stored with runs, read back whole or only the keys asked for (a thread's config
// needs each run's `config`, not its input, which may be large).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { openDatabase } from "../storage/database";
import { newRunInfo } from "../storage/runs-table";
import { admitRun } from "../runs/runs-store";
import { runRequests } from "./run-requests";

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-requests-"));
  db = openDatabase(path.join(dir, "r.db"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(runId: string, threadId: string, kwargs: unknown): void {
  const info = newRunInfo({ runId, threadId, graphId: "g", createdAt: new Date().toISOString() });
  expect(admitRun(db, info, kwargs as never, "owner", true).admitted).toBe(true);
}

describe("runRequests", () => {
  it("answers whole requests, or only the keys asked for, leaving out runs without one", () => {
    const request = { input: { text: "x".repeat(1000) }, config: { configurable: { user: "u1", n: 2, ok: true, s: "a\"b" } }, stream_mode: ["values"] };
    store("r1", "t", { threadId: "t", request });
    store("r2", "t", { threadId: "t", request: { input: null } });
    store("r3", "t", { threadId: "t" });
    store("r4", "t", { threadId: "t", request: "not an object" });
    expect(runRequests(db, ["r1", "r2", "r3", "r4", "missing"])).toEqual({ r1: request, r2: { input: null } });
    expect(runRequests(db, ["r1", "r2", "r3", "r4", "missing"], ["config", "stream_mode"])).toEqual({
      r1: { config: request.config, stream_mode: ["values"] },
      r2: {},
    });
    expect(runRequests(db, ["r1"], [])).toEqual({ r1: {} });
  });
});
