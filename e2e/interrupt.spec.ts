import { expect, test, call } from "./fixtures";

test("an interrupted thread shows the interrupt and resumes with a value", async ({ app, server }, info) => {
  await app.open();
  await app.pickGraph("human-in-the-loop");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  const panel = app.testId("interrupt-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("interrupt-value")).toContainText("Send this email?");
  await expect(app.testId("resume-input")).toHaveValue('"approve"');
  await expect(app.testId("event-log").locator('[data-type="interrupt"]')).toContainText("Send this email?");
  await app.shot("interrupt", info);

  // Invalid JSON is caught in the form.
  await app.testId("resume-input").fill("approve");
  await app.testId("resume-submit").click();
  await expect(app.testId("resume-error")).toContainText("needs quotes");

  // An edit asks again, then approve sends.
  await app.testId("resume-input").fill('{"action": "edit", "draft": "Hi all, 2.0 ships Friday."}');
  await app.testId("resume-submit").click();
  await expect(panel.getByTestId("interrupt-value")).toContainText("2.0 ships Friday");
  await panel.getByRole("button", { name: "approve" }).click();
  await app.testId("resume-submit").click();
  await expect(panel).toHaveCount(0);
  await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "idle");
  const state = await call<{ values: { outcome: string; draft: string } }>(server, "state.get", { threadId });
  expect(state.values).toMatchObject({ outcome: "sent", draft: "Hi all, 2.0 ships Friday." });
});
