// Files Threadline must leave alone: one it refuses (a newer schema, a FIFO) is not changed by a
// byte, and another app's database given as --db keeps its journal mode.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { LATEST_SCHEMA_VERSION, openDatabase } from "./index";
import { tempDir } from "./test-helpers";

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** A database another program wrote, in rollback-journal mode (SQLite's default). */
function foreign(name: string, extra = ""): string {
  const file = tmp.file(name);
  const db = new Database(file);
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me'); ${extra}`);
  db.close();
  return file;
}

const journalMode = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma("journal_mode", { simple: true });
  } finally {
    db.close();
  }
};

describe("files Threadline leaves alone", () => {
  it("refuses a newer schema without writing a byte: no WAL switch, no sidecar files", () => {
    const file = foreign(
      "newer.db",
      `CREATE TABLE tl_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
       INSERT INTO tl_meta VALUES ('schema_version', '${LATEST_SCHEMA_VERSION + 1}');`,
    );
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: "UNSUPPORTED_SCHEMA", message: expect.stringContaining("left unchanged") }));
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(journalMode(file)).toBe("delete");
  });

  it("keeps another app's database in its own journal mode, its rows intact", () => {
    const file = foreign("app.db");
    const db = openDatabase(file);
    db.prepare("INSERT INTO tl_meta (key, value) VALUES ('probe', 'x') ON CONFLICT DO NOTHING").run();
    db.close();
    expect(journalMode(file)).toBe("delete");
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT text FROM notes").all()).toEqual([{ text: "keep me" }]);
    raw.close();
  });

  it("still makes a new file WAL", () => {
    const file = tmp.file("new.db");
    openDatabase(file).close();
    expect(journalMode(file)).toBe("wal");
  });

  it("refuses a FIFO by its type, without opening it (which would block)", () => {
    const fifo = tmp.file("pipe.db");
    execFileSync("mkfifo", [fifo]);
    expect(() => openDatabase(fifo)).toThrow(expect.objectContaining({ code: "CANNOT_OPEN", message: expect.stringContaining("not a regular file") }));
  });
});
