// A project module that calls process.exit(): at import it is named within seconds and its graph
// fails to load while the others serve; after it (or later code) ends the worker too often, saving a
// fixed file brings the engine back.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CallResult } from "../../shared/contract";
import { EngineHost } from "./engine-host";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// Inside the repository's node_modules, so that `@langchain/langgraph` resolves as in a real project.
const tempRoot = path.join(repoRoot, "node_modules/.cache/threadline-exit-tests");

const GOOD = `
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ text: Annotation<string> });
export const graph = new StateGraph(State).addNode("echo", (s) => ({ text: s.text })).addEdge(START, "echo").addEdge("echo", END).compile();
`;

let dir: string;
let host: EngineHost | undefined;

function project(bad: string): void {
  mkdirSync(tempRoot, { recursive: true });
  dir = mkdtempSync(path.join(tempRoot, "project-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify({ graphs: { good: "./src/good.ts:graph", bad: "./src/bad.ts:graph" } }));
  writeFileSync(path.join(dir, "src", "good.ts"), GOOD);
  writeFileSync(path.join(dir, "src", "bad.ts"), bad);
}

afterEach(async () => {
  await host?.close();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const graphs = async () => (await host!.call("graphs.list", {})) as CallResult<"graphs.list">;
/** The project's own graphs that loaded (the built-in examples are served too). */
const projectGraphs = async () => (await graphs()).graphs.map((g) => g.id).filter((id) => id === "good" || id === "bad").sort();

async function fixBadAndWait(): Promise<void> {
  const restarted = new Promise<void>((resolve) => host!.onEvent((e) => e.type === "worker.restarted" && resolve()));
  writeFileSync(path.join(dir, "src", "bad.ts"), GOOD);
  await restarted;
}

describe("process.exit() in a project module", () => {
  it("at import: names the module, serves the other graphs, and loads it once the file is fixed", { timeout: 60_000 }, async () => {
    project(`${GOOD}\nprocess.exit(13);\n`);
    host = await EngineHost.start({ dbFile: path.join(dir, "threads.db"), projectDir: dir, watchDebounceMs: 100 });
    const loaded = await graphs();
    expect(await projectGraphs()).toEqual(["good"]);
    expect(loaded.failures).toEqual([
      expect.objectContaining({ id: "bad", message: expect.stringContaining(`${path.join(dir, "src", "bad.ts")} called process.exit(13) while it was being imported`) }),
    ]);
    await fixBadAndWait();
    expect(await projectGraphs()).toEqual(["bad", "good"]);
  });

  it("after import, ending the worker until the host gives up: a saved fix brings the engine back", { timeout: 60_000 }, async () => {
    project(`${GOOD}\nsetTimeout(() => process.exit(13), 0);\n`);
    host = await EngineHost.start({ dbFile: path.join(dir, "threads.db"), projectDir: dir, watchDebounceMs: 100, maxCrashesPerMinute: 0 });
    await vi.waitFor(async () => expect(await host!.callRaw("project.info", {})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/stopped 1 times/) } }), {
      timeout: 30_000,
      interval: 200,
    });
    await fixBadAndWait();
    expect(await projectGraphs()).toEqual(["bad", "good"]);
  });
});
