// Starting a run from LangGraph's run request: the assistant's graph, the thread (made when asked
// to), the engine's run arguments, and the request as LangGraph keeps it (`kwargs`), stored with the
// run so that GET /runs/:id answers it after a restart too.
import type { JsonObject, JsonValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import { fromApiValue, toApiValue } from "../../shared/agent-api/values";
import type { RunInfo, ThreadInfo } from "../../shared/types";
import type { ApiContext } from "./context";
import { ApiError, notFound } from "./errors";
import type { RunCreate } from "./schemas";
import { serverMetadata } from "./server-metadata";
import type { StreamRequest } from "./streams";

export interface CreatedRun {
  run: RunInfo;
  /** A stateless run's thread, deleted once the run ends (on_completion "delete"). */
  temporary: boolean;
  /** What its stream sends, as the request asked. */
  stream: StreamRequest;
}

const asRecord = (v: unknown) => (fromApiValue(v ?? {}) ?? {}) as Record<string, JsonValue>;

/** The stream a run request asks for: `values` unless it names modes. */
export function streamRequestOf(payload: Pick<RunCreate, "stream_mode" | "stream_subgraphs">): StreamRequest {
  return { modes: new Set(payload.stream_mode.length > 0 ? payload.stream_mode : ["values"]), subgraphs: payload.stream_subgraphs };
}

/** The same from a stored request (see kwargs below). */
export function storedStreamRequest(kwargs: JsonObject | undefined): StreamRequest {
  const modes = Array.isArray(kwargs?.stream_mode) ? kwargs.stream_mode.map(String) : [];
  return { modes: new Set(modes.length > 0 ? modes : ["values"]), subgraphs: kwargs?.subgraphs === true };
}

async function threadFor(ctx: ApiContext, threadId: string | null, graphId: string, payload: RunCreate): Promise<ThreadInfo> {
  const { tl } = ctx;
  if (threadId === null) return tl.threads.create({ metadata: {}, graphId });
  try {
    return await tl.threads.get({ threadId });
  } catch (error) {
    const missing = ThreadlineError.from(error).code === "NOT_FOUND";
    if (!missing) throw error;
    if (payload.if_not_exists !== "create") throw notFound(`Thread ${threadId} not found`);
    return tl.threads.create({ threadId, metadata: {}, graphId, ifExists: "do_nothing" });
  }
}

function commandOf(command: NonNullable<RunCreate["command"]>) {
  return {
    ...(command.resume !== undefined ? { resume: fromApiValue(command.resume) } : {}),
    ...(command.update !== undefined && command.update !== null ? { update: fromApiValue(command.update) } : {}),
    ...(command.goto !== undefined && command.goto !== null ? { goto: command.goto } : {}),
  };
}

/** `apiUrl`: the address the client reached the server at (LangGraph's langgraph_api_url). */
export async function createRun(ctx: ApiContext, threadId: string | null, payload: RunCreate, apiUrl: string): Promise<CreatedRun> {
  const { tl } = ctx;
  const assistant = await ctx.assistantOf(payload.assistant_id);
  const { graph_id: graphId, assistant_id: assistantId } = assistant;
  const temporary = threadId === null && (payload.on_completion ?? "delete") === "delete";
  let thread = await threadFor(ctx, threadId, graphId, payload);
  // LangGraph records on the thread which graph ran on it last.
  if (thread.metadata.graph_id !== graphId || thread.metadata.assistant_id !== assistantId) {
    thread = await tl.threads.updateMetadata({ threadId: thread.threadId, metadata: { graph_id: graphId, assistant_id: assistantId } });
  }
  // The assistant's config, the thread's (its earlier runs') and this run's, as LangGraph's server
  // merges them (configurable key by key); never an earlier run's checkpoint, which would make this
  // run start there.
  const threadConfig = await ctx.threadConfig(thread.threadId);
  const { checkpoint_id: _id, checkpoint_ns: _ns, ...inherited } = (threadConfig.configurable ?? {}) as JsonObject;
  const { configurable: assistantConfigurable, ...assistantConfig } = assistant.config;
  const config: Record<string, unknown> = { ...assistantConfig, ...threadConfig, ...payload.config };
  const checkpointId = payload.checkpoint_id ?? payload.checkpoint?.checkpoint_id;
  // A run from a checkpoint carries it in its configurable too (kwargs and the thread's config show it).
  const configurable = {
    ...((assistantConfigurable ?? {}) as JsonObject),
    ...inherited,
    ...payload.config?.configurable,
    ...(checkpointId ? { checkpoint_id: checkpointId } : {}),
    ...(typeof payload.checkpoint?.checkpoint_ns === "string" ? { checkpoint_ns: payload.checkpoint.checkpoint_ns } : {}),
  };
  // Kept in the request (and so in the thread's config) as given, as LangGraph's server keeps it; not given to the graph.
  const checkpointMap: JsonObject = payload.checkpoint && "checkpoint_map" in payload.checkpoint ? { checkpoint_map: (payload.checkpoint.checkpoint_map ?? null) as JsonValue } : {};
  const command = payload.command ?? undefined;
  const runMetadata: Record<string, JsonValue> = {
    ...asRecord(assistant.metadata),
    ...(thread.metadata as Record<string, JsonValue>),
    ...asRecord(payload.metadata),
    graph_id: graphId,
    assistant_id: assistantId,
  };
  // The assistant's context under the run's, key by key.
  const context: JsonObject = { ...assistant.context, ...((payload.context ?? {}) as JsonObject) };
  const stream = streamRequestOf(payload);
  const { interrupt_before: interruptBefore, interrupt_after: interruptAfter } = payload;
  const kwargs: JsonObject = {
    input: (payload.input ?? null) as JsonValue,
    ...(command ? { command: command as JsonObject } : {}),
    config: {
      ...(config as JsonObject),
      configurable: { ...(configurable as JsonObject), ...checkpointMap, thread_id: thread.threadId, graph_id: graphId, assistant_id: assistantId },
      metadata: toApiValue(runMetadata),
    },
    context,
    stream_mode: [...stream.modes],
    ...(interruptBefore ? { interrupt_before: interruptBefore } : {}),
    ...(interruptAfter ? { interrupt_after: interruptAfter } : {}),
    temporary,
    subgraphs: stream.subgraphs,
    resumable: payload.stream_resumable,
  };
  const run = await tl.runs
    .start({
      threadId: thread.threadId,
      graphId: graphId,
      ...(command ? { command: commandOf(command) } : payload.input !== undefined && payload.input !== null ? { input: fromApiValue(payload.input) } : {}),
      config: {
        ...asRecord(config),
        configurable: { ...asRecord(configurable), graph_id: graphId, assistant_id: assistantId },
        metadata: { ...asRecord(config.metadata), ...serverMetadata(apiUrl) },
      },
      metadata: runMetadata,
      // A run that names no breakpoints has none, as on LangGraph's server (not the inspector's saved ones).
      interruptBefore: interruptBefore ?? [],
      interruptAfter: interruptAfter ?? [],
      ...(checkpointId ? { checkpointId } : {}),
      ...(Object.keys(context).length > 0 ? { context: asRecord(context) } : {}),
      multitaskStrategy: payload.multitask_strategy ?? "reject",
      request: kwargs,
    })
    .catch((error: unknown) => {
      const e = ThreadlineError.from(error);
      if (e.code === "CONFLICT") {
        throw new ApiError(422, "Thread is already running a task. Wait for it to finish or choose a different multitask strategy.");
      }
      throw e;
    });
  // Documented default: a run's stream is not resumable unless asked (useStream asks when it reconnects on mount).
  if (!payload.stream_resumable) ctx.logs.notResumable(run.runId);
  return { run, temporary, stream };
}
