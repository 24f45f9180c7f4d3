// A real LangGraph.js graph on SqliteCheckpointer: a reducer channel, an interrupt() and the time
// travel Threadline offers (history, state edits on an old checkpoint, replay, resume).
import type { RunnableConfig } from "@langchain/core/runnables";
import { Annotation, Command, DeltaChannel, END, MemorySaver, START, StateGraph, interrupt, type StateSnapshot } from "@langchain/langgraph";
import { checkpointSummaries, checkpointTree, getThreadIndex, SqliteCheckpointer } from "./index";
import { collect, tempDir } from "./test-helpers";

const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  answer: Annotation<string>(),
});

function buildGraph(checkpointer: SqliteCheckpointer) {
  return new StateGraph(State)
    .addNode("plan", () => ({ log: ["plan"] }))
    .addNode("ask", () => {
      const answer = interrupt<string, string>("Proceed?");
      return { answer, log: [`ask:${answer}`] };
    })
    .addNode("act", (state) => ({ log: [`act:${state.answer}`] }))
    .addEdge(START, "plan")
    .addEdge("plan", "ask")
    .addEdge("ask", "act")
    .addEdge("act", END)
    .compile({ checkpointer });
}

const idOf = (config: RunnableConfig) => config.configurable?.checkpoint_id as string;

describe("a StateGraph on SqliteCheckpointer", () => {
  let tmp: ReturnType<typeof tempDir>;
  let saver: SqliteCheckpointer;
  beforeEach(() => {
    tmp = tempDir();
    saver = new SqliteCheckpointer(tmp.file("graph.sqlite"));
  });
  afterEach(() => {
    saver.close();
    tmp.remove();
  });

  it("interrupts, resumes, branches from an old checkpoint and replays", async () => {
    const graph = buildGraph(saver);
    const thread = { configurable: { thread_id: "hitl" } };

    await graph.invoke({ log: ["start"] }, thread);
    const waiting = await graph.getState(thread);
    expect(waiting.next).toEqual(["ask"]);
    expect(waiting.values.log).toEqual(["start", "plan"]);
    expect(waiting.tasks[0]?.interrupts[0]?.value).toBe("Proceed?");

    const done = await graph.invoke(new Command({ resume: "yes" }), thread);
    expect(done.log).toEqual(["start", "plan", "ask:yes", "act:yes"]);
    expect(done.answer).toBe("yes");

    const history: StateSnapshot[] = await collect(graph.getStateHistory(thread));
    expect(history.map((s) => s.values.log ?? [])).toEqual([
      ["start", "plan", "ask:yes", "act:yes"],
      ["start", "plan", "ask:yes"],
      ["start", "plan"],
      ["start"],
      [],
    ]);
    expect(history.map((s) => s.next)).toEqual([[], ["act"], ["ask"], ["plan"], ["__start__"]]);
    for (let i = 0; i < history.length - 1; i++) expect(idOf(history[i]!.parentConfig!)).toBe(idOf(history[i + 1]!.config));
    const summaries = checkpointSummaries(saver.db, "hitl");
    expect(summaries.map((s) => s.checkpointId)).toEqual(history.map((s) => idOf(s.config)));
    expect(summaries.map((s) => s.nodes)).toEqual([["act"], ["ask"], ["plan"], ["__start__"], ["__input__"]]);

    // Edit the state at the interrupt: a new branch from that checkpoint, the old one untouched.
    const atInterrupt = history[2]!;
    const edited = await graph.updateState(atInterrupt.config, { log: ["edited"] });
    expect(idOf((await graph.getState(edited)).parentConfig!)).toBe(idOf(atInterrupt.config));
    const branchDone = await graph.invoke(new Command({ resume: "no" }), edited);
    expect(branchDone.log).toEqual(["start", "plan", "edited", "ask:no", "act:no"]);
    expect((await graph.getState(history[0]!.config)).values.log).toEqual(["start", "plan", "ask:yes", "act:yes"]);
    expect((await graph.getState(thread)).values.log).toEqual(branchDone.log);

    // Replay from the checkpoint before "act": act runs again on a new branch.
    const beforeAct = history[1]!;
    const replayed = await graph.invoke(null, beforeAct.config);
    expect(replayed.log).toEqual(["start", "plan", "ask:yes", "act:yes"]);
    // LangGraph first copies the replayed checkpoint into a "fork" checkpoint, then runs from it.
    const head = await graph.getState(thread);
    const fork = await graph.getState(head.parentConfig!);
    expect(fork.metadata?.source).toBe("fork");
    expect(idOf(fork.parentConfig!)).toBe(idOf(beforeAct.config));
    expect(fork.values).toEqual(beforeAct.values);

    const tree = checkpointTree(saver.db, "hitl");
    const children = (id: string) => tree.filter((s) => s.parentCheckpointId === id).length;
    expect(children(idOf(atInterrupt.config))).toBe(2);
    expect(children(idOf(beforeAct.config))).toBe(2);
    expect(getThreadIndex(saver.db, "hitl")).toMatchObject({ headCheckpointId: idOf(head.config), checkpointCount: tree.length });

    // Everything survives the file being closed and reopened.
    const values = await Promise.all(tree.map(async (s) => (await saver.getTuple({ configurable: { thread_id: "hitl", checkpoint_id: s.checkpointId } }))!.checkpoint));
    saver.close();
    saver = new SqliteCheckpointer(tmp.file("graph.sqlite"));
    const reopened = buildGraph(saver);
    expect((await reopened.getState(thread)).values.log).toEqual(replayed.log);
    for (const [i, s] of tree.entries()) {
      expect((await saver.getTuple({ configurable: { thread_id: "hitl", checkpoint_id: s.checkpointId } }))!.checkpoint).toEqual(values[i]);
    }
  });

  it("rebuilds a DeltaChannel from its writes exactly as MemorySaver does", async () => {
    const DeltaState = Annotation.Root({
      items: new DeltaChannel<string[], string>((state, writes) => state.concat(writes), { snapshotFrequency: 3, initialValueFactory: () => [] }),
      n: Annotation<number>({ reducer: (left, right) => left + right, default: () => 0 }),
    });
    const run = async (checkpointer: SqliteCheckpointer | MemorySaver) => {
      const graph = new StateGraph(DeltaState)
        .addNode("add", (state) => ({ items: `item-${state.n}`, n: 1 }))
        .addEdge(START, "add")
        .addConditionalEdges("add", (state) => (state.n < 12 ? "add" : END), ["add", END])
        .compile({ checkpointer });
      const thread = { configurable: { thread_id: "delta" } };
      await graph.invoke({ n: 0 }, thread);
      const history = await collect(graph.getStateHistory(thread));
      return history.map((snapshot) => snapshot.values);
    };
    const ours = await run(saver);
    expect(ours[0]?.items).toHaveLength(12);
    expect(ours).toEqual(await run(new MemorySaver()));
  });
});
