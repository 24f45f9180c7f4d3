/**
 * Why a database could not be used. Each message names the file, because the user picked it
 * (or passed `--db FILE`) and needs to know which one is wrong.
 */
export type StorageErrorCode =
  /** The file exists but is not a SQLite database; it was left untouched. */
  | "NOT_SQLITE"
  /** The file was written by a newer Threadline whose schema this build does not know. */
  | "UNSUPPORTED_SCHEMA"
  /** SQLite could not open or read the file (missing folder, permissions, corruption). */
  | "CANNOT_OPEN"
  /** Stored rows contradict each other (e.g. a delta whose base row is gone). */
  | "CORRUPT";

export class StorageError extends Error {
  override readonly name = "StorageError";

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
