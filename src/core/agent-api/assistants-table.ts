// The assistants table and its versions (migration 9 in agent-api-migrations.ts). `db` first.
// Rows hold the Agent Server's wire shape; JSON columns are parsed here.
import type Database from "better-sqlite3";
import type { ApiAssistant, ApiAssistantVersion } from "../../shared/agent-api/assistants";
import type { JsonObject } from "../../shared/encoding";

type Db = Database.Database;

interface AssistantRow {
  assistant_id: string;
  graph_id: string;
  version: number;
  name: string;
  description: string | null;
  config: string;
  context: string;
  metadata: string;
  created_at: string;
  updated_at?: string;
}

const parse = (text: string): JsonObject => JSON.parse(text) as JsonObject;

function fromRow(row: AssistantRow): ApiAssistantVersion & { updated_at?: string } {
  return { ...row, config: parse(row.config), context: parse(row.context), metadata: parse(row.metadata) };
}

function toRow(a: ApiAssistantVersion): AssistantRow {
  return { ...a, config: JSON.stringify(a.config), context: JSON.stringify(a.context), metadata: JSON.stringify(a.metadata) };
}

export function getAssistant(db: Db, assistantId: string): ApiAssistant | undefined {
  const row = db.prepare(`SELECT * FROM tl_assistants WHERE assistant_id = ?`).get(assistantId) as AssistantRow | undefined;
  return row ? (fromRow(row) as ApiAssistant) : undefined;
}

/** The assistant as it is now, and (with `newVersion`) that state as a new version row. */
export function putAssistant(db: Db, assistant: ApiAssistant, newVersion: boolean): void {
  const { updated_at, ...version } = assistant;
  const row = toRow(version);
  db.prepare(
    `INSERT OR REPLACE INTO tl_assistants (assistant_id, graph_id, version, name, description, config, context, metadata, created_at, updated_at)
     VALUES (@assistant_id, @graph_id, @version, @name, @description, @config, @context, @metadata, @created_at, @updated_at)`,
  ).run({ ...row, updated_at });
  if (!newVersion) return;
  db.prepare(
    `INSERT INTO tl_assistant_versions (assistant_id, version, graph_id, name, description, config, context, metadata, created_at)
     VALUES (@assistant_id, @version, @graph_id, @name, @description, @config, @context, @metadata, @created_at)`,
  ).run({ ...row, created_at: updated_at });
}

export function lastVersion(db: Db, assistantId: string): number {
  const row = db.prepare(`SELECT MAX(version) AS v FROM tl_assistant_versions WHERE assistant_id = ?`).get(assistantId) as { v: number | null };
  return row.v ?? 0;
}

export function getAssistantVersion(db: Db, assistantId: string, version: number): ApiAssistantVersion | undefined {
  const row = db.prepare(`SELECT * FROM tl_assistant_versions WHERE assistant_id = ? AND version = ?`).get(assistantId, version) as AssistantRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Newest first. */
export function assistantVersions(db: Db, assistantId: string): ApiAssistantVersion[] {
  const rows = db.prepare(`SELECT * FROM tl_assistant_versions WHERE assistant_id = ? ORDER BY version DESC`).all(assistantId) as AssistantRow[];
  return rows.map(fromRow);
}

/** Every assistant (of one graph): filters on names and metadata are applied by the caller. */
export function listAssistants(db: Db, graphId: string | undefined): ApiAssistant[] {
  const rows = (
    graphId === undefined
      ? db.prepare(`SELECT * FROM tl_assistants`).all()
      : db.prepare(`SELECT * FROM tl_assistants WHERE graph_id = ?`).all(graphId)
  ) as AssistantRow[];
  return rows.map((r) => fromRow(r) as ApiAssistant);
}

export function deleteAssistant(db: Db, assistantId: string): void {
  db.prepare(`DELETE FROM tl_assistant_versions WHERE assistant_id = ?`).run(assistantId);
  db.prepare(`DELETE FROM tl_assistants WHERE assistant_id = ?`).run(assistantId);
}

/** Threads whose metadata names the assistant (LangGraph records the last one that ran on each). */
export function threadsOfAssistant(db: Db, assistantId: string): string[] {
  const rows = db.prepare(`SELECT thread_id FROM tl_thread_meta WHERE json_extract(metadata, '$.assistant_id') = ?`).all(assistantId) as { thread_id: string }[];
  return rows.map((r) => r.thread_id);
}
