// The inspector on a LangGraph Agent Server (browser mode): the page's own server connects, from the
// source menu, to another server, and the main flows run on that server: a tool agent, an interrupt
// answered, an old checkpoint, a diff, Edit state & fork, Fork into new thread. Run against
// `threadline serve` (a second server in this process, with its key) and against `langgraph dev`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { freePort, startLangGraphDev, startThreadline } from "../test/langgraph-compat/servers";
import { spawn } from "node:child_process";
import { expect, test as base, type AppPage } from "./fixtures";

interface Remote {
  url: string;
  apiKey: string | null;
  client: Client;
}

const SERVERS: Record<string, () => Promise<Remote & { stop(): Promise<void> }>> = {
  // Its own process: a server refuses a connection from its own process (its answers would come from it).
  "threadline serve": async () => {
    const server = await startThreadline();
    return { url: server.url, apiKey: server.apiKey, client: new Client({ apiUrl: server.url, apiKey: server.apiKey }), stop: server.stop };
  },
  "langgraph dev": async () => {
    const server = await startLangGraphDev();
    return { url: server.url, apiKey: null, client: new Client({ apiUrl: server.url, apiKey: null }), stop: server.stop };
  },
};

async function connect(app: AppPage, remote: Remote): Promise<void> {
  await app.open();
  await app.testId("source-connect").click();
  await app.testId("connect-url").fill(remote.url);
  if (remote.apiKey) await app.testId("connect-key").fill(remote.apiKey);
  await app.testId("connect-ok").click();
  await expect(app.testId("source-switcher")).toHaveAttribute("data-source-kind", "remote");
  await expect(app.testId("source-label")).toHaveText(remote.url);
}

async function runWith(app: AppPage, graphId: string, input: unknown): Promise<string> {
  // langgraph dev reads a graph's schemas from its TypeScript types the first time: slow once.
  await app.testId("graph-picker").selectOption(graphId);
  await expect(app.page.locator(`[data-testid="graph-view"][data-graph-id="${graphId}"]`)).toBeVisible({ timeout: 60_000 });
  await app.fillInput(JSON.stringify(input));
  return app.runSample();
}

const row = (app: AppPage, step: number) => app.page.locator(`[data-testid="timeline-row"][data-step="${step}"]`).first();

for (const [name, start] of Object.entries(SERVERS)) {
  const test = base.extend<object, { remote: Remote }>({
    remote: [
      async ({}, use) => {
        const server = await start();
        await use(server);
        await server.stop();
      },
      { scope: "worker", timeout: 120_000 },
    ],
  });
  test.describe(`on ${name}`, () => {
    test.describe.configure({ mode: "serial", timeout: 120_000 });

    test("runs a tool agent on the server; an old checkpoint and a diff come from its history", async ({ app, remote }, info) => {
      await connect(app, remote);
      const threadId = await runWith(app, "react-agent", { messages: [{ role: "user", content: "What's the weather in Paris?" }] });
      await app.waitRunEnded("success");
      await expect(app.threadRow(threadId)).toBeVisible();
      expect((await remote.client.threads.get(threadId)).status).toBe("idle");
      // The server does not time nodes nor send console output: said, not shown as zero.
      await expect(app.testId("no-durations")).toHaveAttribute("title", /does not time its nodes/);
      await expect(app.testId("log-filter-console")).toBeDisabled();
      await expect(app.testId("log-filter-console")).toHaveAttribute("title", /console output/);
      await expect(app.page.locator('[data-testid="event-log"] [data-type="node.finished"]').first()).not.toContainText(" in 0");
      // The timeline reads the server's history after the run ends: wait for it, do not sample it once.
      await expect.poll(() => app.timelineRows().count()).toBeGreaterThanOrEqual(5);
      await expect(app.page.locator('[data-testid="timeline-row"][data-step="1"]').first()).toContainText("agent");
      await app.shot(`remote-run-${name.replace(/ /g, "-")}`, info);

      // An old checkpoint, and its diff against its parent.
      await row(app, 1).click();
      await app.tab("checkpoint");
      await expect(app.testId("checkpoint-detail")).toContainText("What's the weather in Paris?");
      await app.tab("diff");
      await expect(app.testId("diff-from")).toHaveAttribute("data-checkpoint-id", (await row(app, 0).getAttribute("data-checkpoint-id"))!);
      await expect(app.page.locator('[data-testid="diff-entry"][data-path^="messages"]').first()).toBeVisible();
    });

    test("the run form comes from the server's input schema (getSchemas), and its input reaches the server's thread", async ({ app, remote }) => {
      await connect(app, remote);
      await app.testId("graph-picker").selectOption("fan-out");
      // langgraph dev reads a graph's schemas from its TypeScript types the first time: slow once.
      const topic = app.testId("run-field-topic");
      await expect(topic).toBeVisible({ timeout: 60_000 });
      await expect(app.testId("input-tab-form")).toHaveAttribute("aria-selected", "true");
      await topic.fill("remote wind");
      await app.testId("run-field-aspects").fill("2");
      const threadId = await app.runSample();
      await app.waitRunEnded("success");
      const state = await remote.client.threads.getState<{ topic: string; aspects: number; report: string }>(threadId);
      expect(state.values).toMatchObject({ topic: "remote wind", aspects: 2 });
      expect(state.values.report).toContain("Report on remote wind");
    });

    test("answers an interrupt, edits & forks an old checkpoint, and forks into a new thread", async ({ app, remote }) => {
      await connect(app, remote);
      const threadId = await runWith(app, "human-in-the-loop", { request: "the 2.0 release is ready" });
      await app.waitRunEnded("interrupted");
      const panel = app.testId("interrupt-panel");
      await expect(panel.getByTestId("interrupt-value")).toContainText("Send this email?");
      await panel.getByRole("button", { name: "approve" }).click();
      await app.testId("resume-submit").click();
      await expect(panel).toHaveCount(0);
      await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "idle");
      expect((await remote.client.threads.getState(threadId)).values).toMatchObject({ outcome: "sent" });

      // Edit & fork at the drafted checkpoint, as the node that wrote it: a new branch on the server.
      await row(app, 1).click();
      await app.testId("edit-state").click();
      const editor = app.testId("edit-values");
      const values = JSON.parse(await editor.inputValue()) as { draft: string };
      values.draft = "Email to team@example.com: \"2.0 is out.\"";
      await editor.fill(JSON.stringify(values, null, 2));
      await expect(app.testId("edit-state-dialog").locator('[data-testid="changed-key"][data-key="draft"]')).toHaveAttribute("data-reducer", "server");
      await app.testId("edit-save").click();
      await expect(app.page.locator('[data-testid="timeline-row"][data-source="update"]')).toHaveCount(1);
      const history = await remote.client.threads.getHistory(threadId, { limit: 50 });
      expect(history.some((s) => s.metadata?.source === "update" && (s.values as { draft?: string }).draft?.includes("2.0 is out"))).toBe(true);

      // Fork into a new thread from the first step: the copy's head is that checkpoint's state.
      await row(app, 1).click();
      await expect(row(app, 1)).toHaveAttribute("aria-selected", "true");
      await app.testId("fork-thread").click();
      await expect(app.testId("open-thread")).not.toHaveAttribute("data-thread-id", threadId);
      const forked = (await app.testId("open-thread").getAttribute("data-thread-id"))!;
      await expect(app.threadRow(forked)).toBeVisible();
      const head = await remote.client.threads.getState(forked);
      expect(head.values).toMatchObject({ draft: expect.stringContaining("the 2.0 release is ready") });
      expect(head.next).toEqual(["review"]);
    });
  });
}

