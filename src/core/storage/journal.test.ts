// The step journal: records read back as written, a torn tail is ignored, and only journals whose
// writer is gone are replayed (idempotently), then removed.
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import Database from "better-sqlite3";
import { checkpointSummaries, getThreadIndex, SqliteCheckpointer } from "./index";
import { openDatabase } from "./database";
import { journalEntries, journalWriterOf, replayJournals } from "./journal";
import { RecordReader, RecordWriter, recordsOf } from "./journal-codec";
import { checkpointEntry, describeEntry, encodeEntry, StepRows } from "./step-rows";
import { collect, putStep, tempDir, threadRoot, type Parent, type Put } from "./test-helpers";

const journalsOf = (file: string) => readdirSync(dirname(file)).filter((name) => name.startsWith(`${basename(file)}-tlj-`));

/**
 * Steps as LangGraph writes them: a task's writes are not awaited before the next put (they resolve
 * with its journal write), so the event loop does not turn between steps.
 */
async function writeSteps(saver: SqliteCheckpointer, threadId: string, count: number): Promise<Put[]> {
  const puts: Put[] = [];
  const writes: Promise<void>[] = [];
  let parent: Parent = threadRoot(threadId);
  let messages: { id: number; text: string }[] = [];
  for (let step = 0; step < count; step++) {
    messages = [...messages, { id: step, text: `message ${step} `.repeat(60) }];
    const put = await putStep(saver, parent, { changes: { messages, count: step }, nodes: ["agent"], step });
    writes.push(saver.putWrites(put.config, [["messages", [{ id: step + 1 }]]], `task-${step}`, `~${step}`));
    puts.push(put);
    parent = put;
  }
  // The last step's writes resolve once the batch is written (the event loop turning).
  await Promise.all(writes.slice(0, -1));
  return puts;
}

describe("journal records", () => {
  it("read back every value as written, and stop at a torn or damaged record", () => {
    const out = new RecordWriter();
    const values = [null, "", "text ✓ with UTF-8", 0, -1.5, 2 ** 40, Buffer.from([0, 1, 2, 255]), "x".repeat(100_000)];
    out.begin();
    out.params(values);
    out.end(7);
    out.begin();
    out.params(["second"]);
    out.end(7);
    const [buf, length] = out.bytes();
    const file = Buffer.from(buf.subarray(0, length));
    const records = recordsOf(file, 7);
    expect(records).toHaveLength(2);
    // Records of another epoch (an earlier batch in a reused file) do not pass.
    expect(recordsOf(file, 8)).toHaveLength(0);
    expect(new RecordReader(records[0]!).params()).toEqual(values.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v)));
    expect(new RecordReader(records[1]!).params()).toEqual(["second"]);
    // The second record cut short (a kill mid-write), then one of its bytes changed.
    expect(recordsOf(file.subarray(0, file.length - 3), 7)).toHaveLength(1);
    const damaged = Buffer.from(file);
    damaged[damaged.length - 2] = damaged[damaged.length - 2]! ^ 0xff;
    expect(recordsOf(damaged, 7)).toHaveLength(1);
    expect(() => out.param({} as never)).toThrow(/cannot write a parameter of type object/);
  });
});

