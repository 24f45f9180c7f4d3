// State and time travel: snapshots at the head or any checkpoint and
// namespace, history pages and the checkpoint tree, state updates as a node
// (which branch when made at an old checkpoint). A diff is built from two of
// these states by the Inspector (any source's states will do).

import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { ParsedArgs } from "../../shared/contract";
import { encodeValue, tagOf, type EncodeMemo, type JsonObject, type JsonValue } from "../../shared/encoding";
import { invalidArgument, notFound, ThreadlineError } from "../../shared/errors";
import type { ReducerKinds } from "../../shared/graph";
import type { CheckpointRef, CheckpointTree, HistoryPage, StateSnapshot } from "../../shared/types";
import { notOnThisRelease, type ReleaseInfo } from "../../shared/langgraph-release";
import { configFor } from "./checkpoint-store";
import { checkpointerOf, CONFIG_KEY_CHECKPOINTER, withExtraMetadata } from "./lent-saver";
import { asCompiled, type CompiledGraphLike, type EngineContext } from "./context";
import { reviveForGraph } from "./revive";
import { emptySnapshot, fromGraphSnapshot, fromTuple, pendingWritesOf, refOf, tupleValues, type GraphStateSnapshot } from "./snapshot";
import type { ThreadService } from "./threads";

/** One state of a history page: its live values, and the snapshot (with its values encoded, or without them). */
export interface HistoryItem {
  checkpointId: string;
  values: unknown;
  /** LangGraph's own snapshot, when the state was read through the graph. */
  live?: GraphStateSnapshot;
  snapshot(memo: EncodeMemo, withValues: boolean): StateSnapshot;
}

