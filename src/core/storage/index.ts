export { SqliteCheckpointer, type SqliteCheckpointerOptions } from "./checkpointer";
export { openDatabase, configureConnection, assertSqliteFile, nativeBindingOption } from "./database";
export { StorageError, type StorageErrorCode } from "./errors";
export { MIGRATIONS, LATEST_SCHEMA_VERSION, migrate, schemaVersion, type Migration } from "./migrations";
export { checkpointRevisions } from "./revisions";
export { getThreadIndex, listThreadIndex, type ThreadIndexOptions, type ThreadIndexRow } from "./thread-index";
export { checkpointSummaries, checkpointTree, type CheckpointSummary, type SummaryPageOptions } from "./timeline";
export { nextChannelVersion, type ChannelVersion } from "./versions";