describe("step journal", () => {
  const tmp = tempDir("threadline-journal-");
  afterAll(() => tmp.remove());

  it("keeps resolved puts only in the journal until a batch is written, and removes it once written", async () => {
    const file = tmp.file("batch.sqlite");
    const saver = new SqliteCheckpointer(file);
    const other = new Database(file, { readonly: true });
    try {
      const puts = await writeSteps(saver, "t", 5);
      // Resolved, in the journal, not yet in the tables another connection reads: five checkpoints
      // and four tasks' writes (the last one's go out with the next put's record, or the batch).
      expect(journalsOf(file)).toHaveLength(1);
      expect(journalEntries(readFileSync(`${dirname(file)}/${journalsOf(file)[0]}`))).toHaveLength(9);
      expect(other.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 0 });
      // The event loop turning writes the batch.
      await new Promise((resolve) => setImmediate(resolve));
      expect(other.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 5 });
      expect(other.prepare("SELECT count(*) AS n FROM tl_writes").get()).toEqual({ n: 5 });
      expect(journalsOf(file)).toEqual([]);
      expect(getThreadIndex(saver.db, "t")).toMatchObject({ headCheckpointId: puts.at(-1)!.checkpoint.id, checkpointCount: 5 });
    } finally {
      other.close();
      saver.close();
    }
  });

  it("writes a batch once it holds the cap of steps, without waiting for the event loop", async () => {
    const file = tmp.file("cap.sqlite");
    const saver = new SqliteCheckpointer(file);
    const other = new Database(file, { readonly: true });
    try {
      // Each put resolves without the event loop turning (as inside a LangGraph run).
      await writeSteps(saver, "t", 100);
      const written = (other.prepare("SELECT count(*) AS n FROM tl_checkpoints").get() as { n: number }).n;
      expect(written).toBeGreaterThanOrEqual(48);
      expect(written).toBeLessThan(100);
    } finally {
      other.close();
      saver.close();
    }
  });

  it("writes pending rows before the saver's reads, direct reads of its connection, deletes and close", async () => {
    const file = tmp.file("readers.sqlite");
    const saver = new SqliteCheckpointer(file);
    const puts = await writeSteps(saver, "t", 3);
    expect(checkpointSummaries(saver.db, "t")).toHaveLength(3);
    const more = await writeSteps(saver, "u", 2);
    expect((await saver.getTuple(more[1]!.config))?.checkpoint.id).toBe(more[1]!.checkpoint.id);
    await writeSteps(saver, "v", 2);
    expect(await collect(saver.list({ configurable: { thread_id: "v" } }))).toHaveLength(2);
    saver.close();
    expect(journalsOf(file)).toEqual([]);
    const reopened = new SqliteCheckpointer(file);
    expect((await reopened.getTuple(puts[2]!.config))?.pendingWrites).toEqual([["task-2", "messages", [{ id: 3 }]]]);
    reopened.close();
  });

  it("never lets a rolled-back run's checkpoints land after the rollback", async () => {
    const file = tmp.file("rollback.sqlite");
    const saver = new SqliteCheckpointer(file);
    try {
      const kept = await writeSteps(saver, "t", 2);
      await new Promise((resolve) => setImmediate(resolve));
      // The "run": three more steps, still pending when it is rolled back.
      let parent: Parent = kept[1]!;
      const run: string[] = [];
      for (let step = 2; step < 5; step++) {
        const put = await putStep(saver, parent, { changes: { count: step }, nodes: ["agent"], step });
        run.push(put.checkpoint.id);
        parent = put;
      }
      expect(saver.hasPendingWrites).toBe(true);
      saver.deleteCheckpoints("t", run);
      await new Promise((resolve) => setImmediate(resolve));
      saver.flushWrites();
      expect(checkpointSummaries(saver.db, "t").map((s) => s.checkpointId)).toEqual(kept.map((p) => p.checkpoint.id).reverse());
      expect(getThreadIndex(saver.db, "t")).toMatchObject({ headCheckpointId: kept[1]!.checkpoint.id, checkpointCount: 2 });
      expect(journalsOf(file)).toEqual([]);
    } finally {
      saver.close();
    }
  });

  it("stores a value whole when another connection deleted its delta's base before the batch was written", async () => {
    const file = tmp.file("base-gone.sqlite");
    const saver = new SqliteCheckpointer(file);
    const other = openDatabase(file);
    try {
      const first = await writeSteps(saver, "t", 2);
      await new Promise((resolve) => setImmediate(resolve));
      // The next put plans a delta on the stored list; the thread is deleted elsewhere before it is written.
      const messages = [...(first[1]!.checkpoint.channel_values.messages as unknown[]), { id: 9, text: "after the delete" }];
      const put = await putStep(saver, first[1]!, { changes: { messages }, nodes: ["agent"], step: 2 });
      for (const table of ["tl_writes", "tl_blobs", "tl_checkpoints", "tl_threads"]) other.prepare(`DELETE FROM ${table}`).run();
      saver.flushWrites();
      const row = saver.db.prepare("SELECT kind FROM tl_blobs WHERE channel = 'messages'").all() as { kind: number }[];
      expect(row).toEqual([{ kind: 0 }]);
      expect((await saver.getTuple(put.config))?.checkpoint.channel_values.messages).toEqual(messages);
    } finally {
      other.close();
      saver.close();
    }
  });

  it("writes a put's rows to the tables at once when its journal cannot be written", async () => {
    const file = tmp.file("no-journal.sqlite");
    mkdirSync(`${file}-tlj-${process.pid}-blocked`);
    const saver = new SqliteCheckpointer(file, { journalWriter: journalWriterOf(`${process.pid}:blocked`) });
    const other = new Database(file, { readonly: true });
    try {
      await writeSteps(saver, "t", 3);
      // Each put (with the writes queued before it) is in the tables once it has resolved.
      expect(other.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 3 });
      expect(other.prepare("SELECT count(*) AS n FROM tl_writes").get()).toEqual({ n: 2 });
    } finally {
      other.close();
      saver.close();
    }
  });

  it("leaves out a step SQLite refuses and writes the others, live and when replaying", async () => {
    const file = tmp.file("refused.sqlite");
    const saver = new SqliteCheckpointer(file);
    const puts = await writeSteps(saver, "t", 3);
    saver.close();
    const db = openDatabase(file);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const rows = new StepRows(db);
      const entry = (id: string, step: number | null) => {
        const good = checkpointEntry(
          { thread_id: "u", checkpoint_ns: "", checkpoint_id: id, parent_checkpoint_id: null, step: 0, source: "loop", nodes: "[]", created_at: "2026-01-01", type: "json", checkpoint: Buffer.from("{}"), metadata_type: "json", metadata: Buffer.from("{}") },
          [],
          undefined,
        );
        good.checkpoint[4] = step; // tl_checkpoints.step is NOT NULL: null is refused
        return good;
      };
      const refused: string[] = [];
      rows.write([entry("a", 0), entry("b", null), entry("c", 1)], (e) => refused.push(describeEntry(e)));
      expect(refused).toEqual(['checkpoint b of thread "u"']);
      expect(db.prepare("SELECT checkpoint_id FROM tl_checkpoints WHERE thread_id = 'u' ORDER BY checkpoint_id").all()).toEqual([
        { checkpoint_id: "a" },
        { checkpoint_id: "c" },
      ]);
      expect(getThreadIndex(db, "u")).toMatchObject({ checkpointCount: 2 });

      // A dead writer's journal holding a refused step between two good ones: the file still opens.
      const out = new RecordWriter();
      const journal = `${dirname(file)}/${basename(file)}-tlj-999999998-gone`;
      const epoch = 5;
      for (const e of [entry("d", 2), entry("e", null), entry("f", 3)]) {
        out.begin();
        encodeEntry(out, e);
        out.end(epoch);
      }
      const [buf, length] = out.bytes();
      const header = Buffer.alloc(8);
      header.writeUInt32LE(0x4a4c5454, 0);
      header.writeUInt32LE(epoch, 4);
      writeFileSync(journal, Buffer.concat([header, buf.subarray(0, length)]));
      db.close();
      const reopened = new SqliteCheckpointer(file);
      try {
        expect(existsSync(journal)).toBe(false);
        const ids = reopened.db.prepare("SELECT checkpoint_id FROM tl_checkpoints WHERE thread_id = 'u' ORDER BY checkpoint_id").all();
        expect(ids).toEqual(["a", "c", "d", "f"].map((checkpoint_id) => ({ checkpoint_id })));
        expect((await reopened.getTuple(puts[2]!.config))?.checkpoint).toEqual(puts[2]!.checkpoint);
        expect(logged).toHaveBeenCalledWith(expect.stringContaining('refused the checkpoint e of thread "u"'), expect.anything());
      } finally {
        reopened.close();
      }
    } finally {
      logged.mockRestore();
      if (db.open) db.close();
    }
  });

  it("replays a gone writer's journal once, idempotently, and never a live writer's", async () => {
    const file = tmp.file("replay.sqlite");
    const saver = new SqliteCheckpointer(file, { journalWriter: journalWriterOf(`${process.pid}:writer-a`) });
    const puts = await writeSteps(saver, "t", 4);
    const [name] = journalsOf(file);
    expect(name).toBe(`${basename(file)}-tlj-${process.pid}-writer-a`);
    const journal = `${dirname(file)}/${name}`;
    const saved = `${journal}.copy`;
    copyFileSync(journal, saved);

    // Another connection of this process: the writer is alive, its journal is left alone.
    const reader = openDatabase(file);
    expect(replayJournals(reader)).toBe(0);
    expect(reader.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 0 });
    // Named dead (its worker was stopped), it is replayed and removed.
    expect(replayJournals(reader, [journalWriterOf(`${process.pid}:writer-a`)])).toBe(7);
    expect(existsSync(journal)).toBe(false);
    expect(reader.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 4 });

    // The same records again (a journal whose batch was written just before the kill): nothing doubles.
    saver.flushWrites();
    writeFileSync(journal, readFileSync(saved));
    expect(replayJournals(reader, [journalWriterOf(`${process.pid}:writer-a`)])).toBe(7);
    expect(reader.prepare("SELECT count(*) AS n FROM tl_checkpoints").get()).toEqual({ n: 4 });
    expect(reader.prepare("SELECT count(*) AS n FROM tl_writes").get()).toEqual({ n: 4 });
    expect(getThreadIndex(reader, "t")).toMatchObject({ headCheckpointId: puts[3]!.checkpoint.id, checkpointCount: 4 });
    expect(reader.pragma("integrity_check", { simple: true })).toBe("ok");

    // A journal of a process that has ended is replayed by the next opener, a torn last record left out.
    const dead = `${dirname(file)}/${basename(file)}-tlj-999999999-gone`;
    const bytes = readFileSync(saved);
    writeFileSync(dead, bytes);
    appendFileSync(dead, bytes.subarray(0, 20));
    for (const table of ["tl_writes", "tl_blobs", "tl_checkpoints", "tl_threads"]) reader.prepare(`DELETE FROM ${table}`).run();
    reader.close();
    saver.close();
    const reopened = new SqliteCheckpointer(file);
    try {
      expect(existsSync(dead)).toBe(false);
      for (const put of puts) expect((await reopened.getTuple(put.config))?.checkpoint).toEqual(put.checkpoint);
      expect(getThreadIndex(reopened.db, "t")).toMatchObject({ checkpointCount: 4 });
    } finally {
      reopened.close();
    }
  });
});
