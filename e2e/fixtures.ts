// Each test: a fresh temporary database, a browser-mode server on a free port (in this process), and a page
// helper that opens the app and waits for its readiness marker, never for a fixed time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test as base, type Locator, type Page } from "@playwright/test";
import { startServer, type RunningServer } from "../src/server/serve";
import { writeLinearThread } from "./seed";

const STATIC_DIR = path.resolve(import.meta.dirname, "..", "out", "renderer");

export interface Fixtures {
  /** A linear thread written straight into the database (as another app would) before the server opens it. */
  seed: { threadId: string; checkpoints: number } | null;
  /** A LangGraph project to open (langgraph.json folder); the built-in examples only when null. */
  projectDir: string | null;
  dbFile: string;
  server: RunningServer;
  app: AppPage;
}

export const test = base.extend<Fixtures>({
  seed: [null, { option: true }],
  projectDir: [null, { option: true }],
  dbFile: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), "threadline-e2e-"));
    await use(path.join(dir, "threadline.sqlite"));
    rmSync(dir, { recursive: true, force: true });
  },
  server: async ({ dbFile, seed, projectDir }, use) => {
    if (seed) await writeLinearThread(dbFile, seed.threadId, seed.checkpoints);
    const server = await startServer({ dbFile, staticDir: STATIC_DIR, port: 0, projectDir });
    await use(server);
    await server.close();
  },
  app: async ({ page, server }, use) => {
    await use(new AppPage(page, server));
  },
});

export { expect };

/** Calls the engine the way the page does (HTTP, token header), to set up or check state behind the UI. */
export async function call<T = unknown>(server: RunningServer, name: string, args: unknown = {}): Promise<T> {
  const response = await fetch(`${server.url}/api/calls/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": server.token },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as { result?: T; code?: string; message?: string };
  if (!response.ok) throw new Error(`${name}: ${body.code}: ${body.message}`);
  return body.result as T;
}

export class AppPage {
  constructor(
    readonly page: Page,
    readonly server: RunningServer,
  ) {}

  async open(params: Record<string, string> = {}): Promise<void> {
    const url = new URL(this.server.pageUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    await this.page.goto(url.href);
    await expect(this.page.locator('[data-app-state="ready"]')).toBeVisible();
  }

  testId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  threadRow(threadId: string): Locator {
    return this.page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`);
  }

  /** Picks the graph of the next new thread; with no thread open, the run screen draws it. */
  async pickGraph(graphId: string): Promise<void> {
    await this.testId("graph-picker").selectOption(graphId);
    if ((await this.testId("open-thread").count()) === 0) {
      await expect(this.page.locator(`[data-testid="graph-view"][data-graph-id="${graphId}"]`)).toBeVisible();
    }
  }

  /** The run input as JSON: picks the composer's JSON tab (the form is the default for graphs with typed inputs). */
  async jsonInput(): Promise<Locator> {
    await this.testId("input-tab-json").click();
    return this.testId("run-input");
  }

  /**
   * Types the run input as JSON. A project graph's schemas may arrive while it is typed (its TypeScript
   * types are read in the background) and reseed the untouched input under the keystrokes: typed again
   * until the input holds exactly the text.
   */
  async fillInput(text: string): Promise<void> {
    const input = await this.jsonInput();
    await expect(async () => {
      await input.fill(text);
      await expect(input).toHaveValue(text, { timeout: 1000 });
    }).toPass();
  }

  /** Runs the picked graph with its sample input on a new thread; returns the new thread's id. */
  async runSample(): Promise<string> {
    await this.testId("run-submit").click();
    const open = this.testId("open-thread");
    await expect(open).toHaveAttribute("data-thread-id", /.+/);
    return (await open.getAttribute("data-thread-id"))!;
  }

  /**
   * Starts a react-agent run of 160 streamed tool turns and waits until it runs: long enough to watch
   * and to cancel (a shorter one could end before the cancel reaches it on a quiet machine).
   */
  async startLongRun(): Promise<void> {
    const cities = "Paris Oslo Lima Cairo Delhi Tokyo Quito Accra Hanoi Perth Dakar Sofia Rome Bern Riga Kyiv Baku Doha Male Suva".split(" ");
    cities.push(...cities.map((c) => `New ${c}`), ...cities.map((c) => `Old ${c}`), ...cities.map((c) => `North ${c}`));
    cities.push(...cities.map((c) => `Upper ${c}`));
    await this.fillInput(JSON.stringify({ messages: [{ role: "user", content: cities.map((c) => `weather in ${c}`).join(", ") }] }));
    await this.page.getByRole("button", { name: "Config" }).click();
    await this.testId("run-config").fill('{"recursionLimit": 1600}');
    await this.testId("run-submit").click();
    await expect(this.testId("run-status")).toHaveAttribute("data-status", "running");
  }

  /** Runs the human-in-the-loop sample from the UI to its interrupt, then approves it on the server: 5 checkpoints. */
  async runApprovedHumanInTheLoop(): Promise<string> {
    await this.pickGraph("human-in-the-loop");
    const threadId = await this.runSample();
    await this.waitRunEnded("interrupted");
    const resumed = await call<{ runId: string }>(this.server, "runs.start", { threadId, graphId: "human-in-the-loop", command: { resume: "approve" } });
    await call(this.server, "runs.join", { runId: resumed.runId });
    await expect(this.timelineRows()).toHaveCount(5);
    return threadId;
  }

  async waitRunEnded(status: "success" | "interrupted" | "error" = "success"): Promise<void> {
    await this.tab("run");
    await expect(this.testId("run-status")).toHaveAttribute("data-status", status, { timeout: 20_000 });
  }

  async tab(name: "run" | "checkpoint" | "diff"): Promise<void> {
    await this.testId(`tab-${name}`).click();
  }

  timelineRows(): Locator {
    return this.page.getByTestId("timeline-row");
  }

  async shot(name: string, info: { outputPath(...p: string[]): string }): Promise<void> {
    await this.page.screenshot({ path: info.outputPath(`${name}.png`) });
  }
}
