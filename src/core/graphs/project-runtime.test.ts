// A project with its own copy of LangChain: messages read back from the database must be instances of
// the project's classes, so that a node sees on the second run what it saw on the first.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dispatch, type EngineServer } from "../../shared/contract";
import type { RunInfo, StateSnapshot } from "../../shared/types";
import * as ourLangGraph from "@langchain/langgraph";
import { useMessageClasses } from "../threads/revive";
import { loadProjectRuntime } from "./project-runtime";
import { createEngine } from "../worker/default-engine";
import type { Engine } from "../worker/protocol";

const repo = path.resolve(import.meta.dirname, "../../..");
// Inside the repository's node_modules, so that the copied packages' own dependencies resolve.
const project = path.join(repo, "node_modules/.cache/threadline-runtime-tests", `project-${process.pid}`);

const GRAPH = `
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("reply", (state) => {
    // Not instanceof: LangChain 1.x makes that true across copies. The prototype says whose class it is.
    const mine = [HumanMessage.prototype, AIMessage.prototype];
    const own = state.messages.every((m) => mine.includes(Object.getPrototypeOf(m)));
    return { messages: [new AIMessage(own ? "all messages are my classes" : "some messages are not my classes")] };
  })
  .addEdge(START, "reply")
  .addEdge("reply", END);
`;

let engine: Engine | undefined;

beforeAll(() => {
  rmSync(project, { recursive: true, force: true });
  for (const pkg of ["core", "langgraph", "langgraph-checkpoint"]) {
    cpSync(path.join(repo, "node_modules/@langchain", pkg), path.join(project, "node_modules/@langchain", pkg), { recursive: true });
  }
  mkdirSync(path.join(project, "src"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "own-langchain", type: "module" }));
  writeFileSync(path.join(project, "langgraph.json"), JSON.stringify({ graphs: { checker: "./src/graph.ts:graph" } }));
  writeFileSync(path.join(project, "src/graph.ts"), GRAPH);
}, 60_000);

afterAll(async () => {
  await engine?.close();
  useMessageClasses(null);
  rmSync(project, { recursive: true, force: true });
});

it("revives stored messages with the project's own LangChain classes", async () => {
  engine = await createEngine(
    { dbFile: path.join(project, "threads.db"), projectDir: project, owner: `${process.pid}:test`, deadOwners: [], restartReason: null },
    () => undefined,
  );
  const call = <T>(name: string, args: unknown) => dispatch(engine!.server as EngineServer, name, args) as Promise<T>;
  await call("threads.create", { threadId: "t" });
  for (const content of ["first", "second"]) {
    const run = await call<RunInfo>("runs.start", { threadId: "t", graphId: "checker", input: { messages: [{ role: "user", content }] } });
    expect((await call<RunInfo>("runs.join", { runId: run.runId })).status).toBe("success");
  }
  const state = await call<StateSnapshot>("state.get", { threadId: "t" });
  const contents = (state.values as { messages: { content: string }[] }).messages.map((m) => m.content);
  // The second reply ran on messages read back from SQLite.
  expect(contents).toEqual(["first", "all messages are my classes", "second", "all messages are my classes"]);
}, 60_000);

it("hands out the project's own @langchain/langgraph module, which the history warm-up builds its graph with", async () => {
  const runtime = await loadProjectRuntime(project);
  expect(typeof runtime.langgraph?.StateGraph).toBe("function");
  expect(runtime.langgraph?.StateGraph).not.toBe(ourLangGraph.StateGraph);
}, 60_000);
