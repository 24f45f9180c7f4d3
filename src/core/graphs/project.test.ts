import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MemorySaver } from "@langchain/langgraph";
import { afterAll, describe, expect, it } from "vitest";
import { ThreadlineError } from "../../shared/errors";
import { parseGraphPath } from "./langgraph-json";
import { findLangGraphPackage, loadProject } from "./project";
import { GraphRegistry } from "./registry";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const basicFixture = path.join(repoRoot, "test/fixtures/projects/basic");

// Temporary projects live inside the repository's node_modules so that their
// `import "@langchain/langgraph"` resolves to the installed copy, as it would
// from a real project's own node_modules.
const tempRoot = path.join(repoRoot, "node_modules/.cache/threadline-graph-tests");
mkdirSync(tempRoot, { recursive: true });
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tempRoot, "project-"));
  created.push(dir);
  // Inside node_modules no package.json says "module"; real projects usually do.
  const withPackage = { "package.json": JSON.stringify({ type: "module" }), ...files };
  for (const [name, content] of Object.entries(withPackage)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const COMPILED_GRAPH = `
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ text: Annotation<string> });
export const graph = new StateGraph(State)
  .addNode("shout", (s) => ({ text: (s.text ?? "").toUpperCase() + (process.env.TL_FIXTURE_SUFFIX ?? "") }))
  .addEdge(START, "shout").addEdge("shout", END)
  .compile();
export const notAGraph = { nodes: 3 };
export function badFactory() { return 42; }
export function throwingFactory() { throw new Error("factory exploded"); }
`;

const thread = (id: string) => ({ configurable: { thread_id: id } });

async function errorOf(run: () => unknown): Promise<ThreadlineError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ThreadlineError) return error;
    throw error;
  }
  throw new Error("expected a ThreadlineError");
}

describe("parseGraphPath", () => {
  it("splits the export name off and leaves a Windows drive letter alone", () => {
    expect(parseGraphPath("./src/agent.ts:graph")).toEqual({ file: "./src/agent.ts", exportName: "graph" });
    expect(parseGraphPath("./src/agent.ts")).toEqual({ file: "./src/agent.ts" });
    expect(parseGraphPath("C:\\work\\agent.ts")).toEqual({ file: "C:\\work\\agent.ts" });
  });
});

