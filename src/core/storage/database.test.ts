import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import Database from "better-sqlite3";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SqliteCheckpointer, StorageError, migrate, openDatabase, schemaVersion } from "./index";
import { putStep, tempDir, threadRoot } from "./test-helpers";
import { LANGGRAPH_FIXTURES } from "../../../test/support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

function openError(file: string): StorageError {
  try {
    new SqliteCheckpointer(file).close();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error(`${file} opened`);
}

describe("openDatabase", () => {
  it.each([
    ["a text file", Buffer.from("name,age\nada,36\n".repeat(50))],
    ["a short file", Buffer.from("SQLite")],
    ["a file with almost the SQLite header", Buffer.concat([Buffer.from("SQLite format 4\0"), Buffer.alloc(4096, 7)])],
  ])("refuses %s with a clear error and leaves it byte for byte unchanged", (_, content) => {
    const file = tmp.file("notes.db");
    writeFileSync(file, content);
    const error = openError(file);
    expect(error.code).toBe("NOT_SQLITE");
    expect(error.message).toContain(file);
    expect(readFileSync(file).equals(content)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(["notes.db"]);
  });

  it("refuses a folder", () => {
    expect(openError(tmp.dir).code).toBe("CANNOT_OPEN");
  });

  it("creates a new file in WAL mode with Threadline's tables and its version in tl_meta", () => {
    const file = tmp.file("new.sqlite");
    const db = openDatabase(file);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(1);
      expect(db.pragma("busy_timeout", { simple: true })).toBeGreaterThan(0);
      expect(db.pragma("user_version", { simple: true })).toBe(0);
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
      expect(tables.every(({ name }) => name.startsWith("tl_"))).toBe(true);
    } finally {
      db.close();
    }
  });

  it("runs each migration once, also when opened again", () => {
    const file = tmp.file("twice.sqlite");
    openDatabase(file).close();
    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    } finally {
      db.close();
    }
  });

  it("appends new migrations to an existing file", () => {
    const file = tmp.file("grow.sqlite");
    openDatabase(file).close();
    const db = new Database(file);
    try {
      const next = { version: LATEST_SCHEMA_VERSION + 1, name: "extra", up: (d: Database.Database) => d.exec("CREATE TABLE tl_extra (x)") };
      migrate(db, file, [...MIGRATIONS, next]);
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION + 1);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'tl_extra'").get()).toBeDefined();
    } finally {
      db.close();
    }
  });

  it("refuses a file written by a newer schema", () => {
    const file = tmp.file("future.sqlite");
    openDatabase(file).close();
    const db = new Database(file);
    db.prepare("UPDATE tl_meta SET value = ? WHERE key = 'schema_version'").run(String(LATEST_SCHEMA_VERSION + 1));
    db.close();
    const error = openError(file);
    expect(error.code).toBe("UNSUPPORTED_SCHEMA");
    expect(error.message).toContain(file);
  });
});

/** Every row of every table that is not Threadline's, plus the schema and user_version. */
function foreignContent(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const schema = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'tl\\_%' ESCAPE '\\' ORDER BY name").all() as {
      type: string;
      name: string;
    }[];
    const rows = schema
      .filter((entry) => entry.type === "table" && !entry.name.startsWith("sqlite_"))
      .map((entry) => db.prepare(`SELECT * FROM "${entry.name}" ORDER BY rowid`).all());
    return JSON.stringify({ schema, rows, userVersion: db.pragma("user_version", { simple: true }) }, (_, value) =>
      value?.type === "Buffer" ? Buffer.from(value.data).toString("base64") : value,
    );
  } finally {
    db.close();
  }
}

describe("a database the user's app already uses", () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => /\.(sqlite|db)$/.test(name));

  it.each(fixtures)("leaves the tables of %s alone", async (name) => {
    // Fixtures are copied with their -wal/-shm sidecars: SQLite would rewrite them in place.
    for (const sidecar of ["", "-wal", "-shm"]) {
      if (existsSync(join(FIXTURES, name + sidecar))) copyFileSync(join(FIXTURES, name + sidecar), tmp.file(name + sidecar));
    }
    const file = tmp.file(basename(name));
    const before = foreignContent(file);
    expect(before.length).toBeGreaterThan(100);

    const saver = new SqliteCheckpointer(file);
    const first = await putStep(saver, threadRoot("threadline-thread"), { changes: { messages: ["hello"] } });
    await putStep(saver, first, { changes: { messages: ["hello", "again"] } });
    saver.close();

    expect(foreignContent(file)).toBe(before);
    const reopened = new SqliteCheckpointer(file);
    try {
      expect((await reopened.getTuple({ configurable: { thread_id: "threadline-thread" } }))?.checkpoint.channel_values).toEqual({
        messages: ["hello", "again"],
      });
    } finally {
      reopened.close();
    }
  });
});
