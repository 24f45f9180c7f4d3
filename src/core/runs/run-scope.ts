// Which run the current code belongs to. Everything a run does (its nodes,
// their timers, promises and console calls) executes inside `runScope.run`,
// so Node's AsyncLocalStorage attributes console lines, uncaught exceptions
// and unhandled rejections to the right run even when several runs of one
// worker are interleaved on its event loop.

import { AsyncLocalStorage } from "node:async_hooks";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { ConsoleLine, UserError } from "../../shared/types";
import type { StoreWriteInfo } from "../../shared/store";

export interface RunScope {
  runId: string;
  /** A line the run wrote to the console. */
  console(line: ConsoleLine): void;
  /** The run's code failed outside the graph's control (an async throw, process.exit): end the run with it. */
  fail(error: UserError): void;
  /** The run's code wrote to the store (store/project-store.ts): the writes go into its event log. */
  storeWrites?(writes: StoreWriteInfo[]): void;
}

export const runScope = new AsyncLocalStorage<RunScope>();

/**
 * The LangGraph node whose code is executing now, read from LangChain's own
 * async-local config (the node name is in its metadata); null outside a node.
 */
export function currentNode(): string | null {
  try {
    const config = AsyncLocalStorageProviderSingleton.getRunnableConfig() as
      | { metadata?: Record<string, unknown> }
      | undefined;
    const node = config?.metadata?.langgraph_node;
    return typeof node === "string" ? node : null;
  } catch {
    return null;
  }
}
