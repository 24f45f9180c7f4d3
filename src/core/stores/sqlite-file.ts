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
//   where SQLite keeps its own -wal/-shm: a hard link to the file (instant
//   for a 1 GB file: nothing is copied) and a copy of its `-wal`, taken
//   again when the file or its -wal changes (a copy of the file itself only
//   where linking fails, on another filesystem).
//
// A linked snapshot shares the file with the writer, which copies committed
// WAL frames into it when it checkpoints. Frames the snapshot's -wal copy
// also holds change nothing it reads (SQLite reads those pages from the
// -wal); later ones would mix two versions of the database. So every read is
// checked afterwards (`stillWhole`): the file unchanged since the snapshot
// (inode, size, time), and the writer's wal-index (its live -shm, read with
// plain reads) backfilled no frame beyond the last commit of the copy. A
// read that fails the check is thrown away and read again from a new
// snapshot (sqlite-store.ts).

import { constants, copyFileSync, existsSync, linkSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { walMode } from "../importers/source-file";
import { assertSqliteFile, nativeBindingOption } from "../storage/database";
import { StorageError } from "../storage/errors";
import { readWalCopy, readWalIndex, type WalCopy, type WalIndex } from "./wal-frames";

const ATTEMPTS = 20;

/**
 * Inodes a snapshot in this process links to. SQLite keeps one wal-index per inode and process, so
 * two snapshots linking one file would share an index built from one -wal copy while reading
 * another: the second is copied instead.
 */
const linkedInodes = new Set<string>();

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
  /** Set while the snapshot shares the file with its writer (a hard link): then reads are checked. */
  private linked: { main: string; wal: WalCopy | undefined; index: WalIndex | undefined } | undefined;
  /** How the file is read: in place, or from a private snapshot. */
  mode: "in-place" | "snapshot" = "in-place";
  /** Moves with every new connection (a new snapshot): statements prepared on the old one are gone. */
  generation = 0;

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

  /** Looks for a writer's changes; reopens or takes a new snapshot when there are. Answers whether anything changed. */
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

  /**
   * Whether what was read since the snapshot was taken is one version of the database: always for
   * a file read in place or a private copy; for a linked snapshot, when the writer has not copied
   * into the file any frame the snapshot's -wal does not hold.
   */
  stillWhole(): boolean {
    if (!this.linked) return true;
    const { main, wal, index: then } = this.linked;
    if (signatureOf(this.file) !== main) return false;
    const now = readWalIndex(`${this.file}-shm`);
    // No wal-index to read (a writer in exclusive mode): the file's signature is all there is.
    if (!now) return true;
    // Nothing backfilled since the snapshot, or only frames its -wal copy holds.
    if (then && now.salt === then.salt && now.backfilled === then.backfilled) return true;
    return wal !== undefined && now.salt === wal.salt && now.backfilled <= wal.committedFrames;
  }

  /** A new snapshot, after a read found the old one no longer whole. */
  renew(): void {
    this.reopen(true);
  }

  private reopen(snapshot: boolean): void {
    this.closeConnection();
    this.generation++;
    this.linked = undefined;
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
      const index = readWalIndex(`${this.file}-shm`);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
      const linked = this.snapshotMain(copy);
      const hasWal = existsSync(`${this.file}-wal`);
      if (hasWal) copyFileSync(`${this.file}-wal`, `${copy}-wal`, constants.COPYFILE_FICLONE);
      // The file and its -wal the same before and after: the copy is one moment's.
      if (this.currentSignature() === before) {
        this.signature = before;
        if (linked) this.linked = { main: before.split("|")[0]!, wal: hasWal ? readWalCopy(`${copy}-wal`) : undefined, index };
        break;
      }
      if (attempt === ATTEMPTS) {
        throw new StorageError("CANNOT_OPEN", `Cannot read ${this.file}: it changed during each of ${ATTEMPTS} attempts to take a consistent snapshot.`);
      }
    }
    this.connection = this.openDatabase(copy);
  }

  /** The inode this snapshot links to, while it does. */
  private inode: string | undefined;

  /** A hard link where the filesystem allows it (answers true), else a copy (a reflink where there are). */
  private snapshotMain(copy: string): boolean {
    const { dev, ino } = statSync(this.file);
    const inode = `${dev}:${ino}`;
    if (inode === this.inode || !linkedInodes.has(inode)) {
      try {
        linkSync(this.file, copy);
        this.unlinkInode();
        linkedInodes.add((this.inode = inode));
        return true;
      } catch {
        // Another filesystem, or linking not permitted: copied below.
      }
    }
    this.unlinkInode();
    copyFileSync(this.file, copy, constants.COPYFILE_FICLONE);
    return false;
  }

  private unlinkInode(): void {
    if (this.inode) linkedInodes.delete(this.inode);
    this.inode = undefined;
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
    this.unlinkInode();
    if (this.copyDir) rmSync(this.copyDir, { recursive: true, force: true });
    this.copyDir = undefined;
  }
}
