/// <reference lib="dom" />
// Issue 14, the run screen: the conversation and the timeline follow a streaming run; a cancelled run reads
// the same in the run status and the thread badge; the event log is readable (whole words, lines that
// open, a filter by kind, no horizontal scroll, streamed tokens as text); panes resize and keep their size;
// the picker only chooses a new thread's graph; the breakpoint legend and a run that will pause.
import { expect, test } from "./fixtures";

// Each test starts its own server and runs real graphs: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 90_000 });

test("while a run streams, the conversation and the timeline follow it; a cancelled run reads the same everywhere", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.startLongRun();
  const status = app.testId("run-status");
  // Checked in the page on every frame, so the moment is caught however fast the run goes: the
  // conversation on the run screen shows messages, and the timeline has rows, while the run still runs.
  await app.page.waitForFunction(
    () =>
      document.querySelector('[data-testid="run-status"]')?.getAttribute("data-status") === "running" &&
      document.querySelectorAll('[data-testid="live-conversation"] [data-testid="chat-message"]').length >= 3,
    undefined,
    { polling: "raf" },
  );
  await app.page.waitForFunction(
    () => document.querySelector('[data-testid="run-status"]')?.getAttribute("data-status") === "running" && document.querySelectorAll('[data-testid="timeline-row"]').length >= 6,
    undefined,
    { polling: "raf" },
  );
  await app.shot("run-streaming", info);

  await app.testId("run-cancel").click();
  await expect(status).toHaveText("cancelled");
  await expect(status).toHaveAttribute("data-cancelled", "true");
  const badge = app.testId("open-thread").getByTestId("status-badge");
  await expect(badge).toHaveAttribute("data-status", "idle");
  await expect(app.testId("event-log").locator('[data-type="run.finished"]').last()).toContainText("cancelled");
});

test("the event log reads as text: whole lines, open for detail, filtered by kind, never wider than its pane", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  await app.runSample();
  await app.waitRunEnded();
  const log = app.testId("event-log");
  const list = log.locator("ul");
  const widths = await list.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  // A line wraps at word boundaries instead of cutting words off at the pane's edge.
  const wrap = await log.locator(".log-summary").first().evaluate((el) => getComputedStyle(el).whiteSpace);
  expect(wrap).toBe("normal");

  const finished = log.locator('[data-type="node.finished"]').first();
  await finished.locator(".log-line").click();
  await expect(finished.locator(".log-line")).toHaveAttribute("aria-expanded", "true");
  await expect(finished.getByTestId("json-tree")).toBeVisible();
  await app.shot("event-log-open", info);

  await app.testId("log-filter-nodes").click();
  await expect(app.testId("log-filter-nodes")).toHaveAttribute("aria-pressed", "false");
  await expect(log.locator('[data-type="node.finished"]')).toHaveCount(0);
  await expect(log.locator('[data-type="console"]').first()).toBeVisible();
  await app.testId("log-filter-nodes").click();
  await expect(log.locator('[data-type="node.finished"]').first()).toBeVisible();
});

test("streamed tokens read as one line of text per message", async ({ app }) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const tokens = app.testId("event-log").locator('[data-type="token"]');
  await expect(tokens.filter({ hasText: "Here is what I found: the weather in Paris is 18°C and cloudy" })).toHaveCount(1);
});

test("panes resize with the mouse or the keyboard and keep their size after a reload", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  const divider = app.testId("splitter-run.side");
  const side = app.page.locator(".run-side");
  const before = (await side.boundingBox())!.width;
  await divider.focus();
  for (let i = 0; i < 3; i++) await app.page.keyboard.press("ArrowLeft");
  await expect.poll(async () => Math.round((await side.boundingBox())!.width)).toBe(Math.round(before + 60));
  const timeline = app.testId("timeline");
  const box = (await app.testId("splitter-timeline").boundingBox())!;
  const timelineBefore = (await timeline.boundingBox())!.width;
  await app.page.mouse.move(box.x + 2, box.y + 200);
  await app.page.mouse.down();
  await app.page.mouse.move(box.x + 82, box.y + 200, { steps: 4 });
  await app.page.mouse.up();
  await expect.poll(async () => Math.round((await timeline.boundingBox())!.width)).toBe(Math.round(timelineBefore + 80));
  await app.page.reload();
  await expect(app.page.locator('[data-app-state="ready"]')).toBeVisible();
  expect(Math.round((await side.boundingBox())!.width)).toBe(Math.round(before + 60));
  expect(Math.round((await timeline.boundingBox())!.width)).toBe(Math.round(timelineBefore + 80));
  await app.shot("panes-resized", info);
});

test("the picker chooses a new thread's graph; an open thread always shows its own", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const view = app.testId("graph-view");
  await app.testId("graph-picker").selectOption("fan-out");
  await expect(view).toHaveAttribute("data-graph-id", "react-agent");
  await expect(app.testId("graph-caption")).toHaveText("This thread's graph: react-agent");
  await expect(app.testId("run-target")).toContainText("react-agent");
  await app.page.reload();
  await expect(app.page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(app.testId("graph-picker")).toHaveValue("fan-out");
  await expect(view).toHaveAttribute("data-graph-id", "react-agent");
  await app.shot("own-graph-after-reload", info);
  await app.testId("thread-new").click();
  await expect(view).toHaveAttribute("data-graph-id", "fan-out");
});

test("the breakpoint legend says which click is before and which after; a run that will pause says so first", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  const legend = app.testId("graph-legend");
  await expect(legend).toContainText("click a node: pause before it");
  await expect(legend).toContainText("shift-click: pause after it");
  await expect(app.testId("will-pause")).toHaveCount(0);
  await app.page.locator('[data-testid="graph-node"][data-node-id="tools"]').click();
  await expect(app.testId("will-pause")).toHaveText("Runs pause before tools (breakpoints).");
  await app.page.locator('[data-testid="graph-node"][data-node-id="agent"]').click({ modifiers: ["Shift"] });
  await expect(app.testId("will-pause")).toHaveText("Runs pause before tools; after agent (breakpoints).");
  await app.shot("breakpoints-announced", info);
  await app.runSample();
  await app.waitRunEnded("interrupted");
  await expect(app.testId("paused-banner")).toBeVisible();
  await expect(app.testId("will-pause")).toHaveCount(0);
});
