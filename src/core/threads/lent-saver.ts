// A graph's own checkpointer lent to one LangGraph call (on its `__pregel_checkpointer` configurable
// key, which LangGraph reads before the graph's checkpointer) so that the checkpoint the call writes
// carries extra metadata under LangGraph's own: what a state update made through LangGraph's server
// records (the thread's graph id, the request's configurable keys).
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver, Checkpoint, CheckpointMetadata } from "@langchain/langgraph-checkpoint";

export const CONFIG_KEY_CHECKPOINTER = "__pregel_checkpointer";

/** The graph's checkpointer, when it has one of its own. */
export function checkpointerOf(graph: object): BaseCheckpointSaver | undefined {
  const saver = (graph as { checkpointer?: unknown }).checkpointer;
  return typeof saver === "object" && saver !== null ? (saver as BaseCheckpointSaver) : undefined;
}

/** `saver`, storing each checkpoint with the metadata `compose` makes of the call's config and LangGraph's metadata. */
export function withMetadata(
  saver: BaseCheckpointSaver,
  compose: (config: RunnableConfig, metadata: CheckpointMetadata) => CheckpointMetadata,
): BaseCheckpointSaver {
  return new Proxy(saver, {
    get(target, property, receiver) {
      if (property === "put") {
        return (config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: unknown) =>
          target.put(config, checkpoint, compose(config, metadata), newVersions as never);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `saver`, writing `extra` into every checkpoint's metadata (LangGraph's keys win). */
export function withExtraMetadata(saver: BaseCheckpointSaver, extra: Record<string, unknown>): BaseCheckpointSaver {
  return withMetadata(saver, (_config, metadata) => ({ ...extra, ...metadata }) as CheckpointMetadata);
}
