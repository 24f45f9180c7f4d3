// Issue 14, accessibility: axe-core on every main view in both themes (no serious or critical violation),
// and the roles a screen reader relies on: tabs with panels, labelled inputs, landmarks, named graph nodes,
// the diff as a table, messages as a list of articles, the run status in a live region.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, type AppPage } from "./fixtures";

// Each test starts its own server and runs real graphs: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 90_000 });

async function seriousViolations(page: Page, only?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  const results = await (only ? axe.include(only) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
}

async function setTheme(app: AppPage, theme: "light" | "dark"): Promise<void> {
  const html = app.page.locator("html");
  if ((await html.getAttribute("data-theme")) !== theme) await app.testId("theme-toggle").click();
  await expect(html).toHaveAttribute("data-theme", theme);
}

test("every main view passes axe with no serious or critical violation, in both themes", async ({ app }, info) => {
  test.setTimeout(180_000);
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  for (const theme of ["light", "dark"] as const) {
    await setTheme(app, theme);
    await app.tab("run");
    await expect(app.testId("graph-node").first()).toBeVisible();
    expect(await seriousViolations(app.page), `run screen, ${theme}`).toEqual([]);
    await app.shot(`a11y-run-${theme}`, info);

    await app.timelineRows().nth(1).click();
    await app.tab("checkpoint");
    await expect(app.testId("checkpoint-detail")).toBeVisible();
    expect(await seriousViolations(app.page), `checkpoint state, ${theme}`).toEqual([]);
    await app.testId("detail-tab-chat").click();
    await expect(app.testId("chat-view")).toBeVisible();
    expect(await seriousViolations(app.page), `checkpoint chat, ${theme}`).toEqual([]);
    await app.shot(`a11y-checkpoint-chat-${theme}`, info);

    await app.tab("diff");
    await expect(app.testId("diff-view")).toBeVisible();
    expect(await seriousViolations(app.page), `diff, ${theme}`).toEqual([]);
    await app.shot(`a11y-diff-${theme}`, info);

    await app.tab("checkpoint");
    await app.testId("edit-state").click();
    await expect(app.testId("edit-state-dialog")).toBeVisible();
    expect(await seriousViolations(app.page), `edit dialog, ${theme}`).toEqual([]);
    await app.page.keyboard.press("Escape");
  }
});

test("an interrupted thread's resume form and the fan-out graph pass axe too", async ({ app }, info) => {
  test.setTimeout(60_000);
  await app.open();
  // The run input's form, with a field in error.
  await app.pickGraph("fan-out");
  await app.testId("run-field-aspects").fill("x");
  await expect(app.testId("run-field-aspects")).toHaveAttribute("aria-invalid", "true");
  expect(await seriousViolations(app.page, '[data-testid="run-composer"]'), "run input form").toEqual([]);
  await app.pickGraph("human-in-the-loop");
  await app.runSample();
  await app.waitRunEnded("interrupted");
  await expect(app.testId("interrupt-panel")).toBeVisible();
  expect(await seriousViolations(app.page), "interrupt panel").toEqual([]);
  await app.testId("thread-new").click();
  await app.pickGraph("fan-out");
  await expect(app.testId("graph-node").first()).toBeVisible();
  expect(await seriousViolations(app.page), "fan-out graph").toEqual([]);
  await app.shot("a11y-fan-out", info);
});

test("tabs, labels, landmarks, named nodes, the diff table, message articles and the run status live region", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const page = app.page;

  // Landmarks: the banner, the thread list, the timeline and the open thread's main region.
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Threads" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" })).toBeVisible();
  await expect(page.getByRole("main", { name: "Open thread" })).toBeVisible();

  // Tabs name their panels; arrow keys move between them.
  const runTab = page.getByRole("tab", { name: "Graph & run" });
  await expect(runTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "Graph & run" })).toBeVisible();
  await runTab.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Checkpoint" })).toBeFocused();
  await expect(page.getByRole("tabpanel", { name: "Checkpoint" })).toBeVisible();
  await page.keyboard.press("ArrowLeft");

  // Inputs have names (the run input's form field, and the whole input on the JSON tab); the run status is announced.
  await expect(page.getByRole("textbox", { name: "messages: message text" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "messages: role" })).toBeVisible();
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(page.getByRole("textbox", { name: "Input (JSON)" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "New thread graph" })).toBeVisible();
  await expect(page.getByRole("searchbox", { name: /Search threads/ })).toBeVisible();
  await expect(page.getByRole("status", { name: "Run status: success" })).toHaveAttribute("aria-live", "polite");

  // Graph nodes are named by what they are and how they ran.
  await expect(page.getByRole("button", { name: /^agent node, done \d+ ms/ })).toBeVisible();
  await page.getByRole("button", { name: /^tools node/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: /^tools node.*breakpoint before/ })).toBeVisible();
  await page.keyboard.press("Enter");

  // Chat messages are a list of articles.
  await page.locator('[data-testid="timeline-row"]').first().click();
  await app.testId("detail-tab-chat").click();
  const messages = page.getByRole("list", { name: "Messages" }).getByRole("article");
  expect(await messages.count()).toBeGreaterThanOrEqual(2);
  await expect(messages.first()).toHaveAccessibleName(/^user/);

  // The diff is a table with column headers and one row header per path.
  await app.tab("diff");
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "before" })).toBeVisible();
  await expect(table.getByRole("rowheader").first()).toBeVisible();
  await app.shot("a11y-roles-diff", info);
});
