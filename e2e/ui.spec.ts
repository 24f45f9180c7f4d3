/// <reference lib="dom" />
// page.evaluate callbacks run in the page.
import { expect, test, call } from "./fixtures";

test("the URL names the open thread and checkpoint; a reload lands there", async ({ app }) => {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  const row = app.page.locator('[data-testid="timeline-row"][data-step="0"]');
  const checkpointId = (await row.getAttribute("data-checkpoint-id"))!;
  await row.click();
  await expect(app.page).toHaveURL(new RegExp(`thread=${threadId}.*checkpoint=${checkpointId}`));
  await app.page.reload();
  await expect(app.page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(app.testId("open-thread")).toHaveAttribute("data-thread-id", threadId);
  await expect(app.page.locator('[data-testid="timeline-row"][aria-selected="true"]')).toHaveAttribute("data-checkpoint-id", checkpointId);
  await app.tab("checkpoint");
  await expect(app.testId("checkpoint-detail")).toHaveAttribute("data-checkpoint-id", checkpointId);
});

test("errors show in the page, never a blank screen", async ({ app }) => {
  await app.open({ thread: "no-such-thread" });
  await expect(app.testId("notice-error").first()).toContainText('No thread "no-such-thread"');
  await expect(app.testId("thread-list")).toBeVisible();
  // Without the token the page says what to do.
  await app.page.goto(app.server.url + "/");
  await app.page.evaluate(() => sessionStorage.clear());
  await app.page.goto(app.server.url + "/");
  await expect(app.testId("connect-error")).toContainText("token");
});

test("light and dark themes; screenshots of the main screens", async ({ app, server }, info) => {
  await call(server, "threads.create", { threadId: "support-ticket-4711", metadata: { user: "ana" } });
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  await expect(app.timelineRows().first()).toHaveAttribute("data-step", "5");
  await app.shot("main-light", info);
  const html = app.page.locator("html");
  const before = await html.getAttribute("data-theme");
  await app.testId("theme-toggle").click();
  const after = before === "dark" ? "light" : "dark";
  await expect(html).toHaveAttribute("data-theme", after);
  await app.page.reload();
  await expect(html).toHaveAttribute("data-theme", after);
  if (after !== "dark") await app.testId("theme-toggle").click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await app.shot("main-dark", info);
  await app.timelineRows().first().click();
  await app.testId("detail-tab-chat").click();
  await app.shot("detail-chat-dark", info);
  await app.tab("diff");
  await app.shot("diff-dark", info);
});
