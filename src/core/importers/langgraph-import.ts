// Imports the threads of a database written by LangGraph's own SqliteSaver
// (Python's langgraph-checkpoint-sqlite, sync or async, or the JS
// @langchain/langgraph-checkpoint-sqlite) into a Threadline database.
//
// Every checkpoint goes through the target checkpointer's `put` and every
// pending write through `putWrites`, exactly as a run would store them, so
// the delta storage, the thread index and the timeline summaries apply. A
// thread is decoded whole before anything of it is written, and read back
// checkpoint by checkpoint afterwards; a thread that fails either way is
// removed again and reported as skipped, and the other threads still import.

import { statSync } from "node:fs";
import path from "node:path";
import {
  TASKS,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import { encodeValue, type JsonValue } from "../../shared/encoding";
import type { SqliteCheckpointer } from "../storage/checkpointer";
import { activeRuns, deleteRunsOfThread } from "../storage/runs-table";
import { deleteThreadMeta, getThreadListRow, putThreadMeta } from "../storage/thread-meta";
import { configFor } from "../threads/checkpoint-store";
import { canonical } from "../threads/transfer";
import { ABSENT, fingerprintOf, VersionMapper, type SourceVersion } from "./channel-versions";
import { LangGraphSource, type CheckpointRecord, type LangGraphFlavour, type WriteRecord } from "./langgraph-source";
import { DecodeProblem, SaverDecoder } from "./saver-decoder";
import { walMissingNote } from "./source-file";
import { StorageError } from "../storage/errors";

export type { LangGraphFlavour } from "./langgraph-source";

export interface LangGraphDatabaseInfo {
  flavour: LangGraphFlavour;
  threads: number;
  checkpoints: number;
  writes: number;
  /** Why the file cannot be imported (legacy or unknown flavour); absent when it can. */
  unsupported?: string;
}

export type ImportConflictPolicy = "skip" | "replace" | "rename";

export interface ImportLangGraphOptions {
  /** Only these source threads; default all. */
  threadIds?: string[];
  /** What to do with a thread id the target already has; default "skip". */
  onConflict?: ImportConflictPolicy;
  /** Progress: called as each thread is stored, before the next is read. */
  onThread?: (thread: ImportedThread) => void;
}

export interface ImportedThread {
  /** The thread id in the source file. */
  sourceId: string;
  /** The thread id in the target (differs from sourceId after a rename). */
  threadId: string;
  checkpoints: number;
  writes: number;
}

export interface ImportLangGraphResult {
  flavour: LangGraphFlavour;
  threads: ImportedThread[];
  skipped: { threadId: string; reason: string }[];
}

/** A thread that cannot be imported; the reason is shown to the user. */
class ThreadProblem extends DecodeProblem {}
const RENAME_SUFFIX = "-imported";

interface PlannedCheckpoint {
  ns: string;
  id: string;
  parentId: string | null;
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  writes: PlannedWrite[];
}

interface PlannedWrite {
  ns: string;
  checkpointId: string;
  taskId: string;
  idx: number;
  channel: string;
  value: unknown;
}

/**
 * What a LangGraph checkpoint database holds, from a private copy of it (the file is not touched).
 * Throws StorageError NOT_SQLITE or CANNOT_OPEN; a legacy or foreign schema is reported in
 * `flavour` and `unsupported`, not thrown.
 */
export async function inspectLangGraphDatabase(source: string): Promise<LangGraphDatabaseInfo> {
  const db = await LangGraphSource.open(source);
  try {
    const info: LangGraphDatabaseInfo = { flavour: db.flavour, ...db.counts() };
    if (db.unsupported !== undefined) info.unsupported = db.unsupported;
    return info;
  } finally {
    db.close();
  }
}

/**
 * Refuses importing a file into itself (the same path, a symlink or a hard link to it): opening the
 * target writes Threadline's tables into it, which would change the source.
 */
export function assertNotTarget(source: string, targetFile: string): void {
  const same = (() => {
    try {
      const a = statSync(source);
      const b = statSync(targetFile);
      return a.dev === b.dev && a.ino === b.ino;
    } catch {
      return path.resolve(source) === path.resolve(targetFile);
    }
  })();
  if (same) {
    throw new StorageError("CANNOT_OPEN", `Cannot import ${source} into itself: choose another --db for Threadline's database.`);
  }
}

/** An empty main file in WAL mode without its -wal: the rows are probably in the missing file, so say so. */
function assertRowsNotInMissingWal(db: LangGraphSource, threadIds: string[]): void {
  if (threadIds.length > 0 || !db.walMissing) return;
  const name = path.basename(db.file);
  throw new StorageError("UNSUPPORTED_SCHEMA", `${name} has no checkpoints in its main file.${walMissingNote(name)}`);
}

/**
 * Everything checked before a command creates or opens the target: the source is a regular SQLite
 * file with LangGraph's schema, and not the target itself. Throws StorageError as the import would.
 */
export async function checkImportSource(source: string, targetFile: string): Promise<void> {
  assertNotTarget(source, targetFile);
  const db = await LangGraphSource.open(source, { requireSupported: true });
  try {
    assertRowsNotInMissingWal(db, db.threadIds());
  } finally {
    db.close();
  }
}

/**
 * Imports threads from a LangGraph SqliteSaver database into `target`. Throws StorageError
 * UNSUPPORTED_SCHEMA for a legacy (pre-0.2) or foreign file, NOT_SQLITE or CANNOT_OPEN, before
 * writing anything; a thread that cannot be imported is listed in `skipped` with the reason.
 */
export async function importLangGraphDatabase(
  source: string,
  target: SqliteCheckpointer,
  options: ImportLangGraphOptions = {},
): Promise<ImportLangGraphResult> {
  assertNotTarget(source, target.db.name);
  const db = await LangGraphSource.open(source, { requireSupported: true });
  try {
    const result: ImportLangGraphResult = { flavour: db.flavour, threads: [], skipped: [] };
    const available = db.threadIds();
    assertRowsNotInMissingWal(db, available);
    const wanted = options.threadIds ?? available;
    const present = new Set(available);
    const importer = new ThreadImporter(db, target, path.basename(source));
    for (const sourceId of wanted) {
      if (!present.has(sourceId)) {
        result.skipped.push({ threadId: sourceId, reason: `${path.basename(source)} has no thread "${sourceId}"` });
        continue;
      }
      const claimed = claimThreadId(target, sourceId, options.onConflict ?? "skip");
      if ("reason" in claimed) {
        result.skipped.push({ threadId: sourceId, reason: claimed.reason });
        continue;
      }
      try {
        const imported = await importer.importThread(sourceId, claimed.threadId, claimed.replace);
        result.threads.push(imported);
        options.onThread?.(imported);
        // A macrotask between threads: calls that arrived meanwhile are answered before the next one.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        if (!(error instanceof DecodeProblem)) throw error;
        result.skipped.push({ threadId: sourceId, reason: error.message });
      }
    }
    return result;
  } finally {
    db.close();
  }
}

/** The target id for a source thread under the conflict policy, or why it is skipped. */
function claimThreadId(
  target: SqliteCheckpointer,
  sourceId: string,
  policy: ImportConflictPolicy,
): { threadId: string; replace: boolean } | { reason: string } {
  const taken = (id: string) => getThreadListRow(target.db, id) !== undefined;
  if (!taken(sourceId)) return { threadId: sourceId, replace: false };
  switch (policy) {
    case "skip":
      return { reason: `thread "${sourceId}" already exists in the target database` };
    case "replace":
      if (activeRuns(target.db, sourceId).length > 0) {
        return { reason: `thread "${sourceId}" exists in the target database and has a run in progress` };
      }
      return { threadId: sourceId, replace: true };
    case "rename": {
      let candidate = `${sourceId}${RENAME_SUFFIX}`;
      for (let n = 2; taken(candidate); n++) candidate = `${sourceId}${RENAME_SUFFIX}-${n}`;
      return { threadId: candidate, replace: false };
    }
  }
}

/**
 * LangGraph copies the thread id into each checkpoint's metadata; a thread imported under a new id
 * (--on-conflict rename) must carry the new one, or readers of metadata.thread_id find the old thread.
 */
function renameInMetadata(checkpoints: PlannedCheckpoint[], sourceId: string, threadId: string): void {
  for (const entry of checkpoints) {
    const metadata = entry.metadata as CheckpointMetadata & { thread_id?: unknown };
    if (metadata.thread_id === sourceId) metadata.thread_id = threadId;
  }
}

/** Everything of a thread, as ThreadService.delete removes it, so that nothing of the old one remains. */
async function removeThread(target: SqliteCheckpointer, threadId: string): Promise<void> {
  await target.deleteThread(threadId);
  target.db.transaction(() => {
    deleteThreadMeta(target.db, threadId);
    deleteRunsOfThread(target.db, threadId);
  })();
}

class ThreadImporter {
  private readonly decoder: SaverDecoder;

  constructor(
    private readonly db: LangGraphSource,
    private readonly target: SqliteCheckpointer,
    private readonly fileName: string,
  ) {
    this.decoder = new SaverDecoder(db.flavour === "js-json" ? "js-json" : "python-msgpack");
  }

  /** Decodes the whole thread first: a thread that cannot be read leaves the one it would replace. */
  async importThread(sourceId: string, threadId: string, replace: boolean): Promise<ImportedThread> {
    const planned = await this.plan(sourceId);
    if (threadId !== sourceId) renameInMetadata(planned.checkpoints, sourceId, threadId);
    if (replace) await removeThread(this.target, threadId);
    try {
      await this.write(threadId, planned);
      await this.verify(threadId, planned.checkpoints);
    } catch (error) {
      await this.target.deleteThread(threadId);
      deleteThreadMeta(this.target.db, threadId);
      if (error instanceof DecodeProblem) throw error;
      throw new ThreadProblem(`thread "${sourceId}" could not be written: ${(error as Error).message}`);
    }
    this.recordOrigin(sourceId, threadId, planned.checkpoints);
    return { sourceId, threadId, checkpoints: planned.checkpoints.length, writes: planned.writeCount };
  }

  // ---- decoding ---------------------------------------------------------------------------

  private async plan(sourceId: string): Promise<{ checkpoints: PlannedCheckpoint[]; orphanWrites: PlannedWrite[]; writeCount: number }> {
    const byCheckpoint = new Map<string, PlannedWrite[]>();
    const rows = this.db.writes(sourceId);
    for (const row of rows) {
      const write = await this.decodeWrite(sourceId, row);
      const key = `${write.ns}\0${write.checkpointId}`;
      const list = byCheckpoint.get(key);
      if (list) list.push(write);
      else byCheckpoint.set(key, [write]);
    }
    const versions = new VersionMapper();
    const checkpoints: PlannedCheckpoint[] = [];
    const byId = new Map<string, PlannedCheckpoint>();
    for (const row of this.db.checkpoints(sourceId)) {
      const planned = await this.decodeCheckpoint(sourceId, row, versions);
      const parent = planned.parentId === null ? undefined : byId.get(`${planned.ns}\0${planned.parentId}`);
      if (parent) shareElements(planned.checkpoint, parent.checkpoint);
      byId.set(`${planned.ns}\0${planned.id}`, planned);
      const key = `${planned.ns}\0${planned.id}`;
      planned.writes = byCheckpoint.get(key) ?? [];
      byCheckpoint.delete(key);
      checkpoints.push(planned);
    }
    // Writes whose checkpoint is not in the file are kept too: the source had them.
    const orphanWrites = [...byCheckpoint.values()].flat();
    return { checkpoints, orphanWrites, writeCount: rows.length };
  }

  private where(sourceId: string, ns: string, checkpointId: string): string {
    return `thread "${sourceId}", checkpoint ${checkpointId}${ns ? ` (namespace "${ns}")` : ""}`;
  }

  private async decodeCheckpoint(sourceId: string, row: CheckpointRecord, versions: VersionMapper): Promise<PlannedCheckpoint> {
    const ns = row.checkpoint_ns ?? "";
    const where = this.where(sourceId, ns, row.checkpoint_id);
    const raw = (await this.decoder.checkpoint(row.type, row.checkpoint, `${where}: the checkpoint`)) as Partial<Checkpoint> &
      Record<string, unknown>;
    const channelValues = (raw.channel_values ?? {}) as Record<string, unknown>;
    const rawVersions = (raw.channel_versions ?? {}) as Record<string, SourceVersion>;
    const channelVersions: Record<string, string> = {};
    for (const [channel, version] of Object.entries(rawVersions)) {
      const present = Object.prototype.hasOwnProperty.call(channelValues, channel);
      channelVersions[channel] = versions.map(ns, channel, version, present ? fingerprintOf(channelValues[channel]) : ABSENT);
    }
    const versionsSeen: Record<string, Record<string, string>> = {};
    for (const [node, seen] of Object.entries((raw.versions_seen ?? {}) as Record<string, Record<string, SourceVersion>>)) {
      versionsSeen[node] = {};
      for (const [channel, version] of Object.entries(seen ?? {})) {
        // The version the checkpoint holds maps to the variant chosen above; an older one to its first.
        versionsSeen[node][channel] = rawVersions[channel] === version ? channelVersions[channel]! : versions.base(version);
      }
    }
    const checkpoint = {
      ...raw,
      v: typeof raw.v === "number" ? raw.v : 1,
      id: row.checkpoint_id,
      ts: typeof raw.ts === "string" ? raw.ts : "",
      channel_values: channelValues,
      channel_versions: channelVersions,
      versions_seen: versionsSeen,
    } as Checkpoint;
    const metadata = await this.decoder.metadata(row.metadata, `${where}: the metadata`);
    return { ns, id: row.checkpoint_id, parentId: row.parent_checkpoint_id || null, checkpoint, metadata, writes: [] };
  }

  private async decodeWrite(sourceId: string, row: WriteRecord): Promise<PlannedWrite> {
    const ns = row.checkpoint_ns ?? "";
    const where = `${this.where(sourceId, ns, row.checkpoint_id)}: the write to "${row.channel}" of task ${row.task_id}`;
    const value = await this.decoder.write(row.channel, row.type, row.value, where);
    return { ns, checkpointId: row.checkpoint_id, taskId: row.task_id, idx: Number(row.idx), channel: row.channel, value };
  }

  // ---- writing ----------------------------------------------------------------------------

  private async write(threadId: string, planned: { checkpoints: PlannedCheckpoint[]; orphanWrites: PlannedWrite[] }): Promise<void> {
    const stored = new Map<string, Record<string, string>>();
    for (const entry of planned.checkpoints) {
      const parentVersions = entry.parentId === null ? undefined : stored.get(`${entry.ns}\0${entry.parentId}`);
      const versions = entry.checkpoint.channel_versions as Record<string, string>;
      // Only channels whose version changed since the parent are new, as in a run; without the
      // parent in the file every channel is.
      const newVersions = Object.fromEntries(Object.entries(versions).filter(([channel, v]) => parentVersions?.[channel] !== v));
      await this.target.put(configFor(threadId, entry.ns, entry.parentId ?? undefined), entry.checkpoint, entry.metadata, newVersions);
      stored.set(`${entry.ns}\0${entry.id}`, versions);
      await this.putWrites(threadId, entry.writes);
    }
    await this.putWrites(threadId, planned.orphanWrites);
  }

  /**
   * One putWrites per task and checkpoint, in idx order, so the checkpointer gives special
   * channels their fixed negative idx and ordinary writes their position (the same order).
   */
  private async putWrites(threadId: string, writes: PlannedWrite[]): Promise<void> {
    const groups = new Map<string, PlannedWrite[]>();
    for (const write of writes) {
      const key = JSON.stringify([write.ns, write.checkpointId, write.taskId]);
      const list = groups.get(key);
      if (list) list.push(write);
      else groups.set(key, [write]);
    }
    for (const group of groups.values()) {
      group.sort((a, b) => a.idx - b.idx);
      const [first] = group;
      const pending: PendingWrite[] = group.map((w) => [w.channel, w.value]);
      await this.target.putWrites(configFor(threadId, first!.ns, first!.checkpointId), pending, first!.taskId);
    }
  }

  /** Thread metadata naming where the thread came from, dated by its first checkpoint. */
  private recordOrigin(sourceId: string, threadId: string, checkpoints: PlannedCheckpoint[]): void {
    const now = new Date().toISOString();
    const first = checkpoints[0]?.checkpoint.ts;
    const created = first && !Number.isNaN(Date.parse(first)) ? new Date(first).toISOString() : now;
    putThreadMeta(this.target.db, {
      threadId,
      createdAt: created,
      updatedAt: now,
      metadata: { imported_from: this.fileName, source_thread_id: sourceId, source_format: `langgraph-${this.db.flavour}` },
      graphId: null,
    });
  }

  // ---- verification -----------------------------------------------------------------------

  private async roundTrip<T>(value: T): Promise<T> {
    const [type, bytes] = await this.target.serde.dumpsTyped(value);
    return (await this.target.serde.loadsTyped(type, bytes)) as T;
  }

  private async verify(threadId: string, checkpoints: PlannedCheckpoint[]): Promise<void> {
    for (const entry of checkpoints) {
      const tuple = await this.target.getTuple(configFor(threadId, entry.ns, entry.id));
      const what = `checkpoint ${entry.id}${entry.ns ? ` (namespace "${entry.ns}")` : ""}`;
      if (!tuple) throw new ThreadProblem(`${what} was not stored`);
      // What was put, as the checkpointer's serializer would hand it back (a Send comes back as {node, args}).
      const expected = comparable(
        await this.roundTrip(entry.checkpoint),
        await this.roundTrip(entry.metadata),
        entry.parentId,
        await Promise.all(entry.writes.map(async (w): Promise<[string, string, unknown]> => [w.taskId, w.channel, await this.roundTrip(w.value)])),
      );
      const actual = comparable(
        tuple.checkpoint,
        tuple.metadata ?? ({} as CheckpointMetadata),
        (tuple.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null,
        tuple.pendingWrites ?? [],
      );
      for (const part of Object.keys(expected) as (keyof typeof expected)[]) {
        if (expected[part] !== actual[part]) {
          throw new ThreadProblem(`${what} did not read back as it was written (its ${part} differ); the thread was not imported`);
        }
      }
    }
  }
}

const elementPrints = new WeakMap<object, string>();

function elementPrint(element: unknown): unknown {
  if (typeof element !== "object" || element === null) return element;
  let print = elementPrints.get(element);
  if (print === undefined) elementPrints.set(element, (print = fingerprintOf(element)));
  return print;
}

/**
 * Lets a list that grew since the parent checkpoint (a message list) start with the parent's own
 * element objects. The savers store every checkpoint whole, so each decodes into new objects; the
 * checkpointer recognizes an append by element identity and then stores only the new elements.
 */
function shareElements(checkpoint: Checkpoint, parent: Checkpoint): void {
  for (const [channel, value] of Object.entries(checkpoint.channel_values)) {
    const before = parent.channel_values[channel];
    if (!Array.isArray(value) || !Array.isArray(before) || before.length === 0 || before.length > value.length) continue;
    if (before.every((element, i) => elementPrint(element) === elementPrint(value[i]))) {
      checkpoint.channel_values[channel] = [...before, ...value.slice(before.length)];
    }
  }
}

/**
 * A checkpoint as canonical JSON, part by part, as the checkpointer can store it. Before format
 * v4 it derives the pending Sends channel on read (from the parent's writes), so that channel is
 * left out there.
 */
function comparable(
  checkpoint: Checkpoint,
  metadata: CheckpointMetadata,
  parentId: string | null,
  writes: CheckpointTuple["pendingWrites"] & object,
): Record<"values" | "versions" | "seen" | "metadata" | "parent" | "writes", string> {
  const versions = { ...checkpoint.channel_versions };
  // The JS saver also keeps channels' default values with no version; a checkpointer keeps values
  // by version (as LangGraph's own Postgres saver does), and LangGraph restores defaults anyway.
  const values = Object.fromEntries(Object.entries(checkpoint.channel_values).filter(([channel]) => channel in versions));
  if (checkpoint.v < 4) {
    delete values[TASKS];
    delete versions[TASKS];
  }
  const text = (value: unknown) => canonical(encodeValue(value));
  return {
    values: text(values),
    versions: text(versions),
    seen: text(checkpoint.versions_seen),
    metadata: text(metadata),
    parent: text(parentId),
    writes: writes
      .map(([taskId, channel, value]) => JSON.stringify(encodeValue([taskId, channel, value]) as JsonValue))
      .sort()
      .join("\n"),
  };
}
