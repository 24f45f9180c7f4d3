// Opening a LangGraph checkpoint store in place from the UI (browser mode): a shared fixture file is
// listed, browsed and copied into Threadline, and the fixture folder is byte-identical afterwards.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { JS_SAVER_DB, LANGGRAPH_FIXTURES, fixtureCheck } from "../test/support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const JS_DB = JS_SAVER_DB;

// The shared fixtures (../shared/fixtures) come with the project's checkout; without them there is nothing to open.
const fixture = fixtureCheck(JS_DB);
test.skip(fixture.missing, fixture.reason);

function folderPrint(): Record<string, string> {
  return Object.fromEntries(readdirSync(FIXTURES).map((n) => [n, createHash("sha256").update(readFileSync(path.join(FIXTURES, n))).digest("hex")]));
}

test("a SqliteSaver file opens in place, read-only, and a thread is copied into Threadline", async ({ app }, info) => {
  const before = folderPrint();
  await app.open();
  await app.testId("source-open").click();
  await app.testId("source-location").fill(path.join(FIXTURES, "no-such-file.sqlite"));
  await app.testId("source-open-ok").click();
  await expect(app.testId("source-open-error")).toContainText("does not exist");
  await app.testId("source-location").fill(JS_DB);
  await app.testId("source-open-ok").click();
  await expect(app.testId("source-label")).toHaveText(JS_DB);
  await expect(app.threadRow("1")).toBeVisible();
  await expect(app.threadRow("2")).toBeVisible();
  await app.threadRow("1").click();
  await expect(app.timelineRows()).toHaveCount(16);
  await app.shot("store-open", info);

  await app.testId("copy-to-local").click();
  await expect(app.testId("source-switcher")).toHaveAttribute("data-source-kind", "local");
  await expect(app.threadRow("1")).toBeVisible();
  await expect(app.timelineRows()).toHaveCount(16);
  // The opened file is still one click away, and remembered without a password.
  await app.testId("source-open").click();
  await expect(app.testId("recent-sources")).toContainText(JS_DB);
  expect(folderPrint()).toEqual(before);
});

test("on a store opened in place, what writes copies the thread into Threadline first and goes on there", async ({ app }) => {
  const before = folderPrint();
  await app.open();
  await app.testId("source-open").click();
  await app.testId("source-location").fill(JS_DB);
  await app.testId("source-open-ok").click();
  await expect(app.testId("source-label")).toHaveText(JS_DB);
  // Nothing offers to change the store: no new, imported, renamed or deleted thread there.
  await expect(app.testId("thread-new")).toBeDisabled();
  await expect(app.testId("thread-import")).toBeDisabled();
  await expect(app.threadRow("1").getByTestId("thread-delete")).toHaveCount(0);
  await expect(app.threadRow("1").getByTestId("thread-rename")).toHaveCount(0);
  await app.threadRow("1").click();
  await expect(app.testId("run-read-only")).toContainText("copies the thread into Threadline");
  await expect(app.testId("graph-unavailable")).toContainText("no graphs");
  await expect(app.timelineRows()).toHaveCount(16);

  // Fork into a new thread at step 5: the thread is copied, then forked in Threadline's store.
  const step5 = app.page.locator('[data-testid="timeline-row"][data-step="5"]').first();
  await step5.click();
  await app.tab("checkpoint");
  await expect(app.testId("fork-thread")).toHaveAttribute("title", /^Copies this thread into Threadline's own store/);
  await app.testId("fork-thread").click();
  await expect(app.testId("source-switcher")).toHaveAttribute("data-source-kind", "local");
  await expect(app.testId("open-thread")).not.toHaveAttribute("data-thread-id", "1");
  // The fork's history is step 5's ancestry (steps -1 to 5), its head that checkpoint's state.
  await expect(app.timelineRows()).toHaveCount(7);
  await expect(app.threadRow("1")).toBeVisible();
  await expect(app.page.locator('[data-testid="thread-row"]')).toHaveCount(2);
  await expect(app.timelineRows().first()).toHaveAttribute("data-step", "5");
  expect(folderPrint()).toEqual(before);
});
