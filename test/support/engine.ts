// Shared by the engine's tests: a real Inspector over a real SQLite file and
// real compiled graphs, reached only through the contract (arguments and
// results cross a JSON boundary, as they do over IPC or HTTP).

import { mkdtempSync, rmSync } from "node:fs";
import { expect } from "vitest";
import { tmpdir } from "node:os";
import path from "node:path";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { Annotation, END, interrupt, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createClient, dispatch, type CallName, type EngineClient } from "../../src/shared/contract";
import { ThreadlineError } from "../../src/shared/errors";
import type { EngineEvent } from "../../src/shared/events";
import type { GraphDrawing, GraphInfo, ReducerKinds } from "../../src/shared/graph";
import { apiThreadState } from "../../src/shared/agent-api/state";
import { Inspector } from "../../src/core/inspector";
import type { LocalSource } from "../../src/core/sources/local";
import { SqliteCheckpointer } from "../../src/core/storage/index";
import type { CompiledGraphLike, GraphSource } from "../../src/core/threads/context";

export const ChatState = Annotation.Root({
  ...MessagesAnnotation.spec,
  count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
  log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  note: Annotation<string>(),
});

/** agent answers (a message with a stable id), counts, logs; then END. */
export function buildChat() {
  return new StateGraph(ChatState)
    .addNode("agent", (state) => {
      const turn = state.messages.length;
      return {
        messages: [new AIMessage({ id: `ai-${turn}`, content: `answer ${turn}` })],
        count: 1,
        log: [`agent ${turn}`],
        note: `turn ${turn}`,
      };
    })
    .addEdge(START, "agent")
    .addEdge("agent", END);
}

/** ask interrupts with a question; act records the answer. */
export function buildReview() {
  return new StateGraph(ChatState)
    .addNode("ask", () => {
      const answer = interrupt({ question: "approve?" }) as string;
      return { note: `answer: ${answer}` };
    })
    .addNode("act", (state) => ({ log: [`acted on ${state.note}`] }))
    .addEdge(START, "ask")
    .addEdge("ask", "act")
    .addEdge("act", END);
}

/** outer → inner (a subgraph with two steps) → done. */
export function buildNested() {
  const inner = new StateGraph(ChatState)
    .addNode("first", () => ({ log: ["inner first"] }))
    .addNode("second", () => ({ log: ["inner second"] }))
    .addEdge(START, "first")
    .addEdge("first", "second")
    .addEdge("second", END)
    .compile();
  return new StateGraph(ChatState)
    .addNode("inner", inner)
    .addNode("done", () => ({ note: "done" }))
    .addEdge(START, "inner")
    .addEdge("inner", "done")
    .addEdge("done", END);
}

/** A node that throws: the thread ends in error. */
export function buildFailing() {
  return new StateGraph(ChatState)
    .addNode("boom", () => {
      throw new RangeError("the user's bug");
    })
    .addEdge(START, "boom")
    .addEdge("boom", END);
}

const BUILDERS = { chat: buildChat, review: buildReview, nested: buildNested, failing: buildFailing };
export type TestGraphId = keyof typeof BUILDERS;

/** The graphs above, compiled with the engine's checkpointer. */
export class TestGraphs implements GraphSource {
  readonly compiled: Record<TestGraphId, CompiledGraphLike & { invoke(input: unknown, config: object): Promise<unknown> }>;

  constructor(checkpointer: SqliteCheckpointer) {
    this.compiled = Object.fromEntries(
      Object.entries(BUILDERS).map(([id, build]) => [id, build().compile({ checkpointer })]),
    ) as unknown as TestGraphs["compiled"];
  }

  private known(id: string): TestGraphId {
    if (!(id in this.compiled)) throw new ThreadlineError("NOT_FOUND", `No graph "${id}"`);
    return id as TestGraphId;
  }

  list(): GraphInfo[] {
    return Object.keys(this.compiled).map((id) => ({ id, title: id, description: id, source: "example" }));
  }

  failures() {
    return [];
  }

  get(id: string) {
    const known = this.known(id);
    return { info: { id, title: id, description: id, source: "example" as const }, graph: this.compiled[known] };
  }

  drawing(id: string): GraphDrawing {
    this.known(id);
    const names = id === "review" ? ["ask", "act"] : id === "nested" ? ["inner", "done"] : id === "failing" ? ["boom"] : ["agent"];
    return { nodes: ["__start__", ...names, "__end__"].map((n) => ({ id: n, label: n })), edges: [] };
  }

  schemas() {
    return {};
  }

  reducerKinds(id: string): ReducerKinds {
    this.known(id);
    return { messages: "reducer", count: "reducer", log: "reducer", note: "replace" };
  }
}

/** Arguments and results cross JSON, errors cross as {code, message}: what a transport does. */
function jsonInvoke(inspector: Inspector) {
  return async (name: CallName, args: unknown) => {
    try {
      const result = await dispatch(inspector, name, JSON.parse(JSON.stringify(args ?? {})));
      return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    } catch (error) {
      const wire = JSON.parse(JSON.stringify(ThreadlineError.from(error).toWire()));
      throw ThreadlineError.fromWire(wire);
    }
  };
}

export interface TestEngine {
  dir: string;
  file: string;
  checkpointer: SqliteCheckpointer;
  graphs: TestGraphs;
  inspector: Inspector<LocalSource>;
  client: EngineClient;
  events: EngineEvent[];
  /** Runs a test graph directly on a thread (the run manager's job, done plainly). */
  invoke(graphId: TestGraphId, threadId: string, input: unknown, extra?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export function openTestEngine(options: { file?: string; watch?: boolean } = {}): TestEngine {
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-engine-"));
  const file = options.file ?? path.join(dir, "threadline.db");
  const checkpointer = new SqliteCheckpointer(file);
  const graphs = new TestGraphs(checkpointer);
  const inspector = Inspector.local({ checkpointer, graphs, watch: options.watch ?? false });
  const events: EngineEvent[] = [];
  inspector.subscribe((e) => events.push(e));
  return {
    dir,
    file,
    checkpointer,
    graphs,
    inspector,
    client: createClient(jsonInvoke(inspector)),
    events,
    invoke: (graphId, threadId, input, extra = {}) =>
      graphs.compiled[graphId].invoke(input, { configurable: { thread_id: threadId, ...extra } }),
    async close() {
      await inspector.close();
      checkpointer.close();
      if (!options.file) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * history.apiStates (values written straight from the live state where it can) against the long
 * way the LangGraph API took before it: history.states, each state's API shape stringified.
 * Returns how many states were compared.
 */
export async function compareApiHistory(client: EngineClient, threadId: string, checkpointNs = ""): Promise<number> {
  const args = { threadId, checkpointNs, limit: 1000 };
  const expected = (await client.history.states(args)).map((s) => JSON.stringify(apiThreadState(s, threadId)));
  const actual = (await client.history.apiStates(args)).states.map((s) => s.json);
  expect(actual).toEqual(expected);
  return actual.length;
}

export const human = (text: string, id?: string) => new HumanMessage({ content: text, ...(id ? { id } : {}) });

/** The error a contract call rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<ThreadlineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ThreadlineError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}
