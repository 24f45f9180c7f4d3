// Issue 14, bugs: subgraph checkpoints (actions explained, rows under the step that ran them), errors in
// words without codes, a thread without a graph asks which graph, search what the list shows, PageUp/PageDown,
// deep links keep their tab and say when a checkpoint is unknown, the Resume panel closes on success.
import { call, expect, test } from "./fixtures";

// Each test starts its own server and runs real graphs: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 90_000 });

const selectedRow = (app: { page: import("@playwright/test").Page }) => app.page.locator('[data-testid="timeline-row"][aria-selected="true"]');

test("a subgraph checkpoint explains why replay, edit and fork are not offered, and hangs under the step that ran it", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  await app.runSample();
  await app.waitRunEnded();
  await app.testId("timeline-expand").click();
  const subs = app.page.locator('[data-testid="timeline-row"]:not([data-checkpoint-ns=""])');
  await expect(subs.first()).toBeVisible();
  // The subgraph rows follow the root row whose node ran them (research), between that step and the one before.
  const owner = app.page.locator('[data-testid="timeline-row"][data-checkpoint-ns=""]:has([data-testid="timeline-expand"])');
  await expect(owner.getByTestId("timeline-nodes")).toContainText("research");
  const ownerIndex = Number(await owner.getAttribute("data-index"));
  expect(Number(await subs.first().getAttribute("data-index"))).toBe(ownerIndex + 1);

  await subs.first().click();
  await app.tab("checkpoint");
  for (const action of ["replay", "edit-state", "fork-thread"]) await expect(app.testId(action)).toBeDisabled();
  const why = app.testId("actions-why-not");
  await expect(why).toContainText("belongs to the subgraph research");
  await expect(why).toContainText("Use the step this subgraph ran in");
  await expect(app.testId("replay")).toHaveAttribute("aria-describedby", "why-not");
  await app.shot("subgraph-actions-explained", info);

  // On a root checkpoint all three are offered again.
  await owner.click();
  for (const action of ["replay", "edit-state", "fork-thread"]) await expect(app.testId(action)).toBeEnabled();
  await expect(app.testId("actions-why-not")).toHaveCount(0);
});

test("an error reads as a sentence, never as a raw error code", async ({ app }, info) => {
  await app.open({ thread: "no-such-thread" });
  const notice = app.testId("notice-error").first();
  await expect(notice).toContainText('No thread "no-such-thread"');
  await expect(notice).not.toContainText(/NOT_FOUND|INVALID_ARGUMENT|[A-Z]{3,}_[A-Z]+/);
  await app.shot("error-in-words", info);
});

