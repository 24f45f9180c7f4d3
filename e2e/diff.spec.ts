import { expect, test } from "./fixtures";

test("diff against the parent by default, and between any two checkpoints", async ({ app }, info) => {
  await app.open();
  await app.runApprovedHumanInTheLoop();

  const row = (step: number) => app.page.locator(`[data-testid="timeline-row"][data-step="${step}"]`);
  await row(1).click();
  await app.tab("diff");
  const parentId = await row(0).getAttribute("data-checkpoint-id");
  await expect(app.testId("diff-from")).toHaveAttribute("data-checkpoint-id", parentId!);
  // draft_email wrote the draft and the first log line.
  await expect(app.page.locator('[data-testid="diff-entry"][data-path="draft"]')).toHaveAttribute("data-kind", "added");
  await expect(app.page.locator('[data-testid="diff-entry"][data-path^="log"]').first()).toBeVisible();

  // Pin step 1, pick the last checkpoint: the diff is between those two.
  await app.tab("checkpoint");
  await app.testId("pin-diff").click();
  await row(3).click();
  await app.tab("diff");
  await expect(app.testId("diff-from")).toHaveAttribute("data-checkpoint-id", (await row(1).getAttribute("data-checkpoint-id"))!);
  await expect(app.testId("diff-to")).toHaveAttribute("data-checkpoint-id", (await row(3).getAttribute("data-checkpoint-id"))!);
  await expect(app.page.locator('[data-testid="diff-entry"][data-path="outcome"]')).toHaveAttribute("data-kind", "added");
  await expect(app.page.locator('[data-testid="diff-entry"][data-path="draft"]')).toHaveCount(0);
  await app.shot("diff-two-checkpoints", info);
  await app.testId("diff-reset").click();
  await expect(app.testId("diff-from")).toHaveAttribute("data-checkpoint-id", (await row(2).getAttribute("data-checkpoint-id"))!);
});