export class StateService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly threads: ThreadService,
  ) {}

  /** The loaded graph for a thread, or undefined when none is known or it is not loaded. */
  private graphFor(threadId: string, explicit?: string): { id: string; graph: CompiledGraphLike } | undefined {
    const id = explicit ?? this.threads.graphIdOf(this.threads.row(threadId));
    if (!id) return undefined;
    try {
      return { id, graph: asCompiled(this.ctx.graphs().get(id).graph) };
    } catch (error) {
      // A thread written by another app names a graph this project lacks: read it without the graph.
      if (!explicit && error instanceof ThreadlineError && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
  }

  async mustExist(threadId: string, checkpointNs: string, checkpointId: string): Promise<void> {
    if (!(await this.ctx.checkpoints.exists(threadId, checkpointNs, checkpointId))) {
      throw notFound(`No checkpoint "${checkpointId}"${nsLabel(checkpointNs)} in thread "${threadId}"`);
    }
  }

  private async tupleAt(threadId: string, checkpointNs: string, checkpointId?: string): Promise<CheckpointTuple | undefined> {
    const tuple = checkpointId
      ? await this.ctx.checkpoints.at(threadId, checkpointNs, checkpointId)
      : await this.ctx.checkpoints.head(threadId, checkpointNs);
    if (!tuple && checkpointId) {
      throw notFound(`No checkpoint "${checkpointId}"${nsLabel(checkpointNs)} in thread "${threadId}"`);
    }
    return tuple;
  }

  async get(args: ParsedArgs<"state.get">): Promise<StateSnapshot> {
    this.threads.row(args.threadId);
    const tuple = await this.tupleAt(args.threadId, args.checkpointNs, args.checkpointId);
    if (!tuple) {
      if (args.checkpointNs) throw notFound(`No checkpoint${nsLabel(args.checkpointNs)} in thread "${args.threadId}"`);
      return emptySnapshot();
    }
    const graph = this.graphFor(args.threadId, args.graphId);
    const checkpointId = tuple.checkpoint.id;
    if (!graph) return fromTuple(tuple, undefined, undefined, args.maxItems);
    const snapshot = (await graph.graph.getState(configFor(args.threadId, args.checkpointNs, checkpointId), {
      subgraphs: args.subgraphs,
    })) as GraphStateSnapshot;
    return fromGraphSnapshot(snapshot, pendingWritesOf(tuple), undefined, undefined, args.maxItems);
  }

  /**
   * Applies `values` as if `asNode` had returned them, at the head or (making
   * a branch) at an old checkpoint. Only keys whose value differs are sent;
   * for a list of messages only the messages that changed or are new (the
   * messages reducer replaces by id), and a removed message becomes a
   * RemoveMessage; any other key that has a reducer gets its new value as an
   * Overwrite, since the user edited the whole value, unless it is listed in
   * `throughReducer`.
   */
  async update(args: ParsedArgs<"state.update">): Promise<{ checkpoint: CheckpointRef }> {
    this.threads.row(args.threadId);
    const graph = this.graphFor(args.threadId, args.graphId);
    if (!graph) {
      throw invalidArgument(
        `state.update: graphId: thread "${args.threadId}" has no known graph; name the graph to update it as`,
      );
    }
    if (args.values !== null && (typeof args.values !== "object" || Array.isArray(args.values) || tagOf(args.values))) {
      throw invalidArgument(`state.update: values: expected an object of state keys`);
    }
    const base = await this.tupleAt(args.threadId, args.checkpointNs, args.checkpointId);
    const config = configFor(args.threadId, args.checkpointNs, base?.checkpoint.id);
    const saver = args.metadata && checkpointerOf(graph.graph);
    const updateConfig = saver
      ? { ...config, configurable: { ...config.configurable, [CONFIG_KEY_CHECKPOINTER]: withExtraMetadata(saver, reviveForGraph(args.metadata as JsonValue) as Record<string, unknown>) } }
      : config;
    let update: Record<string, unknown> | null = null;
    if (args.values !== null) {
      const current = base
        ? ((await graph.graph.getState(config)) as GraphStateSnapshot).values
        : {};
      update = changedKeys(
        args.values,
        encodeValue(current ?? {}),
        this.reducerKinds(graph.id),
        new Set(args.throughReducer),
      );
      const release = this.ctx.graphs().release?.(graph.id);
      if (release) refuseOverwriteWithout(release, update);
    }
    let result: { configurable?: Record<string, unknown> };
    try {
      result = await graph.graph.updateState(updateConfig, update, args.asNode);
    } catch (error) {
      // LangGraph's own validation (unknown node, ambiguous update): the user's input was wrong.
      const name = error instanceof Error ? error.name : "";
      if (name === "InvalidUpdateError" || name === "GraphValueError" || name === "EmptyChannelError") {
        throw invalidArgument(`state.update: ${(error as Error).message}`);
      }
      throw error;
    }
    const ref = refOf(result);
    if (!ref) throw new ThreadlineError("INTERNAL", "updateState returned no checkpoint");
    // LangGraph names the as-node nowhere in what it stores. Without one it infers it; that guess is not kept.
    if (args.asNode !== undefined && args.values !== null) {
      this.ctx.checkpoints.recordAsNode(args.threadId, ref.checkpointNs, ref.checkpointId, args.asNode);
    }
    this.threads.changed(args.threadId);
    return { checkpoint: ref };
  }

  private reducerKinds(graphId: string): ReducerKinds {
    try {
      return this.ctx.graphs().reducerKinds(graphId);
    } catch {
      return {};
    }
  }

  async historyPage(args: ParsedArgs<"history.page">): Promise<HistoryPage> {
    this.threads.row(args.threadId);
    if (args.before) await this.mustExist(args.threadId, args.checkpointNs, args.before);
    const items = await this.ctx.checkpoints.summaries(args.threadId, args);
    const last = items[items.length - 1];
    return { items, nextBefore: !args.oldest && items.length === args.limit && last ? last.checkpointId : null };
  }

  async historyStates(args: ParsedArgs<"history.states">): Promise<StateSnapshot[]> {
    const out: StateSnapshot[] = [];
    // The checkpoints of one list share their message instances (see WalkCache): each is encoded once.
    const memo: EncodeMemo = new WeakMap();
    for await (const item of this.historyItems(args)) out.push(item.snapshot(memo, true));
    return out;
  }

  /** Newest first, as LangGraph's getStateHistory (or, with no graph, the checkpointer) lists them. */
  async *historyItems(args: ParsedArgs<"history.states">): AsyncGenerator<HistoryItem> {
    this.threads.row(args.threadId);
    if (args.before) await this.mustExist(args.threadId, args.checkpointNs, args.before);
    const graph = this.graphFor(args.threadId, args.graphId);
    const config = configFor(args.threadId, args.checkpointNs);
    const options = {
      limit: args.limit,
      ...(args.before ? { before: configFor(args.threadId, args.checkpointNs, args.before) } : {}),
      ...(args.metadata ? { filter: args.metadata } : {}),
    };
    if (graph) {
      for await (const listed of graph.graph.getStateHistory(config, options)) {
        const snapshot = listed as GraphStateSnapshot;
        yield {
          checkpointId: refOf(snapshot.config)?.checkpointId ?? "",
          values: snapshot.values ?? {},
          live: snapshot,
          snapshot: (memo, withValues) => fromGraphSnapshot(withValues ? snapshot : { ...snapshot, values: {} }, [], undefined, memo),
        };
      }
    } else {
      for await (const tuple of this.ctx.store.list(config, options)) {
        yield {
          checkpointId: refOf(tuple.config)?.checkpointId ?? "",
          values: tupleValues(tuple),
          snapshot: (memo, withValues) =>
            fromTuple(withValues ? tuple : { ...tuple, checkpoint: { ...tuple.checkpoint, channel_values: {} } }, undefined, memo),
        };
      }
    }
  }

  async tree(threadId: string): Promise<CheckpointTree> {
    this.threads.row(threadId);
    return { threadId, nodes: await this.ctx.checkpoints.tree(threadId) };
  }
}

/** A release without LangGraph's Overwrite would hand `{__overwrite__: …}` to the key's reducer as a value. */
function refuseOverwriteWithout(release: ReleaseInfo, update: Record<string, unknown>): void {
  if (release.overwrite) return;
  const replaced = Object.keys(update).filter((key) => {
    const value = update[key];
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).join() === "__overwrite__";
  });
  if (replaced.length === 0) return;
  throw notOnThisRelease(
    release.version,
    `state.update: replacing ${replaced.map((k) => `"${k}"`).join(", ")}, which ${replaced.length === 1 ? "has a reducer" : "have reducers"}, ` +
      `needs LangGraph's Overwrite; send the value through the reducer instead ("append", throughReducer)`,
  );
}

