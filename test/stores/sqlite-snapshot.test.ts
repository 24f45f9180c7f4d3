// A WAL-mode file is read from a snapshot that shares the file with its writer (a hard link) plus a
// copy of the -wal. When the writer checkpoints, it copies frames into that shared file, some of
// them newer than the snapshot's -wal copy: a read between two polls would then mix two versions
// of the database. Such a read must be noticed and read again from a new snapshot.

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/core/stores/sqlite-store";

const SCHEMA = `
  CREATE TABLE checkpoints (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT, type TEXT, checkpoint BLOB, metadata BLOB, PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id));
  CREATE TABLE writes (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '', checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT, value BLOB,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));`;

describe("a WAL-mode file whose writer checkpoints between two polls", () => {
  let dir: string;
  let file: string;
  let writer: ChildProcessWithoutNullStreams;
  let lines: AsyncIterator<string>;
  let n = 0;
  const run = async (sql: string) => {
    writer.stdin.write(`${sql.replace(/\n/g, " ")}\n`);
    expect((await lines.next()).value).toBe("ok");
  };
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  /** A checkpoint and, in the same transaction, an interrupt waiting at it (as a saver commits them). */
  const put = (threadId: string, text: string) => {
    const id = `1f000000-0000-6000-8000-${String(++n).padStart(12, "0")}`;
    const checkpoint = { v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: { text }, channel_versions: { text: 1 }, versions_seen: {} };
    return run(
      `INSERT INTO checkpoints VALUES (${quote(threadId)}, '', '${id}', NULL, 'json', ${quote(JSON.stringify(checkpoint))}, '{"source":"loop","step":0,"parents":{}}');;` +
        `INSERT INTO writes VALUES (${quote(threadId)}, '', '${id}', 'task', -3, '__interrupt__', 'json', ${quote(JSON.stringify([{ value: text }]))})`,
    );
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "threadline-snapshot-"));
    file = path.join(dir, "live.sqlite");
    writer = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "sql-writer.ts"), file]);
    lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe("ready");
    for (const sql of SCHEMA.split(";")) if (sql.trim()) await run(sql);
    // Enough threads that the two new ones below land on checkpoint pages of their own, while their
    // writes share the last page of the writes table.
    for (let i = 0; i < 400; i++) await put(`m-${String(i).padStart(3, "0")}`, "x".repeat(1500));
    await run("PRAGMA wal_checkpoint(TRUNCATE)");
  });

  afterAll(() => {
    writer.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads again from a new snapshot instead of mixing two versions", async () => {
    await put("a-before", "in the snapshot's -wal copy");
    const store = SqliteStore.open(file);
    try {
      expect(store.mode).toBe("snapshot");
      expect((await store.thread("a-before"))?.threadId).toBe("a-before");
      expect(await store.thread("z-after")).toBeUndefined();
      // After the snapshot: a thread at the other end of the key, and the writer backfills it into the file.
      await put("z-after", "only in the live -wal, then in the file");
      await run("PRAGMA wal_checkpoint(PASSIVE)");
      // No poll in between: the read itself must notice. Whole, it sees the new thread with its row.
      const count = await store.countCheckpoints("z-after");
      const tuple = await store.getTuple({ configurable: { thread_id: "z-after", checkpoint_ns: "" } });
      expect(count).toBe(1);
      expect(tuple?.checkpoint.channel_values.text).toBe("only in the live -wal, then in the file");
      expect(tuple?.pendingWrites).toEqual([["task", "__interrupt__", [{ value: "only in the live -wal, then in the file" }]]]);
      const ids = (await store.threads({ limit: 1000, offset: 0 })).map((t) => t.threadId);
      expect(ids).toHaveLength(402);
      // The checkpoint and its write were committed together: a torn read shows one without the other.
      for (const id of ["a-before", "z-after"]) {
        const head = await store.getTuple({ configurable: { thread_id: id, checkpoint_ns: "" } });
        expect(head?.pendingWrites?.map(([, channel]) => channel), id).toEqual(["__interrupt__"]);
      }
    } finally {
      await store.close();
    }
    // Only the writer's own files beside it.
    expect(readdirSync(dir).sort()).toEqual(["live.sqlite", "live.sqlite-shm", "live.sqlite-wal"]);
  });
});
