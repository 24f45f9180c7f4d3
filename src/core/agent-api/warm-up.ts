// The first history page a fresh server builds ran in V8's interpreter: reading the checkpoints,
// reviving their values and writing LangGraph's JSON were each several times slower than the same
// code compiled, and a useStream app's first request paid for it (issue 15's first-request
// targets). `threadline serve` calls this once before it announces itself: it builds a few pages
// over a synthetic thread in a private in-memory database, through the same functions a real page
// uses, so that they are compiled when the first real request comes. Nothing of the user's
// database is read or written, and nothing is kept (no cache: a real page is still built from
// storage).
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import type { CallContext } from "../../shared/contract";
import type { ApiStateText } from "../../shared/agent-api/state";
import { GraphRegistry } from "../graphs/registry";
import { SqliteCheckpointer } from "../storage/checkpointer";
import { openDatabase } from "../storage/database";
import { Checkpoints } from "../threads/checkpoint-store";
import type { CompiledGraphLike, EngineContext } from "../threads/context";
import { StateService } from "../threads/state";
import { ThreadService } from "../threads/threads";
import { AgentApiHistory } from "./history";

const THREAD_ID = "threadline-warm-up";
/** Agent/tool loops in the synthetic thread: long enough that a page holds many messages per state. */
const LOOPS = 30;
/** Pages built: enough calls for V8 to compile the hot functions. */
const ROUNDS = 3;
const PAGE = 50;

/** Builds the pages; with `context.partial`, the last page goes out state by state as a real one does. */
export async function warmUpHistory(context?: CallContext): Promise<{ states: ApiStateText[] }> {
  const db = openDatabase(":memory:");
  try {
    const checkpointer = new SqliteCheckpointer(db);
    const registry = await GraphRegistry.create({ checkpointer, includeExamples: true });
    const ctx: EngineContext = {
      db,
      store: checkpointer,
      checkpoints: new Checkpoints(checkpointer),
      graphs: () => registry,
      runs: () => undefined,
      emit: () => undefined,
      now: () => new Date().toISOString(),
    };
    const threads = new ThreadService(ctx);
    const history = new AgentApiHistory(ctx, threads, new StateService(ctx, threads));
    await threads.create({ threadId: THREAD_ID, metadata: {}, graphId: "react-agent", ifExists: "raise" });
    await writeThread(registry.get("react-agent").graph as CompiledGraphLike);
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

/** A question, then agent and tool turns as state updates (each one checkpoint), as a ReAct run leaves them. */
async function writeThread(graph: CompiledGraphLike): Promise<void> {
  const config = { configurable: { thread_id: THREAD_ID } };
  await graph.updateState(config, { messages: [new HumanMessage({ content: "weather in every town", id: "warm-human" })] }, "__start__");
  for (let i = 0; i < LOOPS; i++) {
    const call = { id: `warm-call-${i}`, name: "weather", args: { city: `Town${i}` }, type: "tool_call" as const };
    const ai = new AIMessage({ content: `Looking up Town${i}.`, id: `warm-ai-${i}`, tool_calls: [call] });
    await graph.updateState(config, { messages: [ai] }, "agent");
    const tool = new ToolMessage({ content: `Sunny in Town${i}, ${10 + i} °C`, tool_call_id: call.id, name: "weather", id: `warm-tool-${i}` });
    await graph.updateState(config, { messages: [tool] }, "tools");
  }
}
