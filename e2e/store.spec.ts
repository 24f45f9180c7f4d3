// The Store view on a memory graph: two threads of one user, the second recalls what the first
// stored; the store's namespaces as a tree, items searched by filter and by meaning, edited and
// deleted with confirmation; the run's store write in its event log.
import path from "node:path";
import { call, expect, test } from "./fixtures";

test.use({ projectDir: path.resolve(import.meta.dirname, "..", "test", "fixtures", "projects", "memory") });

test("a memory graph's second thread sees the first thread's memories, and the Store view shows, searches, edits and deletes them", async ({ app }, info) => {
  test.setTimeout(60_000);
  await app.open();
  // The project's graphs only: no built-in examples in the picker.
  await expect(app.testId("graph-picker").locator("option")).toHaveText(["memory", "configured"]);
  await app.pickGraph("memory");

  await app.fillInput(JSON.stringify({ user: "ada", message: "I like green tea" }));
  await app.testId("run-submit").click();
  await app.waitRunEnded("success");
  const first = await app.testId("open-thread").getAttribute("data-thread-id");
  await expect(app.page.locator('[data-testid="log-entry"][data-type="store.write"]')).toContainText("put memories/ada/");

  await app.testId("thread-new").click();
  await expect(app.testId("open-thread")).not.toHaveAttribute("data-thread-id", first!);
  await app.fillInput(JSON.stringify({ user: "ada", message: "which tea?" }));
  await app.testId("run-submit").click();
  await app.waitRunEnded("success");
  const second = await app.testId("open-thread").getAttribute("data-thread-id");
  const state = await call<{ values: { recalled: string[]; known: number } }>(app.server, "state.get", { threadId: second });
  expect(state.values).toMatchObject({ recalled: ["I like green tea"], known: 2 });

  // The Store view: the tree, the items.
  await app.testId("open-store").click();
  const view = app.testId("store-view");
  await expect(view.locator('[data-testid="store-namespace"][data-path="memories/ada"]')).toBeVisible();
  await view.locator('[data-testid="store-namespace"][data-path="memories/ada"]').click();
  await expect(view.getByTestId("store-item")).toHaveCount(2);
  await expect(view.getByTestId("store-item").first()).toContainText("I like green tea");

  // Search by meaning, then by filter.
  await view.getByTestId("store-query").fill("green tea");
  await view.getByTestId("store-search").click();
  await expect(view.getByTestId("store-item-score")).toHaveCount(2);
  await view.getByTestId("store-query").fill("");
  await view.getByTestId("store-filter").fill('{"text": "which tea?"}');
  await view.getByTestId("store-search").click();
  await expect(view.getByTestId("store-item")).toHaveCount(1);
  await expect(view.getByTestId("store-item")).toContainText("which tea?");
  await app.shot("store-view", info);

  // Edit: a namespace LangGraph forbids is refused with its reason; a good item is saved.
  await view.getByTestId("store-filter").fill("");
  await view.getByTestId("store-search").click();
  await view.getByTestId("store-new").click();
  const editor = app.testId("store-editor");
  await editor.getByTestId("store-editor-namespace").fill("langgraph/x");
  await editor.getByTestId("store-editor-key").fill("k");
  await editor.getByTestId("store-editor-value").fill('{"text": "no"}');
  await editor.getByTestId("store-editor-save").click();
  await expect(app.testId("notice-error")).toContainText("reserved");
  await editor.getByTestId("store-editor-namespace").fill("memories/ada");
  await editor.getByTestId("store-editor-value").fill('{"text": "prefers oolong"}');
  await editor.getByTestId("store-editor-save").click();
  await expect(editor).toBeHidden();
  await expect(view.locator('[data-testid="store-item"][data-key="k"]')).toContainText("prefers oolong");

  // Delete, with confirmation.
  await view.locator('[data-testid="store-item"][data-key="k"]').getByTestId("store-item-delete").click();
  await app.testId("confirm-ok").click();
  await expect(view.locator('[data-testid="store-item"][data-key="k"]')).toHaveCount(0);
  expect(await call(app.server, "store.get", { namespace: ["memories", "ada"], key: "k" })).toBeNull();
});
