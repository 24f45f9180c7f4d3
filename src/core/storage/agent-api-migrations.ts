// The Agent Server API's own tables, numbered after the others (migrations.ts appends them).
// Append-only: a shipped migration is never edited, a change is a new entry.
import type { Migration } from "./migrations";

export const AGENT_API_MIGRATIONS: readonly Migration[] = [
  {
    version: 9,
    name: "assistants and their versions",
    up(db) {
      // The assistant as it is now (its latest version's fields), and every version it had. JSON
      // columns hold plain JSON as the Agent Server's wire has it (shared/agent-api/assistants.ts).
      db.exec(`
        CREATE TABLE IF NOT EXISTS tl_assistants (
          assistant_id TEXT PRIMARY KEY,
          graph_id     TEXT NOT NULL,
          version      INTEGER NOT NULL,
          name         TEXT NOT NULL,
          description  TEXT,
          config       TEXT NOT NULL DEFAULT '{}',
          context      TEXT NOT NULL DEFAULT '{}',
          metadata     TEXT NOT NULL DEFAULT '{}',
          created_at   TEXT NOT NULL,
          updated_at   TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tl_assistants_by_graph ON tl_assistants (graph_id, created_at);
        CREATE TABLE IF NOT EXISTS tl_assistant_versions (
          assistant_id TEXT NOT NULL,
          version      INTEGER NOT NULL,
          graph_id     TEXT NOT NULL,
          name         TEXT NOT NULL,
          description  TEXT,
          config       TEXT NOT NULL DEFAULT '{}',
          context      TEXT NOT NULL DEFAULT '{}',
          metadata     TEXT NOT NULL DEFAULT '{}',
          created_at   TEXT NOT NULL,
          PRIMARY KEY (assistant_id, version)
        ) WITHOUT ROWID;
      `);
    },
  },
];
