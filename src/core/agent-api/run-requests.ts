// What the Agent Server API was asked for each run (LangGraph's run `kwargs`): the adapter passes
// it to runs.start as `request`, the run manager stores runs.start's arguments with the run, and
// runs.requests reads it back here, so that a run's kwargs outlive the process that started it.
import type Database from "better-sqlite3";
import type { JsonObject } from "../../shared/encoding";
import { getRunKwargs } from "../storage/runs-table";

/** The stored request of each run that has one; runs without one (or unknown) are left out. */
export function runRequests(db: Database.Database, runIds: readonly string[]): Record<string, JsonObject> {
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
