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
import { messageFromFields } from "../threads/revive";
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
    await writeThread(graph as CompiledGraphLike);
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
 * leaves them; the messages are of the classes values are revived into (the project's).
 */
async function writeThread(graph: CompiledGraphLike): Promise<void> {
  const config = { configurable: { thread_id: THREAD_ID } };
  const message = (className: string, fields: Record<string, unknown>) => messageFromFields(fields, className);
  await graph.updateState(config, { messages: [message("HumanMessage", { content: "weather in every town", id: "warm-human" })] }, "__start__");
  for (let i = 0; i < LOOPS; i++) {
    const call = { id: `warm-call-${i}`, name: "weather", args: { city: `Town${i}` }, type: "tool_call" as const };
    const ai = message("AIMessage", { content: `Looking up Town${i}.`, id: `warm-ai-${i}`, tool_calls: [call] });
    await graph.updateState(config, { messages: [ai] }, "agent");
    const tool = message("ToolMessage", { content: `Sunny in Town${i}, ${10 + i} °C`, tool_call_id: call.id, name: "weather", id: `warm-tool-${i}` });
    await graph.updateState(config, { messages: [tool] }, "tools");
  }
}
