// The first history page a fresh server builds ran in V8's interpreter: reading the checkpoints,
// reviving their values and writing LangGraph's JSON were each several times slower than the same
// code compiled, and a useStream app's first request paid for it (issue 15's first-request
// targets). `threadline serve` calls this once before it announces itself: it builds a few pages
// over a synthetic thread in a private in-memory database, through the same functions a real page
// uses, so that they are compiled when the first real request comes. Nothing of the user's
// database is read or written, and nothing is kept (no cache: a real page is still built from
// storage). The code compiled must be the code a real page runs: the project's own copies of
// LangGraph, of its message classes and of its serializer (see warm-up-graph.ts).
import type { CallContext } from "../../shared/contract";
import type { ApiStateText } from "../../shared/agent-api/state";
import { SqliteCheckpointer, type SqliteCheckpointerOptions } from "../storage/checkpointer";
import { openDatabase } from "../storage/database";
import { Checkpoints } from "../threads/checkpoint-store";
import type { CompiledGraphLike, EngineContext } from "../threads/context";
import { CONFIG_KEY_CHECKPOINTER, withExtraMetadata } from "../threads/lent-saver";
import { messageFromFields } from "../threads/revive";
import { liveApiJson, type LiveJsonMemo } from "../../shared/agent-api/values";
import { StateService } from "../threads/state";
import { ThreadService } from "../threads/threads";
import { AgentApiHistory } from "./history";
import { WARM_UP_GRAPH_ID, warmUpGraph, warmUpGraphSource } from "./warm-up-graph";

/** What the engine's real pages are read with, for the warm-up to read its pages the same way. */
export interface WarmUpRuntime {
  /** The project's own @langchain/langgraph module (graphs/project-runtime.ts); Threadline's when absent. */
  langgraph?: Record<string, unknown>;
  /** The options of the engine's checkpointer (the project's serializer). */
  checkpointer?: SqliteCheckpointerOptions;
}

const THREAD_ID = "threadline-warm-up";
/** Agent/tool loops in the synthetic thread: long enough that a page holds many messages per state. */
const LOOPS = 30;
/** Pages built: enough calls for V8 to compile the hot functions. */
const ROUNDS = 3;
const PAGE = 50;
/** Synthetic: what the Agent Server API's runs add to each checkpoint's metadata, by key. */
const RUN_METADATA = {
  graph_id: WARM_UP_GRAPH_ID,
  assistant_id: "warm-up-assistant",
  ls_integration: "langgraph",
  run_attempt: 1,
  langgraph_version: "0.0.0",
  langgraph_plan: "developer",
  langgraph_host: "self-hosted",
  langgraph_api_url: "http://127.0.0.1",
  created_by: "system",
  run_id: "warm-up-run",
  thread_id: THREAD_ID,
};

/** Builds the pages; with `context.partial`, the last page goes out state by state as a real one does. */
export async function warmUpHistory(runtime: WarmUpRuntime = {}, context?: CallContext): Promise<{ states: ApiStateText[] }> {
  const db = openDatabase(":memory:");
  try {
    const checkpointer = new SqliteCheckpointer(db, runtime.checkpointer);
    const graph = projectOrOwnGraph(runtime.langgraph, checkpointer);
    const graphs = warmUpGraphSource(graph);
    const ctx: EngineContext = {
      db,
      store: checkpointer,
      checkpoints: new Checkpoints(checkpointer),
      graphs: () => graphs,
      runs: () => undefined,
      emit: () => undefined,
      now: () => new Date().toISOString(),
    };
    const threads = new ThreadService(ctx);
    const history = new AgentApiHistory(ctx, threads, new StateService(ctx, threads));
    await threads.create({ threadId: THREAD_ID, metadata: {}, graphId: WARM_UP_GRAPH_ID, ifExists: "raise" });
    await writeThread(graph as CompiledGraphLike, checkpointer);
    writeSharedMessages();
    let page: { states: ApiStateText[] } = { states: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const last = round === ROUNDS - 1;
      page = await history.apiStates({ threadId: THREAD_ID, checkpointNs: "", limit: PAGE }, last ? context : undefined);
    }
    return page;
  } finally {
    db.close();
  }
}

