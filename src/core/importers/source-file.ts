// Checks on an import's source file made before SQLite (or a copy) touches it: its type, and
// whether its header says WAL mode (then committed rows may sit in a -wal file beside it).

import { closeSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { StorageError } from "../storage/errors";

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Only regular files are imported. Decided from stat, which does not open the file: opening a FIFO
 * for reading blocks until a writer comes, which would hang the engine.
 */
export function assertImportableFile(file: string): void {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StorageError("CANNOT_OPEN", `Cannot import ${file}: the file does not exist.`);
    throw new StorageError("CANNOT_OPEN", `Cannot import ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (stat.isDirectory()) throw new StorageError("CANNOT_OPEN", `Cannot import ${file}: it is a folder, not a database file.`);
  if (!stat.isFile()) {
    throw new StorageError("CANNOT_OPEN", `Cannot import ${file}: it is ${kindOf(stat)}; only regular database files are imported.`);
  }
}

/** Bytes 18 and 19 of a SQLite header are 2 in WAL mode (1 in rollback-journal mode). */
export function walMode(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(20);
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2 && header[19] === 2;
  } finally {
    closeSync(fd);
  }
}

export function walMissingNote(name: string): string {
  return ` Its header says WAL mode, but ${name}-wal is not beside it: rows committed since its last checkpoint live only in that file. Copy ${name}-wal (and ${name}-shm) next to it, or open and close the database once in the app that wrote it, and import again.`;
}
