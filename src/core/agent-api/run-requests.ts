// What the Agent Server API was asked for each run (LangGraph's run `kwargs`): the adapter passes
// it to runs.start as `request`, the run manager stores runs.start's arguments with the run, and
// runs.requests reads it back here, so that a run's kwargs outlive the process that started it.
import type Database from "better-sqlite3";
import type { JsonObject } from "../../shared/encoding";
import { getRunKwargs } from "../storage/runs-table";

/**
 * The stored request of each run that has one; runs without one (or unknown) are left out. With
 * `keys`, only those keys of each request, read by SQLite's JSON functions so that the rest (a
 * run's input, which may be large) is never parsed.
 */
export function runRequests(db: Database.Database, runIds: readonly string[], keys?: readonly string[]): Record<string, JsonObject> {
  if (keys) return requestParts(db, runIds, keys);
  const out: Record<string, JsonObject> = {};
  for (const runId of new Set(runIds)) {
    const stored = getRunKwargs(db, runId);
    const request = isObject(stored) ? stored.request : undefined;
    if (isObject(request)) out[runId] = request;
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requestParts(db: Database.Database, runIds: readonly string[], keys: readonly string[]): Record<string, JsonObject> {
  // Keys are identifiers (the contract checks), so they are safe inside a JSON path.
  const select = db.prepare(`SELECT json_type(kwargs, '$.request') AS type, ${keys.map((k) => `kwargs -> '$.request.${k}'`).join(", ") || "NULL"} FROM tl_runs WHERE run_id = ?`).raw();
  const out: Record<string, JsonObject> = {};
  for (const runId of new Set(runIds)) {
    const row = select.get(runId) as (string | null)[] | undefined;
    if (!row || row[0] !== "object") continue;
    const request: JsonObject = {};
    keys.forEach((key, i) => {
      const text = row[i + 1];
      if (text !== null && text !== undefined) request[key] = JSON.parse(text) as JsonObject[string];
    });
    out[runId] = request;
  }
  return out;
}
