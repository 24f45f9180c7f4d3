// What Threadline knows of each LangGraph.js release: the supported range, what a release can do,
// and how a graph is matched to the release it was built with.
import { Command, StateGraph, Annotation, START, END } from "@langchain/langgraph";
import { asModernChunk, commandFor, streamModesFor } from "../runs/line-stream";
import { THREADLINE_LINE, describeLine, lineOf, registerLine, unsupportedVersion } from "./langgraph-line";

describe("the supported range", () => {
  it.each(["0.2.0", "0.2.74", "0.3.12", "0.4.10", "1.0.0", "1.7.3", "1.0.0-alpha.1"])("runs %s", (version) => {
    expect(unsupportedVersion(version, "here")).toBeUndefined();
  });

  it.each(["0.1.9", "0.0.34", "2.0.0", "3.1.0", "latest"])("refuses %s, naming it and the range", (version) => {
    const message = unsupportedVersion(version, "/p/node_modules/@langchain/langgraph/package.json");
    expect(message).toContain(version);
    expect(message).toContain("0.2.0 up to 1.x (>=0.2.0 <2.0.0)");
    expect(message).toContain("/p/node_modules/@langchain/langgraph/package.json");
  });
});

describe("a release's capabilities", () => {
  it("reads stream modes from the version and Command/Overwrite from the module", () => {
    expect(describeLine("0.2.74", { Command })).toEqual({ version: "0.2.74", taskStreams: false, overwrite: false, Command });
    expect(describeLine("0.3.0", {})).toEqual({ version: "0.3.0", taskStreams: true, overwrite: false });
    expect(describeLine("1.2.9", { Command, Overwrite: class {} })).toMatchObject({ taskStreams: true, overwrite: true });
    expect(THREADLINE_LINE).toMatchObject({ taskStreams: true, overwrite: true, Command });
  });

  it("asks 0.2 for debug events and reads them as the tasks and checkpoints modes", () => {
    const old = describeLine("0.2.74", {});
    const wanted = ["updates", "values", "messages", "tasks", "checkpoints", "custom"];
    expect(streamModesFor(old, wanted)).toEqual(["updates", "values", "messages", "custom", "debug"]);
    expect(streamModesFor(describeLine("0.3.1", {}), wanted)).toEqual(wanted);
    const task = { id: "t", name: "n", input: {} };
    expect(asModernChunk(old, [["ns"], "debug", { type: "task", step: 1, payload: task }])).toEqual([["ns"], "tasks", task]);
    expect(asModernChunk(old, [[], "debug", { type: "task_result", payload: { id: "t" } }])).toEqual([[], "tasks", { id: "t" }]);
    expect(asModernChunk(old, [[], "debug", { type: "checkpoint", payload: { next: [] } }])).toEqual([[], "checkpoints", { next: [] }]);
    expect(asModernChunk(old, [[], "debug", { type: "other" }])).toBeUndefined();
    expect(asModernChunk(old, [[], "values", { a: 1 }])).toEqual([[], "values", { a: 1 }]);
  });

  it("puts a model's tokens in the namespace of the graph running the task, as later releases do", () => {
    const line = describeLine("1.2.9", {});
    const tokens = (ns: string[], taskNs: string) => asModernChunk(line, [ns, "messages", [{}, { langgraph_checkpoint_ns: taskNs }]])?.[0];
    expect(tokens(["model:t1"], "model:t1")).toEqual([]);
    expect(tokens(["sub:t1", "model:t2"], "sub:t1|model:t2")).toEqual(["sub:t1"]);
    // Already the graph's namespace (as later releases send it): left alone.
    expect(tokens([], "model:t1")).toEqual([]);
    expect(tokens(["sub:t1"], "sub:t1|model:t2")).toEqual(["sub:t1"]);
  });
});

describe("a graph's release", () => {
  const build = () =>
    new StateGraph(Annotation.Root({ a: Annotation<number> }))
      .addNode("n", () => ({ a: 1 }))
      .addEdge(START, "n")
      .addEdge("n", END)
      .compile();

  it("is Threadline's own unless its classes were registered as a project's", () => {
    expect(lineOf(build())).toBe(THREADLINE_LINE);
    expect(lineOf(undefined)).toBe(THREADLINE_LINE);
  });

  it("is found from the classes, for every graph they build; a release without Command refuses commands in words", () => {
    class CompiledStateGraph {}
    class Compiled extends CompiledStateGraph {}
    const line = describeLine("0.2.20", {});
    registerLine({ CompiledStateGraph }, line);
    expect(lineOf(new Compiled())).toBe(line);
    expect(() => commandFor(new Compiled(), { resume: 1 })).toThrow(
      /needs LangGraph's Command: this project's @langchain\/langgraph 0\.2\.20 cannot do that/,
    );
    expect(commandFor(build(), { resume: 1 })).toBeInstanceOf(Command);
  });
});
