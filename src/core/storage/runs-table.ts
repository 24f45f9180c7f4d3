// The runs table and each run's console output (tables in engine-migrations.ts).
// `db` first. Admission (the busy-thread check that must hold across
// processes) and crash recovery are the run manager's: ../runs/runs-store.ts.

import type Database from "better-sqlite3";
import type { JsonValue } from "../../shared/encoding";
import type {
  Breakpoints,
  ConsoleLine,
  MultitaskStrategy,
  NodeSelection,
  NodeTiming,
  RunInfo,
  RunStatus,
  UserError,
} from "../../shared/types";

type Db = Database.Database;

interface RunRecord {
  run_id: string;
  thread_id: string;
  graph_id: string;
  status: RunStatus;
  multitask_strategy: MultitaskStrategy;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  checkpoint_id: string | null;
  cancelled: number;
  node_timings: string;
  error: string | null;
  metadata: string;
  kwargs: string;
}

/** A run as it is admitted: pending, not started, nothing timed yet. */
export function newRunInfo(fields: Pick<RunInfo, "runId" | "threadId" | "graphId" | "createdAt"> & Partial<RunInfo>): RunInfo {
  return {
    status: "pending",
    multitaskStrategy: "reject",
    startedAt: null,
    finishedAt: null,
    checkpointId: null,
    cancelled: false,
    nodeTimings: [],
    error: null,
    metadata: {},
    ...fields,
  };
}

function toRunInfo(r: RunRecord): RunInfo {
  return {
    runId: r.run_id,
    threadId: r.thread_id,
    graphId: r.graph_id,
    status: r.status,
    multitaskStrategy: r.multitask_strategy,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    checkpointId: r.checkpoint_id,
    cancelled: r.cancelled !== 0,
    nodeTimings: JSON.parse(r.node_timings) as NodeTiming[],
    error: r.error === null ? null : (JSON.parse(r.error) as UserError),
    metadata: JSON.parse(r.metadata) as RunInfo["metadata"],
  };
}

export function insertRun(db: Db, run: RunInfo, kwargs: JsonValue = {}): void {
  db.prepare(
    `INSERT INTO tl_runs (run_id, thread_id, graph_id, status, multitask_strategy, created_at, started_at,
       finished_at, checkpoint_id, cancelled, node_timings, error, metadata, kwargs)
     VALUES (@run_id, @thread_id, @graph_id, @status, @multitask_strategy, @created_at, @started_at,
       @finished_at, @checkpoint_id, @cancelled, @node_timings, @error, @metadata, @kwargs)`,
  ).run({
    run_id: run.runId,
    thread_id: run.threadId,
    graph_id: run.graphId,
    status: run.status,
    multitask_strategy: run.multitaskStrategy,
    created_at: run.createdAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    checkpoint_id: run.checkpointId,
    cancelled: run.cancelled ? 1 : 0,
    node_timings: JSON.stringify(run.nodeTimings),
    error: run.error === null ? null : JSON.stringify(run.error),
    metadata: JSON.stringify(run.metadata),
    kwargs: JSON.stringify(kwargs),
  });
}

export type RunPatch = Partial<Pick<RunInfo, "status" | "startedAt" | "finishedAt" | "cancelled" | "nodeTimings" | "error">>;

export function updateRun(db: Db, runId: string, patch: RunPatch): void {
  const sets: string[] = [];
  const params: Record<string, unknown> = { run_id: runId };
  const put = (column: string, value: unknown) => {
    sets.push(`${column} = @${column}`);
    params[column] = value;
  };
  if (patch.status !== undefined) put("status", patch.status);
  if (patch.startedAt !== undefined) put("started_at", patch.startedAt);
  if (patch.finishedAt !== undefined) put("finished_at", patch.finishedAt);
  if (patch.cancelled !== undefined) put("cancelled", patch.cancelled ? 1 : 0);
  if (patch.nodeTimings !== undefined) put("node_timings", JSON.stringify(patch.nodeTimings));
  if (patch.error !== undefined) put("error", patch.error === null ? null : JSON.stringify(patch.error));
  if (sets.length === 0) return;
  const { changes } = db.prepare(`UPDATE tl_runs SET ${sets.join(", ")} WHERE run_id = @run_id`).run(params);
  if (changes !== 1) throw new Error(`updateRun: no run ${runId}`);
}

