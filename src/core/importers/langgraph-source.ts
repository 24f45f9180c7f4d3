// A checkpoint database written by LangGraph's own SqliteSaver (Python or
// JS), opened for reading. The user's file is never opened: SQLite would
// create sidecar files next to it and, on close, fold its WAL into it. A
// copy of the file and its -wal/-shm is opened instead, so committed data
// still in the WAL is read, and the copy is removed on close.

import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { assertSqliteFile, nativeBindingOption } from "../storage/database";
import { StorageError } from "../storage/errors";
import { assertImportableFile, walMissingNote, walMode } from "./source-file";

export type LangGraphFlavour = "python-msgpack" | "js-json" | "legacy" | "unknown";

export interface CheckpointRecord {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string | null;
  checkpoint: Buffer | string | null;
  metadata: Buffer | string | null;
}

export interface WriteRecord {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  channel: string;
  type: string | null;
  value: Buffer | string | null;
}

const MODERN_CHECKPOINT_COLUMNS = ["thread_id", "checkpoint_ns", "checkpoint_id", "parent_checkpoint_id", "type", "checkpoint", "metadata"];
const MODERN_WRITE_COLUMNS = ["thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx", "channel", "type", "value"];

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
}

/**
 * Whether a SQLite file's tables are a saver's, from the schema alone (no row is read: an opened
 * 1 GB file answers at once), and why it cannot be read if it cannot.
 */
export function checkSaverTables(
  db: Database.Database,
  file: string,
  /** What the caller does with it, for the message: "imported" or "opened". */
  purpose: "imported" | "opened" = "imported",
  /** The header says WAL mode and there is no -wal beside the file (see walMissingNote). */
  walMissing = false,
): { flavour: "legacy" | "unknown" | undefined; unsupported: string | undefined; hasWrites: boolean } {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
    (t) => t.name,
  );
  const checkpointColumns = tables.includes("checkpoints") ? columnsOf(db, "checkpoints") : [];
  const writeColumns = tables.includes("writes") ? columnsOf(db, "writes") : [];
  const hasWrites = MODERN_WRITE_COLUMNS.every((c) => writeColumns.includes(c));
  const name = path.basename(file);
  if (checkpointColumns.length === 0) {
    const found = tables.length > 0 ? `its tables are ${tables.join(", ")}` : "it has no tables";
    return {
      flavour: "unknown",
      hasWrites,
      unsupported: `${name} is not a LangGraph checkpoint database: it has no "checkpoints" table (${found}).${walMissing ? walMissingNote(name) : ""}`,
    };
  }
  if (checkpointColumns.includes("thread_ts") && !checkpointColumns.includes("checkpoint_id")) {
    return {
      flavour: "legacy",
      hasWrites,
      unsupported:
        `${name} was written by the SqliteSaver of LangGraph before 0.2 (July 2024 or earlier): its checkpoints are keyed by ` +
        `thread_ts and have no checkpoint_ns, checkpoint_id or type columns. This legacy schema is not supported; only databases ` +
        `written by langgraph-checkpoint-sqlite (Python) or @langchain/langgraph-checkpoint-sqlite (JS) can be ${purpose}.${purpose === "imported" ? " Nothing was imported." : ""}`,
    };
  }
  if (!MODERN_CHECKPOINT_COLUMNS.every((c) => checkpointColumns.includes(c))) {
    const missing = MODERN_CHECKPOINT_COLUMNS.filter((c) => !checkpointColumns.includes(c));
    return {
      flavour: "unknown",
      hasWrites,
      unsupported: `${name} has a "checkpoints" table LangGraph's SqliteSaver did not write: it lacks the column(s) ${missing.join(", ")}.`,
    };
  }
  return { flavour: undefined, hasWrites, unsupported: undefined };
}

/** What a SQLite file's tables say about the saver that wrote it; the flavour reads every row's type. */
export function describeSaverSchema(
  db: Database.Database,
  file: string,
  purpose: "imported" | "opened" = "imported",
  walMissing = false,
): { flavour: LangGraphFlavour; unsupported: string | undefined; hasWrites: boolean } {
  const { flavour, unsupported, hasWrites } = checkSaverTables(db, file, purpose, walMissing);
  if (flavour !== undefined) return { flavour, unsupported, hasWrites };
  const types = (db.prepare(`SELECT DISTINCT type FROM checkpoints`).all() as { type: string | null }[]).map((r) => r.type);
  // Python's saver writes msgpack (or null/bytes for special values); the JS saver writes json only.
  return { flavour: types.length > 0 && types.every((t) => t === "json") ? "js-json" : "python-msgpack", hasWrites, unsupported: undefined };
}

