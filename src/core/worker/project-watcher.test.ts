import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { watchProject } from "./project-watcher";

let dir: string;
let stop: () => void;
let changes: string[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-watch-"));
  mkdirSync(path.join(dir, "src", "nodes"), { recursive: true });
  writeFileSync(path.join(dir, "langgraph.json"), "{}");
  writeFileSync(path.join(dir, "src", "agent.ts"), "export const a = 1;\n");
  writeFileSync(path.join(dir, "src", "nodes", "tool.ts"), "export const t = 1;\n");
  changes = [];
  stop = watchProject(dir, (file) => changes.push(path.relative(dir, file)), { debounceMs: 50 });
});
afterEach(() => {
  stop();
  rmSync(dir, { recursive: true, force: true });
});

const settle = () => new Promise((r) => setTimeout(r, 300));

async function expectChange(file: string): Promise<void> {
  await vi.waitFor(() => expect(changes).toContain(file), { timeout: 3_000, interval: 20 });
  changes = [];
  await settle();
}

describe("watching a project", () => {
  it("sees every save made by an atomic rename (sed -i, an editor's safe-save), again and again", async () => {
    await settle();
    for (const file of ["src/agent.ts", "src/nodes/tool.ts", "src/agent.ts", "langgraph.json"]) {
      execFileSync("sed", ["-i", "s/1/2/", path.join(dir, file)]);
      await expectChange(file);
    }
    // Safe-save: write a temporary file beside it, then rename it over the original.
    for (let i = 0; i < 3; i++) {
      const target = path.join(dir, "src", "nodes", "tool.ts");
      writeFileSync(`${target}.tmp~`, `export const t = ${i};\n`);
      renameSync(`${target}.tmp~`, target);
      await expectChange("src/nodes/tool.ts");
    }
  });

  it("sees plain writes and files in folders made after it started, not other files", async () => {
    await settle();
    writeFileSync(path.join(dir, "src", "agent.ts"), "export const a = 3;\n");
    await expectChange("src/agent.ts");
    mkdirSync(path.join(dir, "lib", "deep"), { recursive: true });
    await settle();
    writeFileSync(path.join(dir, "lib", "deep", "x.ts"), "export {};\n");
    await expectChange("lib/deep/x.ts");
    writeFileSync(path.join(dir, "src", "out.log"), "log\n");
    await settle();
    expect(changes).toEqual([]);
  });
});