export function getRun(db: Db, runId: string): RunInfo | undefined {
  const row = db.prepare(`SELECT * FROM tl_runs WHERE run_id = ?`).get(runId) as RunRecord | undefined;
  return row && toRunInfo(row);
}

export function getRunKwargs(db: Db, runId: string): JsonValue | undefined {
  const row = db.prepare(`SELECT kwargs FROM tl_runs WHERE run_id = ?`).get(runId) as { kwargs: string } | undefined;
  return row && (JSON.parse(row.kwargs) as JsonValue);
}

/** Newest first. */
export function listRuns(db: Db, threadId: string, { limit = 50, offset = 0 } = {}): RunInfo[] {
  const rows = db
    .prepare(`SELECT * FROM tl_runs WHERE thread_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
    .all(threadId, limit, offset) as RunRecord[];
  return rows.map(toRunInfo);
}

/** Pending and running runs of a thread, oldest first (the order an enqueued run waits in). */
export function activeRuns(db: Db, threadId: string): RunInfo[] {
  const rows = db
    .prepare(
      `SELECT * FROM tl_runs WHERE thread_id = ? AND status IN ('pending', 'running') ORDER BY created_at, rowid`,
    )
    .all(threadId) as RunRecord[];
  return rows.map(toRunInfo);
}

/** The thread ids that have an active run, for thread status in lists. */
export function busyThreadIds(db: Db): Set<string> {
  const rows = db
    .prepare(`SELECT DISTINCT thread_id FROM tl_runs WHERE status IN ('pending', 'running')`)
    .all() as { thread_id: string }[];
  return new Set(rows.map((r) => r.thread_id));
}

/** The most recent run of a thread, whatever its status. */
export function lastRun(db: Db, threadId: string): RunInfo | undefined {
  const row = db
    .prepare(`SELECT * FROM tl_runs WHERE thread_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`)
    .get(threadId) as RunRecord | undefined;
  return row && toRunInfo(row);
}

export function appendConsole(db: Db, runId: string, lines: readonly ConsoleLine[]): void {
  if (lines.length === 0) return;
  const next = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM tl_run_console WHERE run_id = ?`);
  const insert = db.prepare(
    `INSERT INTO tl_run_console (run_id, seq, stream, line, node, at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    let seq = (next.get(runId) as { seq: number }).seq;
    for (const l of lines) insert.run(runId, ++seq, l.stream, l.line, l.node, l.at);
  })();
}

export function getConsole(db: Db, runId: string): ConsoleLine[] {
  const rows = db
    .prepare(`SELECT stream, line, node, at FROM tl_run_console WHERE run_id = ? ORDER BY seq`)
    .all(runId) as ConsoleLine[];
  return rows;
}

export function deleteRunsOfThread(db: Db, threadId: string): number {
  return db.transaction(() => {
    db.prepare(
      `DELETE FROM tl_run_console WHERE run_id IN (SELECT run_id FROM tl_runs WHERE thread_id = ?)`,
    ).run(threadId);
    return db.prepare(`DELETE FROM tl_runs WHERE thread_id = ?`).run(threadId).changes;
  })();
}

// Breakpoints are the default interruptBefore/interruptAfter of a graph's runs.

export function getBreakpoints(db: Db, graphId: string): Breakpoints {
  const row = db.prepare(`SELECT before, after FROM tl_breakpoints WHERE graph_id = ?`).get(graphId) as
    | { before: string; after: string }
    | undefined;
  if (!row) return { graphId, before: [], after: [] };
  return { graphId, before: JSON.parse(row.before) as NodeSelection, after: JSON.parse(row.after) as NodeSelection };
}

export function setBreakpoints(db: Db, breakpoints: Breakpoints): void {
  db.prepare(
    `INSERT INTO tl_breakpoints (graph_id, before, after) VALUES (?, ?, ?)
     ON CONFLICT (graph_id) DO UPDATE SET before = excluded.before, after = excluded.after`,
  ).run(breakpoints.graphId, JSON.stringify(breakpoints.before), JSON.stringify(breakpoints.after));
}
