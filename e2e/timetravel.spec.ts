import { expect, test, call } from "./fixtures";

async function interruptedHitl(app: import("./fixtures").AppPage) {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  return threadId;
}

test("Edit state & fork: changed keys, reducer per key, diff preview, then continue on the new branch", async ({ app, server }, info) => {
  const threadId = await interruptedHitl(app);
  const head = app.page.locator('[data-testid="timeline-row"][data-step="1"]');
  await head.click();
  await app.testId("edit-state").click();
  const dialog = app.testId("edit-state-dialog");
  await expect(dialog).toBeVisible();
  const editor = app.testId("edit-values");
  const values = JSON.parse(await editor.inputValue()) as { draft: string; log: string[] };
  values.draft = "Email to team@example.com: \"2.0 is out.\"";
  values.log = [...values.log, "edited by hand"];
  await editor.fill(JSON.stringify(values, null, 2));
  await expect(dialog.locator('[data-testid="changed-key"][data-key="draft"]')).toHaveAttribute("data-reducer", "replace");
  await expect(dialog.locator('[data-testid="changed-key"][data-key="log"]')).toHaveAttribute("data-reducer", "reducer");
  await expect(dialog.locator('[data-testid="changed-key"]')).toHaveCount(2);
  await expect(dialog.getByTestId("diff-entry").filter({ hasText: "2.0 is out" })).toBeVisible();
  await expect(app.testId("as-node")).toHaveValue("draft_email");
  // Through the reducer, the list would get the whole edited list appended: the preview shows it.
  const log = dialog.locator('[data-testid="changed-key"][data-key="log"]');
  await expect(log.getByTestId("reducer-mode")).toHaveText("replace");
  await log.getByTestId("through-reducer").check();
  await expect(log.getByTestId("reducer-mode")).toHaveText("append");
  await expect(dialog.locator('[data-testid="diff-entry"][data-path="log[2]"]')).toBeVisible();
  await log.getByTestId("through-reducer").uncheck();
  await expect(dialog.locator('[data-testid="diff-entry"][data-path="log[2]"]')).toHaveCount(0);
  await app.shot("edit-state", info);
  await app.testId("edit-save-run").click();
  await expect(dialog).toHaveCount(0);
  await app.waitRunEnded("interrupted");
  // The new branch: an "update" checkpoint forked from step 1, and the interrupt asks about the edited draft.
  await expect(app.page.locator('[data-testid="timeline-row"][data-source="update"]')).toHaveCount(1);
  await app.tab("run");
  await expect(app.testId("interrupt-panel")).toContainText("2.0 is out");
  const state = await call<{ values: { draft: string; log: string[] } }>(server, "state.get", { threadId });
  expect(state.values.draft).toContain("2.0 is out");
  // The edited list replaced the old one (Overwrite), it was not appended twice.
  expect(state.values.log.filter((l) => l.startsWith("drafted")).length).toBe(1);
  expect(state.values.log).toContain("edited by hand");
});

test("Fork into new thread keeps the checkpoint's ancestry", async ({ app, server }) => {
  const threadId = await interruptedHitl(app);
  await app.page.locator('[data-testid="timeline-row"][data-step="0"]').click();
  await app.testId("fork-thread").click();
  await expect(app.testId("open-thread")).not.toHaveAttribute("data-thread-id", threadId);
  const forked = (await app.testId("open-thread").getAttribute("data-thread-id"))!;
  await expect(app.timelineRows()).toHaveCount(2);
  await expect(app.threadRow(forked)).toBeVisible();
  const history = await call<{ items: unknown[] }>(server, "history.page", { threadId: forked });
  expect(history.items).toHaveLength(2);
});
