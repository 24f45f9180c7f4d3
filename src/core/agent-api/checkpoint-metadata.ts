// What LangGraph's server adds to every checkpoint a run writes: its checkpointer stores the run's
// configurable keys and config metadata (graph and assistant ids, the thread's and the run's
// metadata, run_id, langgraph_* fields) with what LangGraph itself writes. A run the Agent Server
// API started (it carries a `request`) gets a checkpointer that does the same; the inspector's own
// runs keep LangGraph's metadata as it is.
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver, CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import type { ParsedArgs } from "../../shared/contract";
import { withMetadata } from "../threads/lent-saver";

/** Configurable keys that are the checkpoint's address or set per run, not metadata (as LangGraph's server leaves them out). */
const NOT_METADATA = new Set(["checkpoint_ns", "checkpoint_id", "run_id", "thread_id"]);

/** The metadata to store: the config's, then LangGraph's own over it. */
export function serverCheckpointMetadata(config: RunnableConfig, metadata: CheckpointMetadata): CheckpointMetadata {
  const configurable = Object.entries(config.configurable ?? {}).filter(([key, value]) => {
    const plain = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    return plain && !key.startsWith("__") && !NOT_METADATA.has(key);
  });
  return { ...Object.fromEntries(configurable), ...config.metadata, ...metadata } as CheckpointMetadata;
}

/** For LocalRunManager's lendSaver: `saver` itself, writing metadata as above, for the Agent Server API's runs. */
export function lendAgentServerSaver(args: ParsedArgs<"runs.start">, saver: BaseCheckpointSaver): BaseCheckpointSaver | undefined {
  if (args.request === undefined) return undefined;
  return withMetadata(saver, serverCheckpointMetadata);
}