export class LangGraphSource {
  readonly flavour: LangGraphFlavour;
  /** Why the file cannot be imported; set for the legacy and unknown flavours. */
  readonly unsupported: string | undefined;
  private readonly hasWrites: boolean;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    private readonly copyDir: string,
    /** The header says WAL mode and there is no -wal beside the file: committed rows may be missing. */
    readonly walMissing = false,
  ) {
    const schema = describeSaverSchema(db, file, "imported", walMissing);
    this.flavour = schema.flavour;
    this.unsupported = schema.unsupported;
    this.hasWrites = schema.hasWrites;
  }

  /**
   * Opens a private copy of `file` (and its -wal/-shm); throws NOT_SQLITE, CANNOT_OPEN, or
   * UNSUPPORTED_SCHEMA when `requireSupported` and the file is not a LangGraph database.
   *
   * Before any copy: only a regular file is read (a FIFO would block the engine forever), and a
   * file in rollback-journal mode has its schema read in place over a read-only connection, which
   * creates nothing beside it, so a foreign or huge file (a 3 GB sparse one) is refused without
   * being copied. The copy itself is asynchronous: the engine keeps answering other calls meanwhile.
   */
  static async open(file: string, { requireSupported = false } = {}): Promise<LangGraphSource> {
    assertImportableFile(file);
    assertSqliteFile(file);
    const wal = walMode(file);
    if (!wal && requireSupported) {
      const unsupported = LangGraphSource.probeInPlace(file);
      if (unsupported !== undefined) throw new StorageError("UNSUPPORTED_SCHEMA", unsupported);
    }
    const copyDir = mkdtempSync(path.join(tmpdir(), "threadline-import-"));
    const copy = path.join(copyDir, "source.sqlite");
    let db: Database.Database | undefined;
    try {
      for (const suffix of ["", "-wal", "-shm"]) {
        if (!existsSync(file + suffix)) continue;
        await copyFile(file + suffix, copy + suffix);
        // The originals may be read-only; SQLite must be able to write the copy's -shm.
        chmodSync(copy + suffix, 0o600);
      }
      db = new Database(copy, nativeBindingOption());
      db.prepare("SELECT count(*) FROM sqlite_master").get();
      const source = new LangGraphSource(file, db, copyDir, wal && !existsSync(`${file}-wal`));
      if (requireSupported) source.assertSupported();
      return source;
    } catch (error) {
      db?.close();
      rmSync(copyDir, { recursive: true, force: true });
      if (error instanceof StorageError) throw error;
      const code = (error as { code?: string }).code;
      const kind = code === "SQLITE_NOTADB" ? "NOT_SQLITE" : "CANNOT_OPEN";
      throw new StorageError(kind, `Cannot import ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Why a rollback-journal file cannot be imported, read in place: a read-only connection reads
   * without creating a journal or any other file. undefined when it can be, or when the file cannot
   * be read this way (a hot journal needs a writer): then the copy decides.
   */
  private static probeInPlace(file: string): string | undefined {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
      return new LangGraphSource(file, db, "").unsupported;
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.copyDir, { recursive: true, force: true });
  }

  /** UNSUPPORTED_SCHEMA unless the file has the schema of langgraph-checkpoint-sqlite 1.0+ or the JS saver. */
  assertSupported(): void {
    if (this.unsupported !== undefined) throw new StorageError("UNSUPPORTED_SCHEMA", this.unsupported);
  }

  counts(): { threads: number; checkpoints: number; writes: number } {
    if (this.flavour === "unknown") return { threads: 0, checkpoints: 0, writes: 0 };
    const { threads, checkpoints } = this.db
      .prepare(`SELECT count(DISTINCT thread_id) AS threads, count(*) AS checkpoints FROM checkpoints`)
      .get() as { threads: number; checkpoints: number };
    const hasAnyWrites = this.flavour === "legacy" ? this.tableExists("writes") : this.hasWrites;
    const writes = hasAnyWrites ? (this.db.prepare(`SELECT count(*) AS n FROM writes`).get() as { n: number }).n : 0;
    return { threads, checkpoints, writes };
  }

  private tableExists(name: string): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  }

  /** Thread ids in the file, in id order. */
  threadIds(): string[] {
    this.assertSupported();
    return (this.db.prepare(`SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id`).all() as { thread_id: unknown }[]).map((r) =>
      String(r.thread_id),
    );
  }

  /** A thread's checkpoints in every namespace, oldest first (uuid6 ids are time-ordered). */
  checkpoints(threadId: string): CheckpointRecord[] {
    return this.db
      .prepare(
        `SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata
         FROM checkpoints WHERE thread_id = ? ORDER BY checkpoint_id, checkpoint_ns`,
      )
      .all(threadId) as CheckpointRecord[];
  }

  writes(threadId: string): WriteRecord[] {
    if (!this.hasWrites) return [];
    return this.db
      .prepare(
        `SELECT thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value
         FROM writes WHERE thread_id = ? ORDER BY checkpoint_ns, checkpoint_id, task_id, idx`,
      )
      .all(threadId) as WriteRecord[];
  }
}