base("says what went wrong when connecting: nothing listening, this Threadline itself, a wrong key", async ({ app, server }) => {
  base.setTimeout(90_000);
  await app.open();
  await app.testId("source-connect").click();
  // A port that was free a moment ago: nothing listens there.
  const closed = `http://127.0.0.1:${await freePort()}`;
  await app.testId("connect-url").fill(closed);
  await app.testId("connect-ok").click();
  await expect(app.testId("connect-server-error")).toContainText(new RegExp(`cannot reach the Agent Server at ${closed.replace(/\./g, "\\.")} \\(ECONNREFUSED\\)`, "i"));
  // The page's own server is an Agent Server too, but its answers come from the active source: refused.
  await app.testId("connect-url").fill(server.url);
  await app.testId("connect-key").fill(server.token);
  await app.testId("connect-ok").click();
  await expect(app.testId("connect-server-error")).toContainText("is this Threadline itself");
  // Another server, with a wrong key.
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-e2e-remote-"));
  const other = await serveChild(path.join(dir, "other.sqlite"), 0, "the-right-key");
  try {
    await app.testId("connect-url").fill(other.url);
    await app.testId("connect-key").fill("not-the-key");
    await app.testId("connect-ok").click();
    await expect(app.testId("connect-server-error")).toContainText("refused the API key (401)");
    await expect(app.testId("connect-server-error")).not.toContainText("not-the-key");
    await expect(app.testId("source-switcher")).toHaveAttribute("data-source-kind", "local");
  } finally {
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A `threadline serve` process with a fixed token (test/support/serve-child.ts), so that it can come back as the same server. */
async function serveChild(dbFile: string, port: number, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test", "support", "serve-child.ts"), dbFile, String(port), token], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (data: Buffer) => {
      output += data.toString();
      const found = /serving on (\S+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve-child exited with ${code}: ${output}`)));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

base("shows a server that went away as disconnected, and carries on when it is back", async ({ app }) => {
  // Two servers start, one of them twice, and the page tries again every 5 s.
  base.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-e2e-remote-"));
  const dbFile = path.join(dir, "remote.sqlite");
  const token = "went-away-token";
  const port = await freePort();
  let remote = await serveChild(dbFile, port, token);
  const { url } = remote;
  try {
    const client = new Client({ apiUrl: url, apiKey: token });
    const thread = await client.threads.create({ metadata: { title: "kept on the server" } });
    await connect(app, { url, apiKey: token, client });
    await expect(app.threadRow(thread.thread_id)).toBeVisible();

    await remote.close();
    await app.threadRow(thread.thread_id).click();
    await expect(app.testId("source-disconnected")).toContainText("cannot reach the Agent Server");
    await expect(app.testId("source-retry")).toBeVisible();

    // The same server again, on the same port and file, with the same key: the page finds it by itself.
    remote = await serveChild(dbFile, port, token);
    await expect(app.testId("source-disconnected")).toHaveCount(0, { timeout: 20_000 });
    await expect(app.threadRow(thread.thread_id)).toBeVisible();
    await app.threadRow(thread.thread_id).click();
    await expect(app.testId("open-thread")).toHaveAttribute("data-thread-id", thread.thread_id);
  } finally {
    await remote.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
