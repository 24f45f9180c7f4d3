import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { StorageError } from "./errors";
import { replayJournals } from "./journal";
import { assertKnownSchema, migrate, schemaVersion } from "./migrations";

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;
/**
 * The WAL is copied into the database every WAL_CHECKPOINT_PAGES pages (SQLite's default is 1000,
 * 4 MB) and cut back to WAL_SIZE_LIMIT afterwards, so that it stays small next to the data: a
 * checkpoint write touches the same few pages each time, and copying them more often costs little.
 */
const WAL_CHECKPOINT_PAGES = 512;
const WAL_SIZE_LIMIT = 2 * 1024 * 1024;

function isInMemory(file: string): boolean {
  return file === ":memory:" || file === "";
}

/**
 * Throws unless `file` is absent, empty, or starts with the SQLite header. Reads it with a plain
 * read-only descriptor: opening a foreign file with SQLite and switching it to WAL would rewrite
 * its header bytes before we ever learnt it was not ours.
 */
export function assertSqliteFile(file: string): void {
  if (isInMemory(file)) return;
  let fd: number;
  try {
    // By type before opening: opening a FIFO for reading would block until a writer comes.
    const stat = statSync(file);
    if (!stat.isFile() && !stat.isDirectory()) {
      throw new StorageError("CANNOT_OPEN", `${file} is not a regular file (a FIFO, socket or device); it was left alone.`);
    }
    fd = openSync(file, "r");
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new StorageError("CANNOT_OPEN", `Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new StorageError("CANNOT_OPEN", `${file} is a folder, not a database file.`);
    // SQLite turns an empty file into a new database; there is nothing in it to lose.
    if (stat.size === 0) return;
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    if (read < header.length || !header.equals(SQLITE_HEADER)) {
      throw new StorageError("NOT_SQLITE", `${file} is not a SQLite database; it was left unchanged.`);
    }
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError("CANNOT_OPEN", `Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    closeSync(fd);
  }
}

/**
 * WAL so readers never block the writer; NORMAL is durable across process crashes in WAL mode.
 * `wal: false` keeps the file's own journal mode: a file another app made (in rollback-journal
 * mode) must not be switched for good by our opening it, since that app may rely on its mode.
 */
export function configureConnection(db: Database.Database, { wal = true } = {}): void {
  if (wal) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
}

/**
 * Inside Electron the Node build of better-sqlite3 cannot load (another ABI): the desktop app points
 * THREADLINE_SQLITE_BINDING at a build for Electron (npm run rebuild:electron), kept apart from
 * node_modules so that the tests' Node build is never replaced.
 */
export function nativeBindingOption(): Database.Options {
  const binding = process.env.THREADLINE_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

/**
 * Opens (or creates) a Threadline database: checks the file is SQLite before SQLite writes to it,
 * configures the connection, runs pending migrations and replays the step journals of writers that
 * are gone (journal.ts). Other tables in the file are left alone.
 */
export function openDatabase(file: string): Database.Database {
  assertSqliteFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, nativeBindingOption());
  } catch (error) {
    throw new StorageError("CANNOT_OPEN", `Cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // Reads first: a damaged body, or a schema newer than this build, is refused before any write
    // (switching to WAL rewrites the header, so it comes after these checks).
    const objects = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
    assertKnownSchema(db, file);
    // WAL for a new file or one of ours; another app's file keeps its journal mode.
    const ours = objects === 0 || schemaVersion(db) > 0;
    configureConnection(db, { wal: ours || isInMemory(file) });
    migrate(db, file);
    // Rows that savers gone since had journaled but not yet written (step-batch.ts).
    if (ours) replayJournals(db);
  } catch (error) {
    db.close();
    if (error instanceof StorageError) throw error;
    const code = (error as { code?: string }).code;
    const kind = code === "SQLITE_NOTADB" ? "NOT_SQLITE" : "CANNOT_OPEN";
    throw new StorageError(kind, `Cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
  return db;
}
