// Issue 14, telling things apart: thread titles (first human message, metadata `title`, editable) with
// graph, checkpoint count, status and time; timeline rows naming the writer node(s) and the change, and an
// edit or a replay's copy what it was applied as; "As node" defaulting to the writer; branch labels; the pinned checkpoint marked; diff sides as steps and
// nodes; message paths as `messages[3] AIMessage` with the id on hover.
import { call, expect, test } from "./fixtures";

// Each test starts its own server and runs real graphs: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 90_000 });

const QUESTION = "What's the weather in Paris, and what is (12 + 3) * 7?";

test("a thread is named by its first human message, or its title, which can be edited", async ({ app, server }, info) => {
  await call(server, "threads.create", { threadId: "ticket-4711", metadata: { title: "Refund for order 4711" } });
  await app.open();
  await app.pickGraph("react-agent");
  const threadId = await app.runSample();
  await app.waitRunEnded();
  const row = app.threadRow(threadId);
  await expect(row.getByTestId("thread-title")).toHaveText(QUESTION);
  await expect(row.getByTestId("thread-graph")).toHaveText("react-agent");
  await expect(row.getByTestId("thread-checkpoints")).toHaveText("7 checkpoints");
  await expect(row.getByTestId("status-badge")).toHaveText("idle");
  await expect(row).toContainText(/just now|\ds ago/);
  await expect(app.threadRow("ticket-4711").getByTestId("thread-title")).toHaveText("Refund for order 4711");
  await expect(app.threadRow("ticket-4711").getByTestId("thread-checkpoints")).toHaveText("0 checkpoints");
  await expect(app.testId("open-thread")).toContainText(QUESTION);
  await app.shot("thread-titles", info);

  await row.hover();
  await row.getByTestId("thread-rename").click();
  const input = row.getByTestId("thread-title-input");
  await input.fill("Paris weather and arithmetic");
  await input.press("Enter");
  await expect(row.getByTestId("thread-title")).toHaveText("Paris weather and arithmetic");
  expect((await call<{ metadata: { title?: string } }>(server, "threads.get", { threadId })).metadata.title).toBe("Paris weather and arithmetic");
  await app.page.reload();
  await expect(app.threadRow(threadId).getByTestId("thread-title")).toHaveText("Paris weather and arithmetic");
  // Clearing the title goes back to the first message.
  await app.threadRow(threadId).hover();
  await app.threadRow(threadId).getByTestId("thread-rename").click();
  await app.threadRow(threadId).getByTestId("thread-title-input").fill("");
  await app.threadRow(threadId).getByTestId("thread-title-input").press("Enter");
  await expect(app.threadRow(threadId).getByTestId("thread-title")).toHaveText(QUESTION);
});

test("timeline rows name the node(s) that wrote them and what changed; As node defaults to the writer", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const row = (step: number) => app.page.locator(`[data-testid="timeline-row"][data-step="${step}"]`);
  await expect(row(0).getByTestId("timeline-changes")).toHaveText("+1 HumanMessage → agent");
  await expect(row(1).getByTestId("timeline-nodes")).toHaveText("agent");
  await expect(row(1).getByTestId("timeline-changes")).toHaveText("+1 AIMessage → tools");
  await expect(row(2).getByTestId("timeline-nodes")).toHaveText("tools");
  await expect(row(2).getByTestId("timeline-changes")).toContainText("ToolMessage → agent");
  await expect(row(-1).getByTestId("timeline-nodes")).toHaveText("__input__");
  await app.shot("timeline-what-happened", info);

  await row(2).click();
  await app.tab("checkpoint");
  await expect(app.testId("detail-changes")).toContainText("ToolMessage");
  await app.testId("edit-state").click();
  await expect(app.testId("as-node")).toHaveValue("tools");
  await expect(app.testId("edit-state-dialog")).toContainText("written by tools");
  await app.page.keyboard.press("Escape");
});

