// Shared by this folder's tests: fresh databases and hand-built checkpoint chains.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { type ChannelVersions, type Checkpoint, type CheckpointMetadata, JsonPlusSerializer, uuid6 } from "@langchain/langgraph-checkpoint";
import type { SqliteCheckpointer } from "./checkpointer";

export function tempDir(prefix = "threadline-storage-"): { dir: string; file(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** LangGraph's own serializer, and the text it writes for a value: what our fast paths must match byte for byte. */
export const officialSerde = new JsonPlusSerializer();
export const officialText = async (value: unknown): Promise<string> => new TextDecoder().decode((await officialSerde.dumpsTyped(value))[1]);

export interface Parent {
  config: RunnableConfig;
  checkpoint?: Checkpoint;
}

export interface Put {
  config: RunnableConfig;
  checkpoint: Checkpoint;
}

/** Where the first checkpoint of a thread is put. */
export function threadRoot(threadId: string, checkpointNs = ""): Parent {
  return { config: { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs } } };
}

export interface Step {
  /** Channel values that changed at this step; unchanged channels carry over. */
  changes: Record<string, unknown>;
  /** Nodes that ran to produce the checkpoint. */
  nodes?: string[];
  source?: CheckpointMetadata["source"];
  step?: number;
  /** `metadata.writes`, as LangGraph lines before 1.0 recorded it (an update's: `{[asNode]: values}`). */
  writes?: Record<string, unknown>;
}

/**
 * Puts one checkpoint on top of `parent` the way LangGraph does: the full channel values, versions
 * bumped with the saver's getNextVersion for the changed channels only, versions_seen updated for
 * the nodes that ran. Returns the config of the new checkpoint and the checkpoint as put.
 */
export async function putStep(
  saver: SqliteCheckpointer,
  parent: Parent,
  step: Step,
): Promise<Put> {
  const previous = parent.checkpoint;
  const versions: ChannelVersions = { ...(previous?.channel_versions ?? {}) };
  const newVersions: ChannelVersions = {};
  for (const channel of Object.keys(step.changes)) {
    newVersions[channel] = saver.getNextVersion(versions[channel] as number | undefined);
    versions[channel] = newVersions[channel]!;
  }
  const versionsSeen = structuredClone(previous?.versions_seen ?? {});
  for (const node of step.nodes ?? []) versionsSeen[node] = { ...(previous?.channel_versions ?? {}) };
  const checkpoint: Checkpoint = {
    v: 4,
    id: uuid6(-1),
    ts: new Date().toISOString(),
    channel_values: { ...(previous?.channel_values ?? {}), ...step.changes },
    channel_versions: versions,
    versions_seen: versionsSeen,
  };
  const metadata: CheckpointMetadata = { source: step.source ?? "loop", step: step.step ?? 0, parents: {}, ...(step.writes ? { writes: step.writes } : {}) };
  const config = await saver.put(parent.config, checkpoint, metadata, newVersions);
  return { config, checkpoint };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
