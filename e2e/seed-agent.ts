// Writes an agent's thread straight into a database through SqliteCheckpointer, the way a ReAct agent's
// run stores it: a message list growing by one message a step (questions, AI messages with tool calls,
// tool results), each step's writes left on the checkpoint it started from, a subgraph run now and then
// (its own namespace, `parents[""]` naming the root checkpoint), and a few branches replayed later from
// old checkpoints (LangGraph's fork copy, then new steps).
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { uuid6, type Checkpoint, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { SqliteCheckpointer } from "../src/core/storage/index";

type Config = Parameters<SqliteCheckpointer["put"]>[0];

interface Written {
  config: Config;
  checkpoint: Checkpoint;
  messages: BaseMessage[];
  step: number;
}

const CITIES = ["Paris", "Oslo", "Lima", "Cairo", "Delhi", "Tokyo", "Quito", "Accra"];

export interface AgentThreadShape {
  /** Root checkpoints of the main line (the whole thread has a few more: branches and subgraph runs). */
  checkpoints: number;
  /** Branches replayed from old checkpoints, each this many steps long. */
  branches: number;
  branchLength: number;
  /** A subgraph run of 4 checkpoints every this many steps. */
  subgraphEvery: number;
}

export const AGENT_THREAD: AgentThreadShape = { checkpoints: 10_000, branches: 4, branchLength: 6, subgraphEvery: 1_000 };

/** The message a step of the loop appends: human question, AI tool call, tool result, AI answer. */
function nextMessage(turn: number): { node: string; message: BaseMessage; route: string } {
  const city = CITIES[Math.floor(turn / 4) % CITIES.length]!;
  const id = `m-${turn}`;
  switch (turn % 4) {
    case 0:
      return { node: "__start__", message: new HumanMessage({ id, content: `What is the weather in ${city}? Answer in one sentence.` }), route: "agent" };
    case 1:
      return {
        node: "agent",
        message: new AIMessage({ id, content: "", tool_calls: [{ id: `call-${turn}`, name: "weather", args: { city }, type: "tool_call" }] }),
        route: "tools",
      };
    case 2:
      return { node: "tools", message: new ToolMessage({ id, content: `${city}: 18°C and cloudy`, tool_call_id: `call-${turn - 1}` }), route: "agent" };
    default:
      return { node: "agent", message: new AIMessage({ id, content: `In ${city} it is 18°C and cloudy today.` }), route: "__end__" };
  }
}

class Writer {
  private clock = Date.UTC(2026, 0, 1);
  private version = 0;

  constructor(
    readonly saver: SqliteCheckpointer,
    readonly threadId: string,
  ) {}

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** A checkpoint after `node` appended `message` to the state of `from` (null: the input checkpoint). */
  async step(from: Written | null, node: string, message: BaseMessage | null, route: string, source = "loop", ns = "", parents: Record<string, string> = {}): Promise<Written> {
    const messages = message ? [...(from?.messages ?? []), message] : (from?.messages ?? []);
    const base = from?.checkpoint;
    const version = ++this.version;
    // The writes of the step stay on the checkpoint it started from, as LangGraph's loop leaves them.
    if (from && message) {
      await this.saver.putWrites(from.config, [["messages", [message]], [`branch:to:${route}`, null]], `task-${version}`, `~__pregel_pull, ${node}`);
    }
    const seen = base?.channel_versions ?? {};
    const checkpoint: Checkpoint = {
      v: 4,
      id: uuid6(-1),
      ts: this.tick(),
      channel_values: { messages },
      channel_versions: { ...seen, messages: version },
      versions_seen: { ...(base?.versions_seen ?? {}), ...(from && message ? { [node]: { ...seen } } : {}) },
    };
    const metadata = { source: from ? source : "input", step: from ? from.step + 1 : -1, parents } as CheckpointMetadata;
    const config = { configurable: { thread_id: this.threadId, checkpoint_ns: ns, ...(from ? { checkpoint_id: from.config.configurable?.checkpoint_id } : {}) } } as Config;
    const saved = await this.saver.put(config, checkpoint, metadata, { messages: version });
    return { config: saved, checkpoint, messages, step: metadata.step };
  }

  /** A subgraph run of 4 checkpoints, started from the root checkpoint `start`. */
  async subgraph(start: Written): Promise<void> {
    const ns = `research:${uuid6(-1)}`;
    const parents = { "": String(start.config.configurable?.checkpoint_id) };
    let sub = await this.step(null, "__start__", null, "gather", "input", ns, parents);
    sub = await this.step(sub, "__start__", new HumanMessage({ id: `${ns}-q`, content: "Find sources" }), "gather", "loop", ns, parents);
    sub = await this.step(sub, "gather", new AIMessage({ id: `${ns}-a`, content: "Three sources found." }), "summarize", "loop", ns, parents);
    await this.step(sub, "summarize", new AIMessage({ id: `${ns}-s`, content: "Summary of the sources." }), "__end__", "loop", ns, parents);
  }
}

/** Writes the thread; returns the root checkpoints of its main line, oldest first. */
export async function writeAgentThread(file: string, threadId: string, shape: AgentThreadShape = AGENT_THREAD): Promise<string[]> {
  const saver = new SqliteCheckpointer(file);
  const writer = new Writer(saver, threadId);
  const line: Written[] = [];
  try {
    let head = await writer.step(null, "__input__", null, "__start__", "input");
    line.push(head);
    for (let turn = 0; line.length < shape.checkpoints; turn++) {
      const { node, message, route } = nextMessage(turn);
      if (turn > 0 && turn % shape.subgraphEvery === 0) await writer.subgraph(head);
      head = await writer.step(head, node, message, route);
      line.push(head);
    }
    // Branches replayed later from old checkpoints: LangGraph's copy of the start ("fork"), then new steps.
    for (let b = 1; b <= shape.branches; b++) {
      const from = line[Math.floor((line.length * b) / (shape.branches + 1))]!;
      let branch = await writer.step(from, "__copy__", null, "agent", "fork");
      for (let i = 0; i < shape.branchLength; i++) {
        const { node, message, route } = nextMessage(4 * (b + 100) + i);
        branch = await writer.step(branch, node, message, route);
      }
    }
    return line.map((w) => String(w.config.configurable?.checkpoint_id));
  } finally {
    saver.close();
  }
}