test("a state edit names the node it was applied as, a replay's copy what it copied; As node on an edit defaults to its node", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const row = (step: number, source = "loop") => app.page.locator(`[data-testid="timeline-row"][data-step="${step}"][data-source="${source}"]`);
  await row(2).click();
  await app.tab("checkpoint");
  await app.testId("edit-state").click();
  await expect(app.testId("as-node")).toHaveValue("tools");
  // Applied as "agent" rather than the writer, so that the row can only have learnt the node from the edit.
  await app.testId("as-node").selectOption("agent");
  const editor = app.testId("edit-values");
  const values = JSON.parse(await editor.inputValue()) as { messages: { content: unknown }[] };
  values.messages[values.messages.length - 1]!.content = "Paris: 21°C (edited)";
  await editor.fill(JSON.stringify(values, null, 2));
  await app.testId("edit-save").click();
  await expect(app.testId("edit-state-dialog")).toHaveCount(0);
  const edit = row(3, "update");
  await expect(edit.getByTestId("applied-as")).toHaveText("as agent");
  await expect(edit).toHaveAttribute("aria-description", /step 3, update, as agent/);

  await edit.click();
  await app.testId("edit-state").click();
  await expect(app.testId("as-node")).toHaveValue("agent");
  await expect(app.testId("edit-state-dialog")).toContainText("written by agent");
  await app.page.keyboard.press("Escape");

  // A replay starts with LangGraph's copy of the checkpoint ("fork"), which names the node(s) that wrote it.
  await row(1).click();
  await app.testId("replay").click();
  await app.waitRunEnded();
  await expect(row(2, "fork").getByTestId("applied-as")).toHaveText("copy of agent");
  await app.shot("timeline-applied-as", info);
});

test("branches are labelled with their fork point and first change; the pinned checkpoint is marked", async ({ app }, info) => {
  await app.open();
  await app.runApprovedHumanInTheLoop();
  await app.page.locator('[data-testid="timeline-row"][data-step="1"]').click();
  await app.tab("checkpoint");
  await app.testId("replay").click();
  await expect(app.timelineRows()).toHaveCount(6);
  const labels = app.testId("branch-label");
  await expect(labels).toHaveCount(2);
  await expect(labels.first()).toHaveText("from 1");
  // The newest branch is the replay (LangGraph starts it with a copy of step 1); the older one ran on to send.
  await expect(labels.first()).toHaveAttribute("title", /branch from step 1 · replay: /);
  await expect(labels.nth(1)).toHaveAttribute("title", /branch from step 1 · run: /);

  const pinnedRow = app.page.locator('[data-testid="timeline-row"][data-step="0"]');
  await pinnedRow.click();
  await app.testId("pin-diff").click();
  await expect(pinnedRow).toHaveAttribute("data-pinned", "true");
  await expect(pinnedRow.getByTestId("pinned-mark")).toBeVisible();
  await expect(app.testId("pinned-mark")).toHaveCount(1);
  await app.timelineRows().first().click();
  await app.shot("branches-and-pin", info);

  // The diff names both sides by step and node; the ids are on hover.
  await app.tab("diff");
  await expect(app.testId("diff-from")).toHaveText(/^step 0 · /);
  await expect(app.testId("diff-from")).toHaveAttribute("title", (await pinnedRow.getAttribute("data-checkpoint-id"))!);
  await expect(app.testId("diff-to")).toHaveText(/^step \d+ · \w+/);
  await pinnedRow.click();
  await app.tab("checkpoint");
  await app.testId("pin-diff").click();
  await expect(app.testId("pinned-mark")).toHaveCount(0);
});

test("message paths read messages[3] AIMessage, with the message id on hover", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  await app.page.locator('[data-testid="timeline-row"][data-step="3"]').click();
  await app.tab("diff");
  await expect(app.testId("diff-from")).toHaveText("step 2 · tools");
  await expect(app.testId("diff-to")).toHaveText("step 3 · agent");
  const path = app.testId("diff-path").first();
  await expect(path).toHaveText(/^\+messages\[3\] AIMessage$/);
  await expect(path).toHaveAttribute("title", /^id \S+/);
  await app.shot("diff-message-paths", info);
});