describe("loadProject", () => {
  it("loads the checked-in fixture: a compiled graph and a factory with a description", async () => {
    const project = await loadProject(basicFixture);
    expect(project.failures).toEqual([]);
    expect(project.langgraph?.version).toMatch(/^1\./);
    expect(project.graphs.map((g) => g.info)).toEqual([
      {
        id: "greeter",
        title: "greeter",
        description: "./src/greeter.ts:graph",
        source: "project",
        file: path.join(basicFixture, "src/greeter.ts"),
        exportName: "graph",
        langgraphVersion: project.langgraph?.version,
      },
      {
        id: "counter",
        title: "counter",
        description: "Counts up to a limit, one node per step.",
        source: "project",
        file: path.join(basicFixture, "src/counter.ts"),
        exportName: "makeCounter",
        langgraphVersion: project.langgraph?.version,
      },
    ]);
  });

  it("reports each bad graph with what is wrong and where, and still loads the good ones", async () => {
    const dir = makeProject({
      "langgraph.json": JSON.stringify({
        env: "./.env",
        graphs: {
          good: "./src/good.ts:graph",
          builder: "./src/builder.ts:builder",
          default: "./src/default.ts",
          javascript: "./src/plain.js:graph",
          missingFile: "./src/nope.ts:graph",
          syntax: "./src/syntax.ts:graph",
          throws: "./src/throws.ts:graph",
          notAGraph: "./src/good.ts:notAGraph",
          missingExport: "./src/good.ts:grpah",
          noDefault: "./src/good.ts",
          badFactory: "./src/good.ts:badFactory",
          throwingFactory: "./src/good.ts:throwingFactory",
          badEntry: 42,
          missingImport: "./src/imports-missing.ts:graph",
        },
      }),
      ".env": "# comment\nTL_FIXTURE_SUFFIX=!\n",
      "src/good.ts": COMPILED_GRAPH,
      "src/builder.ts": `
        import { Annotation, START, StateGraph } from "@langchain/langgraph";
        export const builder = new StateGraph(Annotation.Root({ n: Annotation<number> }))
          .addNode("inc", (s) => ({ n: (s.n ?? 0) + 1 })).addEdge(START, "inc");`,
      "src/default.ts": `
        import { Annotation, START, StateGraph } from "@langchain/langgraph";
        export default async () => new StateGraph(Annotation.Root({ n: Annotation<number> }))
          .addNode("noop", () => ({})).addEdge(START, "noop").compile();`,
      "src/plain.js": `
        import { Annotation, START, StateGraph } from "@langchain/langgraph";
        export const graph = new StateGraph(Annotation.Root({ n: Annotation() }))
          .addNode("noop", () => ({})).addEdge(START, "noop").compile();`,
      "src/syntax.ts": "export const graph = {\n  oops: (,\n};\n",
      "src/throws.ts": 'throw new Error("top-level failure in user code");\nexport const graph = 1;\n',
      "src/imports-missing.ts": 'import { x } from "no-such-package-threadline";\nexport const graph = x;\n',
    });

    const project = await loadProject(dir);
    expect(project.graphs.map((g) => g.info.id).sort()).toEqual(["builder", "default", "good", "javascript"]);
    expect(project.graphs.find((g) => g.info.id === "default")?.info.exportName).toBeUndefined();

    const failures = Object.fromEntries(project.failures.map((f) => [f.id, f]));
    expect(Object.keys(failures).sort()).toEqual(
      [
        "missingFile",
        "syntax",
        "throws",
        "notAGraph",
        "missingExport",
        "noDefault",
        "badFactory",
        "throwingFactory",
        "badEntry",
        "missingImport",
      ].sort(),
    );
    expect(failures.missingFile?.message).toMatch(/points to \.\/src\/nope\.ts, which does not exist/);
    expect(failures.missingFile?.file).toBe(path.join(dir, "src/nope.ts"));
    expect(failures.syntax?.message).toBe('Could not import ./src/syntax.ts: ./src/syntax.ts:2:9: Unexpected ","');
    expect(failures.throws?.message).toBe("Could not import ./src/throws.ts: top-level failure in user code");
    expect(failures.throws?.stack).toContain("throws.ts");
    expect(failures.notAGraph?.message).toBe(
      'Export "notAGraph" of ./src/good.ts is a plain object, not a LangGraph graph ' +
        "(expected a compiled graph, a StateGraph, or a function returning one)",
    );
    expect(failures.missingExport?.message).toMatch(/^\.\/src\/good\.ts has no export named "grpah" \(it exports .*graph/);
    expect(failures.noDefault?.message).toMatch(/has no default export; name one in langgraph.json/);
    expect(failures.badFactory?.message).toMatch(/is a function that returned a number, not a graph/);
    expect(failures.throwingFactory?.message).toMatch(/is a function that threw: factory exploded/);
    expect(failures.throwingFactory?.stack).toContain("factory exploded");
    expect(failures.badEntry?.message).toBe(
      '"graphs.badEntry" in langgraph.json must be a string like "./src/agent.ts:graph", got 42',
    );
    expect(failures.badEntry?.file).toBe(path.join(dir, "langgraph.json"));
    expect(failures.missingImport?.message).toMatch(/no-such-package-threadline/);

    // The env file was applied before the modules ran.
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver(), projectDir: dir });
    const { graph } = registry.get("good");
    expect(await graph.invoke({ text: "hi" }, thread("env"))).toEqual({ text: "HI!" });
  });

  it("reports a malformed langgraph.json with the place of the error", async () => {
    const dir = makeProject({ "langgraph.json": '{\n  "graphs": {\n    "a": "./a.ts:graph",\n  }\n}\n' });
    const project = await loadProject(dir);
    expect(project.graphs).toEqual([]);
    expect(project.failures).toHaveLength(1);
    expect(project.failures[0]).toMatchObject({ id: "langgraph.json", file: path.join(dir, "langgraph.json") });
    expect(project.failures[0]?.message).toMatch(/^langgraph.json is not valid JSON \(line 4, column 3\)/);
  });

  it("reports a langgraph.json without graphs, and a folder without langgraph.json", async () => {
    const noGraphs = await loadProject(makeProject({ "langgraph.json": '{"dependencies": ["."]}' }));
    expect(noGraphs.failures[0]?.message).toMatch(/needs a "graphs" object/);
    const empty = await loadProject(makeProject({}));
    expect(empty.failures[0]?.message).toMatch(/^No langgraph.json in /);
  });

  it("calls a graph factory again for each run with the run's config, and says when it fails there", async () => {
    const dir = makeProject({
      "langgraph.json": JSON.stringify({ graphs: { picky: "./src/picky.ts:make" } }),
      "src/picky.ts": `
import { Annotation, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ out: Annotation<string> });
export function make(config: { configurable?: { model?: string } }) {
  if (config.configurable?.model === "broken") throw new Error("no such model");
  const model = config.configurable?.model ?? "default";
  return new StateGraph(State).addNode("pick", () => ({ out: model })).addEdge("__start__", "pick");
}`,
    });
    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver(), projectDir: dir });
    expect(registry.drawing("picky").nodes.map((n) => n.id)).toContain("pick");
    const graph = await registry.forRun("picky", { configurable: { model: "big", thread_id: "t" } });
    expect(await graph.invoke({}, { configurable: { thread_id: "t" } })).toEqual({ out: "big" });
    const failed = await registry.forRun("picky", { configurable: { model: "broken" } }).catch((e: unknown) => e as ThreadlineError);
    expect(failed).toMatchObject({ code: "GRAPH_LOAD_FAILED", message: expect.stringMatching(/factory .* threw: no such model/) });
  });

  it("reports a missing env file but still loads the graphs", async () => {
    const dir = makeProject({
      "langgraph.json": JSON.stringify({ env: ".env.missing", graphs: { good: "./src/good.ts:graph" } }),
      "src/good.ts": COMPILED_GRAPH,
    });
    const project = await loadProject(dir);
    expect(project.graphs.map((g) => g.info.id)).toEqual(["good"]);
    // A missing env file, not a graph that did not load.
    expect(project.failures).toEqual([]);
    expect(project.missingEnv?.file).toBe(path.join(dir, ".env.missing"));
    expect(project.missingEnv?.message).toMatch(/"env" in langgraph\.json names \.env\.missing, which does not exist/);
  });

  it.each([
    ["0.1.9", /Upgrade it/],
    ["2.0.0", /does not know that release yet/],
    ["next", /an unreadable version \("next"\)/],
  ])("refuses a project whose own @langchain/langgraph is %s, naming it and the supported range", async (version, advice) => {
    const dir = makeProject({
      "langgraph.json": JSON.stringify({ graphs: { agent: "./src/good.ts:graph" } }),
      "src/good.ts": COMPILED_GRAPH,
      "node_modules/@langchain/langgraph/package.json": JSON.stringify({ name: "@langchain/langgraph", version }),
    });
    expect(findLangGraphPackage(dir)?.version).toBe(version);
    const project = await loadProject(dir);
    expect(project.graphs).toEqual([]);
    expect(project.failures).toEqual([
      {
        id: "agent",
        file: path.join(dir, "src/good.ts"),
        message: expect.stringContaining(`@langchain/langgraph ${version === "next" ? "" : version}`) as unknown as string,
      },
    ]);
    expect(project.failures[0]?.message).toContain("0.2.0 up to 1.x (>=0.2.0 <2.0.0)");
    expect(project.failures[0]?.message).toMatch(advice);

    const registry = await GraphRegistry.create({ checkpointer: new MemorySaver(), projectDir: dir });
    const error = await errorOf(() => registry.get("agent"));
    expect(error.code).toBe("GRAPH_LOAD_FAILED");
    expect(error.message).toContain(version);
    // A project's graphs are the graphs: the examples are not listed in their place.
    expect(registry.list()).toEqual([]);
  });
});
