// A LangGraph saver's SQLite file, read where it is without changing it.
//
// SQLite itself would change it: any connection to a WAL-mode database
// creates `-wal`/`-shm` beside it when they are absent, writes into an
// existing `-shm`, and a writable connection folds the WAL into the file on
// close. better-sqlite3 is built without URI filenames, so `immutable=1` is
// not available. Hence:
// - a rollback-journal file (header byte 18 = 1) with no `-wal` is opened
//   read-only in place: readers of such a file create nothing and take only
//   shared locks, and `PRAGMA data_version` tells when a writer committed;
// - a WAL-mode file is read from a private snapshot in a temporary folder,
//   where SQLite keeps its own -wal/-shm: with no `-wal` beside the file (no
//   writer has it open; the file cannot change before one creates the -wal)
//   the snapshot is a hard link to the file itself, instant even for a large
//   file (a copy where linking is not allowed); with a `-wal`, the file and
//   its -wal are copied (committed frames still in the WAL included; SQLite
//   rebuilds the index there), and copied again when their size or time
//   changes - the -wal alone when only it changed. Each copy is checked
//   against a second look at the originals, so a copy taken while the
//   writer checkpointed is taken again.

import { constants, copyFileSync, existsSync, linkSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { walMode } from "../importers/source-file";
import { assertSqliteFile, nativeBindingOption } from "../storage/database";
import { StorageError } from "../storage/errors";

const ATTEMPTS = 5;

/** What tells that a writer changed the file (not ctime: the snapshot's hard link changes that). */
function signatureOf(file: string): string {
  if (!existsSync(file)) return "-";
  const s = statSync(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

export class SqliteFile {
  private connection: Database.Database | undefined;
  private copyDir: string | undefined;
  private signature = "";
  private dataVersion = -1;
  /** How the file is read: in place, or from a private snapshot. */
  mode: "in-place" | "snapshot" = "in-place";

  constructor(readonly file: string) {
    if (!existsSync(file)) throw new StorageError("CANNOT_OPEN", `Cannot open ${file}: the file does not exist.`);
    if (statSync(file).isDirectory()) throw new StorageError("CANNOT_OPEN", `Cannot open ${file}: it is a folder, not a database file.`);
    assertSqliteFile(file);
    this.refresh();
  }

  get db(): Database.Database {
    if (!this.connection) throw new StorageError("CANNOT_OPEN", `${this.file} is closed.`);
    return this.connection;
  }

  private currentSignature(): string {
    return `${signatureOf(this.file)}|${signatureOf(`${this.file}-wal`)}`;
  }

  /** Looks for a writer's changes; reopens or re-copies when there are. Answers whether anything changed. */
  refresh(): boolean {
    const signature = this.currentSignature();
    const wantSnapshot = existsSync(`${this.file}-wal`) || walMode(this.file);
    if (this.connection && !wantSnapshot && this.mode === "in-place") {
      const version = this.connection.pragma("data_version", { simple: true }) as number;
      if (version === this.dataVersion && signature === this.signature) return false;
      this.dataVersion = version;
      this.signature = signature;
      return true;
    }
    if (this.connection && signature === this.signature) return false;
    this.reopen(wantSnapshot);
    return true;
  }

  private reopen(snapshot: boolean): void {
    this.closeConnection();
    if (!snapshot) {
      this.mode = "in-place";
      this.signature = this.currentSignature();
      this.connection = this.openDatabase(this.file);
      this.dataVersion = this.connection.pragma("data_version", { simple: true }) as number;
      return;
    }
    this.mode = "snapshot";
    this.copyDir ??= mkdtempSync(path.join(tmpdir(), "threadline-open-"));
    const copy = path.join(this.copyDir, "snapshot.sqlite");
    for (let attempt = 1; ; attempt++) {
      const before = this.currentSignature();
      const mainBefore = signatureOf(this.file);
      const hasWal = existsSync(`${this.file}-wal`);
      for (const suffix of ["-wal", "-shm"]) rmSync(copy + suffix, { force: true });
      if (!hasWal || mainBefore !== this.mainCopied || !existsSync(copy)) this.snapshotMain(copy, hasWal);
      this.mainCopied = hasWal ? mainBefore : "";
      if (hasWal) copyFileSync(`${this.file}-wal`, `${copy}-wal`, constants.COPYFILE_FICLONE);
      if (this.currentSignature() === before || attempt === ATTEMPTS) {
        this.signature = before;
        break;
      }
    }
    this.connection = this.openDatabase(copy);
  }

  /** The main file's signature when it was last copied (not linked); a copy is reused while it holds. */
  private mainCopied = "";

  private snapshotMain(copy: string, hasWal: boolean): void {
    rmSync(copy, { force: true });
    if (!hasWal) {
      try {
        linkSync(this.file, copy);
        return;
      } catch {
        // Another filesystem, or linking not permitted: copy instead.
      }
    }
    // A reflink where the filesystem has them (instant), a plain copy where not.
    copyFileSync(this.file, copy, constants.COPYFILE_FICLONE);
  }

  private openDatabase(file: string): Database.Database {
    try {
      const db = new Database(file, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
      db.prepare("SELECT count(*) FROM sqlite_master").get();
      return db;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new StorageError(code === "SQLITE_NOTADB" ? "NOT_SQLITE" : "CANNOT_OPEN", `Cannot open ${this.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private closeConnection(): void {
    if (this.connection?.open) this.connection.close();
    this.connection = undefined;
  }

  close(): void {
    this.closeConnection();
    if (this.copyDir) rmSync(this.copyDir, { recursive: true, force: true });
    this.copyDir = undefined;
  }
}
