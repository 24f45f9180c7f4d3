// A project on an old LangGraph.js release (0.2) in the UI: the picker names the release, a run
// stops at a breakpoint, and an edit the release cannot make is refused in words naming it,
// while the same edit through the reducer is made.
import { installLine, lineDir } from "../test/langgraph-lines/install";
import { call, expect, test } from "./fixtures";

test.use({ projectDir: lineDir("0.2") });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await installLine("0.2");
});

test("a 0.2 project: release shown, breakpoint, a replacing edit refused by version, an appending one made", async ({ app, server }, info) => {
  await call(server, "breakpoints.set", { graphId: "pipeline", before: ["second"], after: [] });
  await app.open();
  await app.pickGraph("pipeline");
  await expect(app.testId("graph-langgraph-version")).toHaveText("LangGraph.js 0.2.74");
  await app.fillInput("{}");
  await app.testId("run-submit").click();
  await app.waitRunEnded("interrupted");
  await expect(app.timelineRows()).toHaveCount(3);

  await app.page.locator('[data-testid="timeline-row"][data-step="1"]').click();
  await app.testId("edit-state").click();
  const dialog = app.testId("edit-state-dialog");
  const editor = app.testId("edit-values");
  const values = JSON.parse(await editor.inputValue()) as { count: number };
  await editor.fill(JSON.stringify({ ...values, count: 5 }, null, 2));
  await app.testId("edit-save-run").click();
  await expect(app.testId("notice-error")).toContainText("@langchain/langgraph 0.2.74 cannot do that");
  await expect(app.testId("notice-error")).toContainText("needs LangGraph's Overwrite");
  await app.shot("old-release-edit-refused", info);
  await app.testId("notice-error").getByRole("button", { name: "Dismiss" }).click();

  await dialog.locator('[data-testid="changed-key"][data-key="count"]').getByTestId("through-reducer").check();
  await app.testId("edit-save-run").click();
  await expect(dialog).toHaveCount(0);
  // The new branch stops at the saved breakpoint again.
  await app.waitRunEnded("interrupted");
  const threadId = (await app.testId("open-thread").getAttribute("data-thread-id"))!;
  const state = await call<{ values: { count: number }; next: string[] }>(server, "state.get", { threadId });
  // 1 from "first", then 5 through the reducer.
  expect([state.values.count, state.next]).toEqual([6, ["second"]]);
});
