export { SqliteCheckpointer, type SqliteCheckpointerOptions } from "./checkpointer";
export { openDatabase, configureConnection, assertSqliteFile, nativeBindingOption } from "./database";
export { StorageError, type StorageErrorCode } from "./errors";
export { MIGRATIONS, LATEST_SCHEMA_VERSION, migrate, schemaVersion, type Migration } from "./migrations";
export type { CheckpointSummary, ThreadIndexRow, SummaryPageOptions, ThreadIndexOptions } from "./timeline";
export { nextChannelVersion, type ChannelVersion } from "./versions";
