import { expect, test, call } from "./fixtures";

test("checkpoint detail: state tree, chat with paired tool calls, metadata, next, tasks", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  await expect(app.timelineRows().first()).toHaveAttribute("data-step", "5");
  await app.timelineRows().first().click();
  const detail = app.testId("checkpoint-detail");
  await expect(app.testId("state-tree")).toContainText("messages");
  await expect(app.testId("next-nodes")).toContainText("done");
  await app.testId("detail-tab-chat").click();
  const chat = app.testId("chat-view");
  await expect(chat.locator('[data-role="user"]')).toContainText("weather in Paris");
  const pairs = chat.getByTestId("tool-pair");
  expect(await pairs.count()).toBeGreaterThanOrEqual(2);
  for (const pair of await pairs.all()) await expect(pair.getByTestId("tool-result")).not.toContainText("no result yet");
  // Tool results are shown with their call, not again as messages of their own.
  await expect(chat.locator('[data-role="tool"]')).toHaveCount(0);
  await app.shot("detail-chat", info);
  await app.testId("detail-tab-meta").click();
  await expect(app.testId("metadata-tree")).toContainText("source");
  await expect(app.testId("metadata-tree")).toContainText("loop");

  // An earlier checkpoint: the next node and its task.
  await app.page.locator('[data-testid="timeline-row"][data-step="1"]').click();
  await expect(detail).toHaveAttribute("data-checkpoint-id", (await app.page.locator('[data-testid="timeline-row"][data-step="1"]').getAttribute("data-checkpoint-id"))!);
  await expect(app.testId("next-nodes")).toHaveText("tools");
  await app.testId("detail-tab-tasks").click();
  await expect(detail.getByTestId("task")).toContainText("tools");
});

test("tasks show interrupts, pending writes and the user's errors with their stack", async ({ app, server }, info) => {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  await app.tab("checkpoint");
  await app.testId("detail-tab-tasks").click();
  await expect(app.testId("checkpoint-detail").getByTestId("task")).toContainText("Send this email?");
  await app.testId("detail-tab-writes").click();
  await expect(app.testId("checkpoint-detail")).toContainText("__interrupt__");

  // A resume value the node refuses: the run fails and the task keeps the error.
  const run = await call<{ runId: string }>(server, "runs.start", { threadId, graphId: "human-in-the-loop", command: { resume: 42 } });
  await call(server, "runs.join", { runId: run.runId });
  await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "error");
  await app.testId("detail-tab-tasks").click();
  const error = app.testId("task-error");
  await expect(error).toContainText('Expected "approve", "reject"');
  await expect(error.locator("pre")).toContainText("human-in-the-loop");
  await app.shot("detail-task-error", info);
  // The event log has the error too; opening its line shows the user's stack.
  await app.tab("run");
  const line = app.testId("event-log").locator('[data-type="error"]');
  await expect(line).toContainText("Error: Expected");
  await line.getByRole("button").click();
  await expect(line.locator("pre")).toContainText("parseReviewAnswer");
  await expect(app.testId("run-error")).toContainText("review");
});
