import { expect, test } from "./fixtures";

const selectedRow = (app: { page: import("@playwright/test").Page }) => app.page.locator('[data-testid="timeline-row"][aria-selected="true"]');

test("checkpoints show step, source, nodes and time; keyboard moves through them", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const rows = app.timelineRows();
  await expect(rows).toHaveCount(7);
  await expect(rows.first()).toHaveAttribute("data-step", "5");
  await expect(rows.last()).toHaveAttribute("data-source", "input");
  await expect(rows.nth(1)).toContainText("tools");
  await expect(rows.nth(1)).toContainText(/\d\d:\d\d:\d\d\.\d{3}/);

  await rows.nth(2).click();
  await expect(selectedRow(app)).toHaveAttribute("data-index", "2");
  const list = app.testId("timeline-list");
  await list.press("j");
  await expect(selectedRow(app)).toHaveAttribute("data-index", "3");
  await list.press("ArrowDown");
  await expect(selectedRow(app)).toHaveAttribute("data-index", "4");
  await list.press("k");
  await list.press("ArrowUp");
  await expect(selectedRow(app)).toHaveAttribute("data-index", "2");
  await list.press("End");
  await expect(selectedRow(app)).toHaveAttribute("data-step", "-1");
  await list.press("Home");
  await expect(selectedRow(app)).toHaveAttribute("data-step", "5");
  await app.shot("timeline-selected", info);
});

test("a replay forks the tree: a second lane that joins its parent", async ({ app }, info) => {
  await app.open();
  await app.runApprovedHumanInTheLoop();
  // Replay from the checkpoint after draft_email (step 1): review runs again on a new branch.
  await app.page.locator('[data-testid="timeline-row"][data-step="1"]').click();
  await app.testId("replay").click();
  await expect(app.timelineRows()).toHaveCount(6);
  // As in `git log --graph`, the newest branch keeps the first lane; the older one moves to a second lane
  // and both meet at the checkpoint they share.
  await expect(app.timelineRows().first()).toHaveAttribute("data-lane", "0");
  await expect(app.page.locator('[data-testid="timeline-row"][data-lane="1"]')).toHaveCount(2);
  await expect(app.page.locator('[data-testid="timeline-row"][data-fork]')).toHaveAttribute("data-step", "1");
  await expect(app.page.locator('[data-testid="timeline-row"][data-fork]')).toHaveAttribute("data-lane", "0");
  await app.shot("timeline-fork", info);
});

test("subgraph checkpoints nest under the step that ran them", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  await app.runSample();
  await app.waitRunEnded();
  const expand = app.testId("timeline-expand");
  await expect(expand).toHaveCount(1);
  const rootCount = await app.timelineRows().count();
  await expand.click();
  const subs = app.page.locator('[data-testid="timeline-row"]:not([data-checkpoint-ns=""])');
  await expect(subs.first()).toBeVisible();
  expect(await subs.count()).toBeGreaterThanOrEqual(3);
  await expect(subs.first()).toHaveAttribute("data-checkpoint-ns", /^research:/);
  await app.shot("timeline-subgraphs", info);
  await subs.first().click();
  await expect(app.testId("checkpoint-detail")).toContainText("ns research:");
  await expand.click();
  await expect(app.timelineRows()).toHaveCount(rootCount);
});

test.describe("a 10,000-checkpoint thread", () => {
  test.use({ seed: { threadId: "long", checkpoints: 10_000 } });
  // Seeding 10,000 checkpoints and reading pages into the gap take a while on a loaded 2-core machine.
  test.describe.configure({ timeout: 90_000 });

  test("keeps at most 100 rows mounted; Home and End reach the first and last checkpoints", async ({ app }, info) => {
    await app.open({ thread: "long" });
    const timeline = app.testId("timeline");
    await expect(timeline).toHaveAttribute("data-state", "ready");
    await expect(app.timelineRows().first()).toHaveAttribute("data-step", "9998");
    expect(await app.timelineRows().count()).toBeLessThanOrEqual(100);
    const list = app.testId("timeline-list");
    await list.focus();
    await list.press("End");
    await expect(selectedRow(app)).toHaveAttribute("data-step", "-1", { timeout: 15_000 });
    await expect(selectedRow(app)).toBeInViewport();
    // End read the oldest page alone: the rows between it and the newest page load when scrolled to.
    await expect(app.testId("timeline-count")).toHaveText("400+ checkpoints");
    expect(await app.timelineRows().count()).toBeLessThanOrEqual(100);
    await app.shot("timeline-10k-end", info);
    // Scrolled up to the oldest page's first row: while it is in view, the pages above the gap arrive
    // and fill it, and the rows shown stay in place (long-thread.spec.ts sees the gap close).
    const oldestTop = app.page.locator('[data-testid="timeline-row"][data-step="198"]');
    const rowHeight = await selectedRow(app).evaluate((row) => row.getBoundingClientRect().height);
    await list.evaluate((el, by) => el.scrollBy(0, -by), rowHeight * 192);
    await expect(oldestTop).toHaveAttribute("data-gap-above", "true");
    await expect(oldestTop).toBeInViewport();
    await expect(app.testId("timeline-count")).not.toHaveText("400+ checkpoints");
    await expect(oldestTop).toBeInViewport();
    await list.press("Home");
    await expect(selectedRow(app)).toHaveAttribute("data-step", "9998");
    await expect(selectedRow(app)).toBeInViewport();
    expect(await app.timelineRows().count()).toBeLessThanOrEqual(100);
    await list.press("j");
    await expect(selectedRow(app)).toHaveAttribute("data-step", "9997");
  });
});