test.describe("a thread written by another app (no graph recorded)", () => {
  test.use({ seed: { threadId: "written-elsewhere", checkpoints: 4 } });

  test("replay asks which graph, and records only the graph chosen", async ({ app, server }, info) => {
    await app.open({ thread: "written-elsewhere" });
    await expect(app.timelineRows()).toHaveCount(4);
    await app.page.locator('[data-testid="timeline-row"][data-step="1"]').click();
    await app.tab("checkpoint");
    await app.testId("replay").click();
    const dialog = app.testId("graph-choice-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("no graph recorded");
    await app.shot("replay-asks-for-graph", info);
    // Dismissed: nothing runs and the thread keeps having no graph.
    await app.testId("graph-choice-cancel").click();
    await expect(dialog).toHaveCount(0);
    expect((await call<{ graphId: string | null }>(server, "threads.get", { threadId: "written-elsewhere" })).graphId).toBeNull();
    expect(await call<unknown[]>(server, "runs.list", { threadId: "written-elsewhere" })).toHaveLength(0);

    // Chosen: the run uses that graph and the thread records it, as the dialog said.
    await app.testId("replay").click();
    await app.testId("graph-choice").selectOption("fan-out");
    await app.testId("graph-choice-ok").click();
    await expect.poll(async () => (await call<{ graphId: string | null }>(server, "threads.get", { threadId: "written-elsewhere" })).graphId).toBe("fan-out");
    await expect(app.testId("open-thread")).toContainText("fan-out");
  });
});

test("search matches what the thread list shows: graph, title, status", async ({ app, server }, info) => {
  await call(server, "threads.create", { threadId: "ticket-4711", metadata: { title: "Refund for order 4711" } });
  await app.open();
  await app.pickGraph("react-agent");
  const threadId = await app.runSample();
  await app.waitRunEnded();
  const search = app.testId("thread-search");
  await search.fill("react-agent");
  await expect(app.testId("thread-row")).toHaveCount(1);
  await expect(app.threadRow(threadId)).toBeVisible();
  await search.fill("weather paris");
  await expect(app.threadRow(threadId)).toBeVisible();
  await expect(app.testId("thread-row")).toHaveCount(1);
  await search.fill("refund");
  await expect(app.threadRow("ticket-4711")).toBeVisible();
  await expect(app.testId("thread-row")).toHaveCount(1);
  await app.shot("search-by-title", info);
  await search.fill("idle");
  await expect(app.testId("thread-row")).toHaveCount(2);
  await search.fill("nothing-like-this");
  await expect(app.testId("threads-empty")).toBeVisible();
});

test.describe("a long thread", () => {
  test.use({ seed: { threadId: "long", checkpoints: 400 } });

  test("PageDown and PageUp move the selection by a screen of rows", async ({ app }) => {
    await app.open({ thread: "long" });
    await app.timelineRows().first().click();
    const list = app.testId("timeline-list");
    await list.press("PageDown");
    const down = Number(await selectedRow(app).getAttribute("data-index"));
    expect(down).toBeGreaterThanOrEqual(5);
    await expect(selectedRow(app)).toBeInViewport();
    await list.press("PageDown");
    expect(Number(await selectedRow(app).getAttribute("data-index"))).toBe(2 * down);
    await list.press("PageUp");
    await expect(selectedRow(app)).toHaveAttribute("data-index", String(down));
    await list.press("PageUp");
    await expect(selectedRow(app)).toHaveAttribute("data-index", "0");
  });
});

test("a deep link keeps its tab; an unknown checkpoint in a link says so", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  const row = app.page.locator('[data-testid="timeline-row"][data-step="1"]');
  const checkpointId = (await row.getAttribute("data-checkpoint-id"))!;
  await row.click();
  await app.tab("diff");
  await expect(app.page).toHaveURL(/tab=diff/);
  await app.page.reload();
  await expect(app.page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(app.testId("tab-diff")).toHaveAttribute("aria-selected", "true");
  await expect(app.testId("diff-to")).toHaveAttribute("data-checkpoint-id", checkpointId);
  await app.shot("deep-link-diff-tab", info);

  await app.open({ thread: threadId, checkpoint: "1f0-no-such-checkpoint", tab: "checkpoint" });
  const notice = app.testId("notice-error").first();
  await expect(notice).toContainText("names checkpoint 1f0-no-such-checkpoint, which thread");
  await expect(notice).toContainText("does not have");
  await expect(app.testId("tab-checkpoint")).toHaveAttribute("aria-selected", "true");
  // It shows the head instead, and the address no longer names the unknown checkpoint.
  await expect(app.testId("checkpoint-detail")).toBeVisible();
  await expect(app.page).not.toHaveURL(/no-such-checkpoint/);
  await app.shot("deep-link-unknown-checkpoint", info);
});

test("the Resume panel closes when its run succeeds", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  await app.runSample();
  await app.waitRunEnded("interrupted");
  await expect(app.testId("interrupt-panel")).toBeVisible();
  await app.testId("resume-submit").click();
  await app.waitRunEnded("success");
  await expect(app.testId("interrupt-panel")).toHaveCount(0);
  await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "idle");
  await app.shot("resume-closed", info);
});
