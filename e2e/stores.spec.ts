// Opening a LangGraph checkpoint store in place from the UI (browser mode): a shared fixture file is
// listed, browsed and copied into Threadline, and the fixture folder is byte-identical afterwards.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { LANGGRAPH_FIXTURES } from "../test/support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const JS_DB = path.join(FIXTURES, "freddymercury__langchain-academy-langgraphjs__example.db");

function folderPrint(): Record<string, string> {
  return Object.fromEntries(readdirSync(FIXTURES).map((n) => [n, createHash("sha256").update(readFileSync(path.join(FIXTURES, n))).digest("hex")]));
}

test("a SqliteSaver file opens in place, read-only, and a thread is copied into Threadline", async ({ app }, info) => {
  test.skip(!existsSync(JS_DB), `no LangGraph fixture database at ${JS_DB}`);
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
