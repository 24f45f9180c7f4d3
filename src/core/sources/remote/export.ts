// A server thread's export, built from its history (every namespace, read a page of the server's
// largest size at a time): each state becomes a checkpoint in a MemorySaver, channel versions
// counted from where a value changed, a finished task's result as its pending writes; then the same
// exporter as every other source writes the document, so `threads.import` reads it back and checks
// each checkpoint's digest as for any export.
import { MemorySaver, type Checkpoint, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import type { Thread, ThreadState } from "@langchain/langgraph-sdk";
import type { ThreadExport } from "../../../shared/contract";
import type { JsonObject } from "../../../shared/encoding";
import { exportThread } from "../../threads/transfer";
import type { HistoryReader } from "./history";

function configOf(threadId: string, ns: string, checkpointId?: string) {
  return { configurable: { thread_id: threadId, checkpoint_ns: ns, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } };
}

/** Writes one namespace's states (newest first, as the server lists them) into `saver`, oldest first. */
async function writeNamespace(saver: MemorySaver, threadId: string, ns: string, states: ThreadState[]): Promise<void> {
  const versions = new Map<string, { version: number; text: string }>();
  for (const state of [...states].reverse()) {
    const id = state.checkpoint.checkpoint_id!;
    const values = (state.values ?? {}) as Record<string, unknown>;
    const channelVersions: Record<string, number> = {};
    for (const [channel, value] of Object.entries(values)) {
      const text = JSON.stringify(value);
      const known = versions.get(channel);
      if (!known || known.text !== text) {
        const version = (known?.version ?? 0) + 1;
        versions.set(channel, { version, text });
      }
      channelVersions[channel] = versions.get(channel)!.version;
    }
    const checkpoint: Checkpoint = {
      v: 4,
      id,
      ts: state.created_at ?? new Date(0).toISOString(),
      channel_values: values,
      channel_versions: channelVersions,
      versions_seen: {},
    };
    const parentId = state.parent_checkpoint?.checkpoint_id ?? undefined;
    const metadata = (state.metadata ?? {}) as unknown as CheckpointMetadata;
    await saver.put(configOf(threadId, ns, parentId), checkpoint, metadata);
    for (const task of state.tasks ?? []) {
      const result = task.result;
      if (typeof result !== "object" || result === null || Array.isArray(result)) continue;
      await saver.putWrites(configOf(threadId, ns, id), Object.entries(result as Record<string, unknown>), task.id);
    }
  }
}

export async function exportFromHistory(thread: Thread, history: HistoryReader): Promise<ThreadExport> {
  const saver = new MemorySaver();
  const roots = await history.all(thread.thread_id, "");
  await writeNamespace(saver, thread.thread_id, "", roots);
  const namespaces = new Set(roots.flatMap((s) => (s.tasks ?? []).map((t) => t.checkpoint?.checkpoint_ns).filter((ns): ns is string => !!ns)));
  for (const ns of namespaces) {
    const states = await history.all(thread.thread_id, ns).catch(() => [] as ThreadState[]);
    await writeNamespace(saver, thread.thread_id, ns, states);
  }
  return exportThread(
    saver,
    { threadId: thread.thread_id, createdAt: thread.created_at, metadata: (thread.metadata ?? {}) as JsonObject },
    new Date().toISOString(),
  );
}
