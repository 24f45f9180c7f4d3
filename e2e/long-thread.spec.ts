// Issue 14, speed on real threads: an agent's long thread keeps the page light. A state's message list comes
// as its newest messages with a way to read more, Edit state edits the whole state, and a diff across the
// thread comes a window at a time with the count of all its changes.
import { expect, test } from "./fixtures";
import { writeAgentThread } from "./seed-agent";

test.describe.configure({ timeout: 90_000 });

/** 600 root checkpoints: 599 messages at the head (one per step after the input). */
const SHAPE = { checkpoints: 600, branches: 1, branchLength: 3, subgraphEvery: 100_000 };

test("a long state shows its newest messages, reads more on demand, and is edited whole", async ({ app, dbFile }, info) => {
  const line = await writeAgentThread(dbFile, "agent", SHAPE);
  await app.open({ thread: "agent", checkpoint: line.at(-1)! });
  await app.tab("checkpoint");
  const notice = app.testId("list-slices");
  await expect(notice).toContainText("messages: the last 200 of 599");
  const tree = app.testId("state-tree");
  await expect(tree).toContainText("[599, the last 200 read]");
  // Positions are those of the whole list: the first message read is messages[399].
  await expect(tree.locator(".jt-key").filter({ hasText: /^399: $/ })).toHaveCount(1);
  await app.shot("long-state-sliced", info);

  await app.testId("list-more").click();
  await expect(notice).toHaveCount(0);
  await expect(tree).toContainText("[599]");
  await expect(tree.locator(".jt-key").filter({ hasText: /^0: $/ })).toHaveCount(1);

  // Another checkpoint is read with its newest messages again; Edit state reads it whole.
  await app.page.locator(`[data-testid="timeline-row"][data-checkpoint-id="${line.at(-2)}"]`).click();
  await expect(notice).toContainText("messages: the last 200 of 598");
  await app.testId("edit-state").click();
  const values = JSON.parse(await app.testId("edit-values").inputValue()) as { messages: { id?: string; kwargs?: { id?: string } }[] };
  expect(values.messages).toHaveLength(598);
  await app.page.keyboard.press("Escape");
});

test("a diff across a long thread comes a window at a time, with the count of all its changes", async ({ app, dbFile }, info) => {
  const line = await writeAgentThread(dbFile, "agent", SHAPE);
  await app.open({ thread: "agent", checkpoint: line[0]! });
  await app.tab("checkpoint");
  await app.testId("pin-diff").click();
  await app.page.locator(`[data-testid="timeline-row"][data-checkpoint-id="${line.at(-1)}"]`).click();
  await app.tab("diff");
  const view = app.testId("diff-view");
  await expect(view).toHaveAttribute("data-total", "599");
  await expect(view).toHaveAttribute("data-count", "200");
  await expect(app.testId("diff-entry")).toHaveCount(200);
  await expect(app.testId("diff-more")).toHaveText("show 399 more of 399 changes");
  await app.shot("long-diff-window", info);
  await app.testId("diff-more").click();
  await expect(view).toHaveAttribute("data-count", "599");
  await expect(app.testId("diff-entry")).toHaveCount(599);
  await expect(app.testId("diff-more")).toHaveCount(0);
  await expect(app.testId("diff-entry").last()).toHaveAttribute("data-path", "messages[id=m-598]");
});

test("End shows the oldest page below a gap, which closes as the pages above it arrive", async ({ app, dbFile }, info) => {
  await writeAgentThread(dbFile, "agent", SHAPE);
  // The pages above the oldest one wait until the gap has been seen: on a fast machine they close it at once.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await app.page.route("**/api/calls/history.page", async (route) => {
    const args = route.request().postDataJSON() as { before?: string };
    if (args.before !== undefined) await held;
    await route.continue();
  });
  await app.open({ thread: "agent" });
  const list = app.testId("timeline-list");
  await list.focus();
  await list.press("End");
  const selected = app.page.locator('[data-testid="timeline-row"][aria-selected="true"]');
  await expect(selected).toHaveAttribute("data-step", "-1");
  await expect(app.testId("timeline-count")).toHaveText("400+ checkpoints");
  // The oldest page's first row (step 198) marks the gap; scrolled into view, the rest arrives above it.
  const gapRow = app.page.locator('[data-testid="timeline-row"][data-step="198"][data-source="loop"]');
  const rowHeight = await selected.evaluate((row) => row.getBoundingClientRect().height);
  await list.evaluate((el, by) => el.scrollBy(0, -by), rowHeight * 192);
  await expect(gapRow).toHaveAttribute("data-gap-above", "true");
  await app.shot("end-gap", info);
  release();
  await expect(app.testId("timeline-count")).toHaveText("604 checkpoints");
  await expect(gapRow).not.toHaveAttribute("data-gap-above");
  await expect(gapRow).toBeInViewport();
  await expect(app.page.locator('[data-testid="timeline-row"][data-step="199"][data-source="loop"]')).toBeInViewport();
});
