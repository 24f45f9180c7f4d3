/**
 * The step journal: an append-only file next to the database where a writer (one saver) records
 * each put's rows before they reach the tables (step-batch.ts). One `writeSync` puts a record in the
 * operating system's page cache, which survives the process being killed, so a put can resolve
 * before its SQLite commit: its rows are written with later steps' in one transaction, and the
 * journal is emptied once they are. A journal left by a writer that is gone is replayed into the
 * tables by whoever next opens the file for writing (`replayJournals`), then removed.
 *
 * Files are named `<database>-tlj-<pid>-<writer>`: a live writer's journal is never replayed by
 * another. A journal of another process is replayed once that process is gone; one of this process
 * (another worker thread) only when its writer is named dead (a runner worker stopped mid-run).
 */
import { closeSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import type Database from "better-sqlite3";
import { RecordReader, recordsOf } from "./journal-codec";
import { decodeEntry, describeEntry, StepRows, type StepEntry } from "./step-rows";

const MARK = "-tlj-";
let journalsMade = 0;

function isInMemory(file: string): boolean {
  return file === ":memory:" || file === "";
}

/** The writer part of a journal's name for a run owner id (`pid:instance`, runs-store.ts). */
export function journalWriterOf(owner: string): string {
  return owner.replace(/[^A-Za-z0-9_.-]/g, "-");
}

/** A new writer name for this process and thread. */
function defaultWriter(): string {
  return `${process.pid}-t${threadId}-${journalsMade++}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A journal file starts with MAGIC and the epoch its current records are checksummed with. */
const MAGIC = 0x4a4c5454; // "TTLJ"
const FILE_HEADER = 8;

export class Journal {
  private fd: number | null = null;
  private size = FILE_HEADER;
  private readonly header = Buffer.alloc(FILE_HEADER);
  /** Records are checksummed with it; a new one for each batch makes the earlier records stale. */
  epoch = (Math.random() * 0xffffffff) >>> 0;
  readonly path: string;

  constructor(dbFile: string, writer = defaultWriter()) {
    this.path = `${dbFile}${MARK}${writer}`;
  }

  private writeHeader(fd: number): void {
    this.header.writeUInt32LE(MAGIC, 0);
    this.header.writeUInt32LE(this.epoch, 4);
    writeSync(fd, this.header, 0, FILE_HEADER, 0);
  }

  /** Appends records (bytes 0..length of buf) with one write; throws if the write fails. */
  append(buf: Buffer, length: number): void {
    if (this.fd === null) {
      const fd = openSync(this.path, "w");
      try {
        this.writeHeader(fd);
      } catch (error) {
        closeSync(fd);
        throw error;
      }
      this.fd = fd;
      this.size = FILE_HEADER;
    }
    let done = 0;
    while (done < length) done += writeSync(this.fd, buf, done, length - done, this.size + done);
    this.size += length;
  }

  /**
   * The records so far are in the tables: the next batch's go over them, under a new epoch. While
   * a run goes on, the file is kept (rewriting its first pages costs less than a new file each time).
   */
  recycle(): void {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.fd === null) return;
    try {
      this.writeHeader(this.fd);
      this.size = FILE_HEADER;
    } catch {
      // The records are in the tables either way: start the next batch in a new file.
      this.reset();
    }
  }

  /**
   * Removes the journal once its records are in the tables (when the event loop turns: between
   * runs a worker keeps neither a file nor a descriptor open).
   */
  reset(): void {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.size = FILE_HEADER;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }

  /** The saver is closing: its records are in the tables. */
  close(): void {
    this.reset();
  }
}

/** Whether process `pid` still runs (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The journals next to `dbFile` whose writers are gone: other processes that ended, or `deadWriters` of this one. */
function orphanedJournals(dbFile: string, deadWriters: readonly string[]): string[] {
  const prefix = `${basename(dbFile)}${MARK}`;
  let names: string[];
  try {
    names = readdirSync(dirname(dbFile));
  } catch {
    return [];
  }
  const dead = new Set(deadWriters);
  return names
    .filter((name) => {
      if (!name.startsWith(prefix)) return false;
      const writer = name.slice(prefix.length);
      const pid = Number(writer.split("-")[0]);
      if (!Number.isInteger(pid) || pid <= 0) return false;
      if (pid === process.pid) return dead.has(writer);
      return dead.has(writer) || !processAlive(pid);
    })
    .map((name) => join(dirname(dbFile), name));
}

/** A journal's whole records of its current epoch; a torn last record (the writer killed mid-append) is left out. */
export function journalEntries(file: Buffer): StepEntry[] {
  if (file.length < FILE_HEADER || file.readUInt32LE(0) !== MAGIC) return [];
  const entries: StepEntry[] = [];
  for (const record of recordsOf(file, file.readUInt32LE(4), FILE_HEADER)) {
    try {
      entries.push(decodeEntry(new RecordReader(record)));
    } catch {
      break; // Not a record this build wrote: what follows it cannot be trusted either.
    }
  }
  return entries;
}

/**
 * Writes the records of journals left by writers that are gone into the tables (idempotently, so
 * a journal whose rows were already written is harmless), then removes them. Returns how many
 * records were replayed.
 */
export function replayJournals(db: Database.Database, deadWriters: readonly string[] = []): number {
  if (isInMemory(db.name) || db.readonly) return 0;
  let replayed = 0;
  const rows = new StepRows(db);
  for (const path of orphanedJournals(db.name, deadWriters)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // Replayed and removed by another opener meanwhile.
    }
    const entries = journalEntries(bytes);
    rows.write(entries, (entry, error) =>
      console.error(`[threadline] replaying ${path}: SQLite refused the ${describeEntry(entry)}; it was left out:`, error),
    );
    replayed += entries.length;
    try {
      unlinkSync(path);
    } catch {
      // Removed by another opener that replayed it too.
    }
  }
  return replayed;
}
