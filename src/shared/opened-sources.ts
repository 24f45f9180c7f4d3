// The sources the inspector can serve from, as the UI's source menu lists them: Threadline's own
// store, the checkpoint stores opened in place (SQLite files, PostgreSQL databases) and the Agent
// Servers connected to.

export type SourceEntryKind = "local" | "sqlite" | "postgres" | "remote";

export interface SourceEntry {
  /** "local" for Threadline's own store; otherwise a number given when it was opened. */
  id: string;
  kind: SourceEntryKind;
  /** The file, the connection string without its password, or the server's URL (never its key). */
  label: string;
  /** False while the connection to a PostgreSQL database or an Agent Server is down; `error` says why. */
  connected: boolean;
  error: string | null;
}

export interface SourcesList {
  /** The source the inspector serves from now. */
  activeId: string;
  sources: SourceEntry[];
}

export const LOCAL_SOURCE_ID = "local";

/** A connection string's password, replaced: what may be shown and remembered. */
export function withoutPassword(location: string): string {
  return location.replace(/^(postgres(?:ql)?:\/\/[^:/?#@]*):[^@/?#]*@/i, "$1@");
}
