/**
 * What one `put` or `putWrites` of SqliteCheckpointer writes, as plain data: the rows are built
 * here, serialized and committed by the saver (checkpointer.ts).
 */
import { INTERRUPT, type Checkpoint, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { BLOB_EMPTY, type BlobPlan } from "./delta";
import type { CheckpointSummaryColumns } from "./timeline";
import type { ChannelVersion } from "./versions";

export type VersionsSeen = Record<string, Record<string, ChannelVersion>>;

/** Versions a put needs from its parent; cached per thread and namespace for the next put. */
export interface ParentVersions {
  checkpointId: string;
  channelVersions: Record<string, ChannelVersion>;
  versionsSeen: VersionsSeen;
}

export interface SerializedBlob {
  channel: string;
  version: ChannelVersion;
  plan: BlobPlan;
  value: unknown;
  type: string | null;
  bytes: Uint8Array | null;
  /** Serialized size before compression: what the snapshot policy of delta.ts weighs. */
  rawLength: number;
}

/** What a put knows before serializing anything. */
export interface PreparedPut {
  threadId: string;
  ns: string;
  parentId: string | null;
  channelValues: Record<string, unknown>;
  stored: Omit<Checkpoint, "channel_values">;
  parent: ParentVersions | undefined;
  asNode: string | undefined;
}

export interface CheckpointRow extends CheckpointSummaryColumns {
  type: string;
  checkpoint: Uint8Array;
  metadata_type: string;
  metadata: Uint8Array;
}

/** Where a task's pending writes go. */
export interface WritesTarget {
  threadId: string;
  ns: string;
  checkpointId: string;
  taskId: string;
  taskPath: string;
}

/** A channel's new version as planned, before its value is serialized (checkpointer.ts plannedBlobs). */
export interface PlannedBlob {
  channel: string;
  version: ChannelVersion;
  /** null: the checkpoint holds no value for the channel (an empty blob). */
  plan: BlobPlan | null;
  value: unknown;
  /** What is serialized: the whole value, or a delta's new elements. */
  stored: unknown;
}

/** The blob row of a planned version, with its serialized bytes (null for a channel with no value). */
export function blobOf(planned: PlannedBlob, dumped: [type: string, bytes: Uint8Array, rawLength: number] | null): SerializedBlob {
  const { channel, version, plan, value } = planned;
  if (!plan || !dumped) return { channel, version, plan: { kind: BLOB_EMPTY }, value: undefined, type: null, bytes: null, rawLength: 0 };
  const [type, bytes, rawLength] = dumped;
  return { channel, version, plan, value, type, bytes, rawLength };
}

/** Nodes whose `versions_seen` entry changed since the parent: the ones that ran to produce it. */
export function producedBy(seen: VersionsSeen, parentSeen: VersionsSeen | undefined): string[] {
  const nodes: string[] = [];
  for (const [node, versions] of Object.entries(seen)) {
    if (node === INTERRUPT) continue;
    const before = parentSeen?.[node];
    const changed = before === undefined || Object.entries(versions ?? {}).some(([channel, version]) => before[channel] !== version);
    if (changed) nodes.push(node);
  }
  return nodes.sort();
}

/** A copy of `versions_seen` (two levels of strings or numbers): structuredClone cost more than the rest of `put`'s bookkeeping. */
export function copyVersionsSeen(seen: VersionsSeen): VersionsSeen {
  // fromEntries defines own properties, so even a node named "__proto__" is copied as a key.
  return Object.fromEntries(Object.entries(seen).map(([node, versions]) => [node, { ...versions }]));
}

/** The `tl_checkpoints` row of a put, from its serialized checkpoint and metadata. */
export function checkpointRowOf(
  prepared: PreparedPut,
  checkpoint: Checkpoint,
  metadata: CheckpointMetadata,
  [type, checkpointBytes]: [string, Uint8Array, number],
  [metadataType, metadataBytes]: [string, Uint8Array, number],
): CheckpointRow {
  const nodes = producedBy((prepared.stored.versions_seen ?? {}) as VersionsSeen, prepared.parent?.versionsSeen);
  return {
    thread_id: prepared.threadId,
    checkpoint_ns: prepared.ns,
    checkpoint_id: checkpoint.id,
    parent_checkpoint_id: prepared.parentId,
    step: Number.isInteger(metadata?.step) ? metadata.step : -1,
    source: typeof metadata?.source === "string" ? metadata.source : "",
    nodes: JSON.stringify(nodes),
    created_at: checkpoint.ts,
    type,
    checkpoint: checkpointBytes,
    metadata_type: metadataType,
    metadata: metadataBytes,
  };
}