function nsLabel(checkpointNs: string): string {
  return checkpointNs ? ` (namespace "${checkpointNs}")` : "";
}

function isEncodedMessage(value: JsonValue | undefined): value is JsonObject {
  return tagOf(value)?.$type === "message";
}

function messageId(value: JsonValue): string | undefined {
  const id = (value as JsonObject).id;
  return typeof id === "string" ? id : undefined;
}

/** A list every element of which is a message with an id: the messages reducer can merge it by id. */
function isMessageList(value: JsonValue | undefined): value is JsonObject[] {
  return Array.isArray(value) && value.every((m) => isEncodedMessage(m) && messageId(m) !== undefined);
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** The update to send: see StateService.update. Values stay encoded until revived here. */
export function changedKeys(
  values: JsonObject,
  current: JsonValue,
  reducers: ReducerKinds,
  throughReducer: ReadonlySet<string>,
): Record<string, unknown> {
  const now = (current && typeof current === "object" && !Array.isArray(current) ? current : {}) as JsonObject;
  const update: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const before = now[key];
    if (same(before, value)) continue;
    if (throughReducer.has(key)) {
      update[key] = reviveForGraph(value);
    } else if (isMessageList(value) && (before === undefined || isMessageList(before))) {
      update[key] = messagesDelta(before ?? [], value);
    } else if (reducers[key] === "reducer") {
      update[key] = { __overwrite__: reviveForGraph(value) };
    } else {
      update[key] = reviveForGraph(value);
    }
  }
  return update;
}

function messagesDelta(before: JsonObject[], after: JsonObject[]): unknown[] {
  const old = new Map(before.map((m) => [messageId(m)!, m]));
  const kept = new Set(after.map((m) => messageId(m)!));
  const delta: unknown[] = after.filter((m) => !same(old.get(messageId(m)!), m)).map((m) => reviveForGraph(m));
  for (const id of old.keys()) {
    if (!kept.has(id)) delta.push(reviveForGraph({ $type: "message", class: "RemoveMessage", type: "remove", content: "", id }));
  }
  return delta;
}

