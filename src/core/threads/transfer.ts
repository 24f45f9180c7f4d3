// Export a thread as its stored rows into one JSON document, and import it
// into another database: a portable bug report. Values are serialized with
// the checkpointer's own serializer, so they revive as the same classes; an
// import is checked by reading every checkpoint back.

import { createHash } from "node:crypto";
import type { Checkpoint, CheckpointMetadata, CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { SerializedValue, ThreadExport } from "../../shared/contract";
import { base64ToBytes, bytesToBase64, encodeValue, type JsonObject, type JsonValue } from "../../shared/encoding";
import { conflict, invalidArgument, ThreadlineError } from "../../shared/errors";
import { THREAD_EXPORT_FORMAT, THREAD_EXPORT_VERSION, type ThreadInfo } from "../../shared/types";
import { allTuples, configFor, tupleRef, type CheckpointStore } from "./checkpoint-store";
import type { EngineContext } from "./context";
import { writeTuples, type ThreadService } from "./threads";

type Version = string | number;

const key = (ns: string, channel: string, version: Version) => `${ns}\0${channel}\0${typeof version}:${version}`;

/** Element fingerprints of recent list values, to store a grown list as what was appended. */
const FINGERPRINT_CACHE = 64;

export class TransferService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly threads: ThreadService,
  ) {}

  private deserialize(value: SerializedValue): Promise<unknown> {
    const data = value.json !== undefined ? JSON.stringify(value.json) : base64ToBytes(value.base64 ?? "");
    return this.ctx.store.serde.loadsTyped(value.type, data);
  }

  async export(threadId: string): Promise<ThreadExport> {
    const row = this.threads.row(threadId);
    return exportThread(this.ctx.store, { threadId, createdAt: row.createdAt, metadata: row.metadata }, this.ctx.now());
  }

  /**
   * Rebuilds every tuple before writing any (a bad file writes nothing),
   * writes them under the new id, then reads each checkpoint back and
   * compares; on any difference the imported thread is removed again.
   */
  async import(data: ThreadExport, newThreadId?: string): Promise<ThreadInfo> {
    const threadId = newThreadId ?? data.thread.threadId;
    if (this.threads.exists(threadId)) {
      throw conflict(`Thread "${threadId}" already exists; import it under another id`);
    }
    const digests = new Map<string, string>();
    const tuples = await this.rebuild(data, threadId, digests);
    for (const tuple of tuples) {
      const { checkpointNs, checkpointId } = tupleRef(tuple);
      if (digest(tuple) !== digests.get(`${checkpointNs}\0${checkpointId}`)) {
        throw invalidArgument(
          `threads.import: data: checkpoint ${checkpointId} does not match its digest (the file was changed or is damaged); nothing was imported`,
        );
      }
    }
    try {
      await writeTuples(this.ctx, threadId, tuples);
      await this.verify(threadId, digests);
    } catch (error) {
      await this.ctx.store.deleteThread(threadId);
      throw error;
    }
    this.threads.ensureMeta(threadId, data.thread.metadata, data.thread.createdAt);
    this.threads.changed(threadId);
    return this.threads.get(threadId);
  }

  private async rebuild(
    data: ThreadExport,
    threadId: string,
    expectedDigests: Map<string, string>,
  ): Promise<CheckpointTuple[]> {
    const live = new Map<string, unknown>();
    for (const [i, entry] of data.values.entries()) {
      let value = await this.readValue(entry.value, `values[${i}]`);
      if (entry.appendTo !== undefined) {
        const base = live.get(key(entry.ns, entry.channel, entry.appendTo));
        if (!Array.isArray(base) || !Array.isArray(value)) {
          throw invalidArgument(
            `threads.import: data.values[${i}]: appends to version ${entry.appendTo} of "${entry.channel}", which is not an earlier list`,
          );
        }
        value = [...(base as unknown[]), ...(value as unknown[])];
      }
      live.set(key(entry.ns, entry.channel, entry.version), value);
    }

    const writes = new Map<string, ThreadExport["writes"]>();
    for (const w of data.writes) {
      const k = `${w.ns}\0${w.checkpointId}`;
      writes.set(k, [...(writes.get(k) ?? []), w]);
    }

    const ids = new Set(data.checkpoints.map((c) => `${c.ns}\0${c.id}`));
    const tuples: CheckpointTuple[] = [];
    for (const [i, entry] of [...data.checkpoints].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).entries()) {
      const where = `threads.import: data.checkpoints[${i}] (${entry.id})`;
      const rest = entry.checkpoint as unknown as Omit<Checkpoint, "channel_values">;
      if (rest.id !== entry.id || typeof rest.channel_versions !== "object" || rest.channel_versions === null) {
        throw invalidArgument(`${where}: checkpoint is malformed`);
      }
      if (entry.parentId !== null && !ids.has(`${entry.ns}\0${entry.parentId}`)) {
        throw invalidArgument(`${where}: its parent ${entry.parentId} is not in the file`);
      }
      const channelValues: Record<string, unknown> = {};
      for (const channel of entry.channels) {
        const version = rest.channel_versions[channel] ?? "";
        const k = key(entry.ns, channel, version);
        if (!live.has(k)) throw invalidArgument(`${where}: no value for channel "${channel}" at version ${version}`);
        channelValues[channel] = live.get(k);
      }
      const pendingWrites: CheckpointTuple["pendingWrites"] = [];
      for (const w of (writes.get(`${entry.ns}\0${entry.id}`) ?? []).sort((a, b) => a.idx - b.idx)) {
        pendingWrites.push([w.taskId, w.channel, await this.readValue(w.value, `writes of ${entry.id}`)]);
      }
      expectedDigests.set(`${entry.ns}\0${entry.id}`, entry.digest);
      tuples.push({
        config: configFor(threadId, entry.ns, entry.id),
        checkpoint: { ...rest, channel_values: channelValues } as Checkpoint,
        metadata: (await this.readValue(entry.metadata, `${where}.metadata`)) as CheckpointMetadata,
        ...(entry.parentId ? { parentConfig: configFor(threadId, entry.ns, entry.parentId) } : {}),
        pendingWrites,
      });
    }
    return tuples;
  }

  private async readValue(value: SerializedValue, where: string): Promise<unknown> {
    try {
      return await this.deserialize(value);
    } catch (error) {
      throw invalidArgument(`threads.import: ${where}: cannot be read (${(error as Error).message})`);
    }
  }

  private async verify(threadId: string, digests: Map<string, string>): Promise<void> {
    for (const [k, expected] of digests) {
      const [checkpointNs, checkpointId] = k.split("\0") as [string, string];
      const read = await this.ctx.checkpoints.at(threadId, checkpointNs, checkpointId);
      if (!read || digest(read) !== expected) {
        throw new ThreadlineError(
          "INTERNAL",
          `Import failed: checkpoint ${checkpointId} did not read back as it was exported; nothing was imported`,
        );
      }
    }
  }
}

