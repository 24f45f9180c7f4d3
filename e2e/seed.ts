// Writes checkpoints straight into a database file through SqliteCheckpointer, as a user's own app would.
import { emptyCheckpoint, uuid6, type Checkpoint, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { SqliteCheckpointer } from "../src/core/storage/index";

/** A linear thread of `count` checkpoints (step -1 … count-2) with a counter that changes every step. */
export async function writeLinearThread(file: string, threadId: string, count: number): Promise<void> {
  const saver = new SqliteCheckpointer(file);
  try {
    let config = { configurable: { thread_id: threadId, checkpoint_ns: "" } } as Parameters<SqliteCheckpointer["put"]>[0];
    let checkpoint: Checkpoint = emptyCheckpoint();
    for (let step = -1; step < count - 1; step++) {
      const version = saver.getNextVersion(checkpoint.channel_versions.count as number | undefined);
      const seen = checkpoint.channel_versions;
      checkpoint = {
        v: 4,
        id: uuid6(-1),
        ts: new Date(Date.UTC(2026, 0, 1) + (step + 1) * 1000).toISOString(),
        channel_values: { count: step + 1 },
        channel_versions: { ...seen, count: version },
        versions_seen: step < 0 ? {} : { counter: { ...seen } },
      };
      const metadata = { source: step < 0 ? "input" : "loop", step, parents: {} } as CheckpointMetadata;
      config = await saver.put(config, checkpoint, metadata, { count: version });
    }
  } finally {
    saver.close();
  }
}
