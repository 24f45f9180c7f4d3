// Migration 11 rebuilds tl_blobs with its key in a new column order: a file written before it must
// read back exactly (whole values, delta chains, keyframes, writes) and keep growing.
import Database from "better-sqlite3";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SqliteCheckpointer, migrate, schemaVersion } from "./index";
import { collect, putStep, tempDir, threadRoot, type Parent } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const THREAD = { configurable: { thread_id: "t" } };

async function writeThread(saver: SqliteCheckpointer, steps: number): Promise<Parent> {
  let parent: Parent = threadRoot("t");
  let messages: { id: number; text: string }[] = [];
  for (let step = 0; step < steps; step++) {
    messages = messages.concat([{ id: step, text: `message ${step} `.repeat(30) }]);
    const put = await putStep(saver, parent, { changes: { messages, count: step }, nodes: ["agent"], step });
    await saver.putWrites(put.config, [["messages", [{ id: step + 1 }]]], `task-${step}`);
    parent = put;
  }
  return parent;
}

/** A file as schema version 10 left it, holding the rows `source` wrote. */
function versionTenCopy(source: string): string {
  const file = tmp.file("v10.sqlite");
  const db = new Database(file);
  try {
    migrate(db, file, MIGRATIONS.filter((m) => m.version <= 10));
    expect(schemaVersion(db)).toBe(10);
    db.exec(`ATTACH '${source}' AS src`);
    db.exec(`
      INSERT INTO tl_checkpoints SELECT * FROM src.tl_checkpoints;
      INSERT INTO tl_writes SELECT * FROM src.tl_writes;
      INSERT INTO tl_threads SELECT * FROM src.tl_threads;
      INSERT INTO tl_blobs (thread_id, checkpoint_ns, channel, version, kind, base_version, type, value)
        SELECT thread_id, checkpoint_ns, channel, version, kind, base_version, type, value FROM src.tl_blobs;
    `);
    db.exec("DETACH src");
  } finally {
    db.close();
  }
  return file;
}

function blobKeyColumns(db: Database.Database): string[] {
  const index = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tl_blobs'").get() as { name: string };
  return (db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(index.name) as { name: string }[]).map((r) => r.name);
}

describe("migration 11 (tl_blobs keyed by version before channel)", () => {
  it("upgrades a version-10 file: every checkpoint, value and write reads back the same, and the thread goes on", async () => {
    const sourceFile = tmp.file("source.sqlite");
    const source = new SqliteCheckpointer(sourceFile);
    await writeThread(source, 40);
    const expected = await collect(source.list(THREAD));
    const blobRows = (source.db.prepare("SELECT count(*) AS n FROM tl_blobs").get() as { n: number }).n;
    const deltas = (source.db.prepare("SELECT count(*) AS n FROM tl_blobs WHERE kind = 1").get() as { n: number }).n;
    source.close();
    expect(deltas).toBeGreaterThan(10);

    const file = versionTenCopy(sourceFile);
    const before = new Database(file);
    expect(blobKeyColumns(before)).toEqual(["thread_id", "checkpoint_ns", "channel", "version"]);
    before.close();

    const saver = new SqliteCheckpointer(file);
    try {
      expect(schemaVersion(saver.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(blobKeyColumns(saver.db)).toEqual(["thread_id", "checkpoint_ns", "version", "channel"]);
      expect((saver.db.prepare("SELECT count(*) AS n FROM tl_blobs").get() as { n: number }).n).toBe(blobRows);
      expect(saver.db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(await collect(saver.list(THREAD))).toEqual(expected);

      // The thread goes on: a put on the migrated head (stored whole: this process has not seen the
      // list before), then one stored as a delta on it, both read back whole.
      const head = expected[0]!;
      let parent: Parent = { config: head.config, checkpoint: head.checkpoint };
      let messages = head.checkpoint.channel_values.messages as unknown[];
      const kinds: number[] = [];
      for (const id of [99, 100]) {
        messages = [...messages, { id, text: "after the upgrade" }];
        const put = await putStep(saver, parent, { changes: { messages }, nodes: ["agent"], step: id });
        saver.flushWrites();
        const row = saver.db
          .prepare("SELECT kind FROM tl_blobs WHERE thread_id = 't' AND channel = 'messages' AND version = ?")
          .get(put.checkpoint.channel_versions.messages) as { kind: number };
        kinds.push(row.kind);
        expect((await saver.getTuple(put.config))?.checkpoint.channel_values.messages).toEqual(messages);
        parent = put;
      }
      expect(kinds).toEqual([0, 1]);
    } finally {
      saver.close();
    }
  });
});