/**
 * What a checkpoint reads back as, independent of the thread it is in:
 * values, versions, metadata, parent and pending writes.
 */
export function digest(tuple: CheckpointTuple): string {
  return createHash("sha256").update(canonical(comparable(tuple))).digest("base64url");
}

function comparable(tuple: CheckpointTuple): JsonValue {
  const writes = (tuple.pendingWrites ?? [])
    .map(([taskId, channel, value]) => encodeValue([taskId, channel, value]))
    .map((w) => JSON.stringify(w))
    .sort();
  return encodeValue({
    checkpoint: tuple.checkpoint,
    metadata: tuple.metadata ?? {},
    parent: tuple.parentConfig?.configurable?.checkpoint_id ?? null,
    writes,
  });
}

/** JSON with object keys sorted, so that equal values give equal strings. */
export function canonical(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(",")}}`;
}

function fingerprint(value: unknown): string {
  return cyrb53(JSON.stringify(encodeValue(value)));
}

/** A fast 53-bit string hash; a collision would mis-store a list, which each checkpoint's digest then reveals at import. */
function cyrb53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36) + `:${text.length}`;
}

function isPrefix(prefix: string[], list: string[]): boolean {
  if (prefix.length > list.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== list[i]) return false;
  return true;
}

function remember(cache: Map<string, string[]>, k: string, prints: string[]): void {
  cache.set(k, prints);
  if (cache.size > FINGERPRINT_CACHE) cache.delete(cache.keys().next().value!);
}

/**
 * A thread of any checkpoint store as the export document: each channel value once per version,
 * grown lists as what was appended. (Also what copies a thread of an opened store into Threadline.)
 */
export async function exportThread(
  store: CheckpointStore,
  thread: { threadId: string; createdAt: string; metadata: JsonObject },
  exportedAt: string,
): Promise<ThreadExport> {
  const { threadId } = thread;
  const serialize = async (value: unknown): Promise<SerializedValue> => {
    const [type, bytes] = await store.serde.dumpsTyped(value);
    if (type === "json") return { type, json: JSON.parse(new TextDecoder().decode(bytes)) as JsonValue };
    return { type, base64: bytesToBase64(bytes) };
  };
  const tuples = await allTuples(store, threadId);
  const out: ThreadExport = {
    format: THREAD_EXPORT_FORMAT,
    formatVersion: THREAD_EXPORT_VERSION,
    exportedAt,
    thread: { threadId, createdAt: thread.createdAt, metadata: thread.metadata },
    values: [],
    checkpoints: [],
    writes: [],
  };
  const written = new Set<string>();
  const fingerprints = new Map<string, string[]>();
  const byId = new Map<string, CheckpointTuple>();

  for (const tuple of tuples) {
    const { checkpointNs: ns, checkpointId } = tupleRef(tuple);
    const parentId = (tuple.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null;
    const parent = parentId ? byId.get(`${ns}\0${parentId}`) : undefined;
    const { channel_values: values, ...rest } = tuple.checkpoint;
    for (const [channel, value] of Object.entries(values)) {
      const version = tuple.checkpoint.channel_versions[channel] ?? "";
      const k = key(ns, channel, version);
      if (written.has(k)) continue;
      written.add(k);
      const entry: ThreadExport["values"][number] = { ns, channel, version, value: { type: "json", json: null } };
      if (Array.isArray(value)) {
        const prints = value.map(fingerprint);
        const baseVersion = parent?.checkpoint.channel_versions[channel];
        const basePrints = baseVersion === undefined ? undefined : fingerprints.get(key(ns, channel, baseVersion));
        if (basePrints && basePrints.length > 0 && isPrefix(basePrints, prints)) {
          entry.appendTo = baseVersion;
          entry.value = await serialize(value.slice(basePrints.length));
        } else {
          entry.value = await serialize(value);
        }
        remember(fingerprints, k, prints);
      } else {
        entry.value = await serialize(value);
      }
      out.values.push(entry);
    }
    out.checkpoints.push({
      ns,
      id: checkpointId,
      parentId,
      checkpoint: JSON.parse(JSON.stringify(rest)) as JsonObject,
      channels: Object.keys(values),
      metadata: await serialize(tuple.metadata ?? {}),
      digest: digest(tuple),
    });
    const idxByTask = new Map<string, number>();
    for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
      const idx = idxByTask.get(taskId) ?? 0;
      idxByTask.set(taskId, idx + 1);
      out.writes.push({ ns, checkpointId, taskId, idx, channel, value: await serialize(value) });
    }
    byId.set(`${ns}\0${checkpointId}`, tuple);
  }
  return out;
}
