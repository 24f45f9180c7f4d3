// Writes to an Agent Server's threads: create, metadata, delete, copy, fork into a new thread
// (the server's copy, then the chosen checkpoint copied to its head with LangGraph's "__copy__"
// update), and state updates (updateState with as_node, which goes through the graph's reducers as
// the server applies every update).
import type { ParsedArgs } from "../../../shared/contract";
import type { JsonObject, JsonValue } from "../../../shared/encoding";
import { invalidArgument } from "../../../shared/errors";
import type { CheckpointRef } from "../../../shared/types";
import type { SourcePart } from "../source";
import type { RemoteConnection } from "./connection";
import { toThreadInfo } from "./states";
import { toServer } from "./values";

/**
 * Metadata the server keeps for itself: it reads a thread's graph from them (langgraph dev answers an
 * empty history for a thread whose graph_id is null), so a replace never clears them.
 */
const SERVER_KEYS = new Set(["graph_id", "assistant_id"]);

/** LangGraph's update that copies a checkpoint as a new one (source "fork"), making it the head. */
const COPY_AS_NODE = "__copy__";

function rootOnly(call: string, checkpointNs: string): void {
  if (checkpointNs !== "") throw invalidArgument(`${call}: checkpointNs: edit and fork a root checkpoint (namespace ""), not a subgraph's`);
}

/** The checkpoint an updateState made: the SDK types it as a config, the servers answer {checkpoint}. */
function madeCheckpoint(threadId: string, answer: unknown): CheckpointRef {
  const a = answer as { checkpoint?: Record<string, unknown>; configurable?: Record<string, unknown> };
  const c = a.checkpoint ?? a.configurable ?? {};
  return { threadId, checkpointNs: typeof c.checkpoint_ns === "string" ? c.checkpoint_ns : "", checkpointId: String(c.checkpoint_id ?? "") };
}

export function remoteEdits(connection: RemoteConnection, changed: (threadId: string) => void): SourcePart<"edits"> {
  const { client } = connection;
  const done = <T>(threadId: string, value: T): T => {
    changed(threadId);
    return value;
  };

  async function updateState(args: ParsedArgs<"state.update">) {
    rootOnly("state.update", args.checkpointNs);
    const answer = await connection.call(() =>
      client.threads.updateState(args.threadId, {
        values: toServer(args.values),
        ...(args.checkpointId ? { checkpointId: args.checkpointId } : {}),
        ...(args.asNode ? { asNode: args.asNode } : {}),
      }),
    );
    return done(args.threadId, { checkpoint: madeCheckpoint(args.threadId, answer) });
  }

  return {
    "threads.create": async (args) => {
      const thread = await connection.call(() =>
        client.threads.create({
          ...(args.threadId ? { threadId: args.threadId } : {}),
          metadata: toServer(args.metadata) as JsonObject,
          ifExists: args.ifExists,
          ...(args.graphId ? { graphId: args.graphId } : {}),
        }),
      );
      return done(thread.thread_id, toThreadInfo(thread));
    },
    "threads.updateMetadata": async (args) => {
      let metadata = toServer(args.metadata) as Record<string, JsonValue>;
      if (args.mode === "replace") {
        // An Agent Server merges metadata: a key left out is cleared by setting it to null.
        const current = await connection.call(() => client.threads.get(args.threadId));
        const cleared = Object.keys(current.metadata ?? {}).filter((k) => !(k in metadata) && !SERVER_KEYS.has(k));
        metadata = { ...Object.fromEntries(cleared.map((k) => [k, null])), ...metadata };
      }
      const thread = await connection.call(() => client.threads.update(args.threadId, { metadata }));
      return done(args.threadId, toThreadInfo(thread));
    },
    "threads.delete": async (args) => {
      await connection.call(() => client.threads.delete(args.threadId));
      return done(args.threadId, null);
    },
    "threads.copy": async (args) => {
      if (args.newThreadId) throw invalidArgument("threads.copy: newThreadId: an Agent Server chooses the id of a copy");
      const copy = await connection.call(() => client.threads.copy(args.threadId));
      return done(copy.thread_id, toThreadInfo(copy));
    },
    "threads.fork": async (args) => {
      rootOnly("threads.fork", args.checkpointNs);
      if (args.newThreadId) throw invalidArgument("threads.fork: newThreadId: an Agent Server chooses the id of a copy");
      const copy = await connection.call(() => client.threads.copy(args.threadId));
      await connection.call(() =>
        client.threads.updateState(copy.thread_id, { values: null, checkpointId: args.checkpointId, asNode: COPY_AS_NODE }),
      );
      const [thread, head] = await Promise.all([
        connection.call(() => client.threads.get(copy.thread_id)),
        connection.call(() => client.threads.getState(copy.thread_id)),
      ]);
      return done(copy.thread_id, toThreadInfo(thread, head));
    },
    "state.update": (args) => updateState(args),
  };
}