/**
 * The synthetic graph over the project's LangGraph; over Threadline's when that release cannot build
 * it (one without MessagesAnnotation), which still compiles Threadline's own reads.
 */
function projectOrOwnGraph(langgraph: Record<string, unknown> | undefined, checkpointer: SqliteCheckpointer) {
  try {
    return warmUpGraph(langgraph, checkpointer);
  } catch (error) {
    if (!langgraph) throw error;
    return warmUpGraph(undefined, checkpointer);
  }
}

/**
 * A question, then agent and tool turns as state updates (each one checkpoint), as a ReAct run
 * leaves them; the messages are of the classes values are revived into (the project's), with the
 * fields a streaming chat model's and a tool node's messages carry (chunks with tool call chunks,
 * undefined usage, a tool's status and artifact): compiled only for the bare fields, the read path
 * was deoptimised by a real thread's messages on the first page and compiled again during it.
 */
async function writeThread(graph: CompiledGraphLike, checkpointer: SqliteCheckpointer): Promise<void> {
  // Checkpoint metadata with the keys an Agent Server API run stores (checkpoint-metadata.ts), in its order.
  const saver = withExtraMetadata(checkpointer, RUN_METADATA);
  const config = { configurable: { thread_id: THREAD_ID, [CONFIG_KEY_CHECKPOINTER]: saver } };
  await graph.updateState(config, { messages: [message("HumanMessage", { content: "weather in every town", id: "warm-human" })] }, "__start__");
  for (let i = 0; i < LOOPS; i++) {
    await graph.updateState(config, { messages: [aiTurn(i)] }, "agent");
    await graph.updateState(config, { messages: [toolTurn(i)] }, "tools");
  }
  const answer = message("AIMessageChunk", { content: "Sunny everywhere.", ...noKwargs(), tool_call_chunks: [], id: "warm-answer", usage_metadata: undefined });
  await graph.updateState(config, { messages: [answer] }, "agent");
}

const message = (className: string, fields: Record<string, unknown>) => messageFromFields(fields, className);
const noKwargs = () => ({ additional_kwargs: {}, response_metadata: {} });

/** An agent turn with one tool call: chunks (what a streamed model leaves) and whole messages both. */
function aiTurn(i: number): unknown {
  const call = { id: `warm-call-${i}`, name: "weather", args: { city: `Town${i}` }, type: "tool_call" as const };
  const content = `Looking up Town${i}.`;
  return i % 2 === 0
    ? message("AIMessageChunk", {
        content,
        ...noKwargs(),
        tool_call_chunks: [{ id: call.id, name: call.name, args: JSON.stringify(call.args), index: 0, type: "tool_call_chunk" }],
        id: `warm-ai-${i}`,
        usage_metadata: undefined,
      })
    : message("AIMessage", { content, ...noKwargs(), tool_calls: [call], invalid_tool_calls: [], id: `warm-ai-${i}`, usage_metadata: undefined });
}

function toolTurn(i: number): unknown {
  return message("ToolMessage", {
    status: "success",
    content: `Sunny in Town${i}, ${10 + i} °C`,
    artifact: undefined,
    tool_call_id: `warm-call-${i}`,
    name: "weather",
    metadata: { warm: true },
    ...noKwargs(),
    id: `warm-tool-${i}`,
  });
}

/**
 * The warm-up's updates store each state's messages whole, so its pages never write a message twice, which a real
 * page (whose states share their message objects) does from its second state on: writing the same messages twice
 * with one memo gives the JSON writer that path's feedback before it is compiled (without it, the first real page
 * deoptimised it, seen with --trace-deopt).
 */
function writeSharedMessages(): void {
  const memo: LiveJsonMemo = new WeakMap();
  const messages = Array.from({ length: LOOPS }, (_, i) => [aiTurn(i), toolTurn(i)]).flat();
  for (let round = 0; round < ROUNDS * PAGE; round++) liveApiJson({ messages }, memo);
}
