import { expect, test, call } from "./fixtures";

test("the composer is prefilled with the graph's input and checks it before running", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  const input = await app.jsonInput();
  await expect(input).toHaveValue(/"topic": "tidal energy"/);
  await input.fill('{"topic": "wind", "aspects": 2,');
  await expect(app.testId("input-errors")).toContainText(/Input: .*line 1/);
  await expect(app.testId("run-submit")).toBeDisabled();
  await input.fill('{"topic": 42}');
  await expect(app.testId("input-errors")).toContainText("input.topic: expected string, got integer");
  await app.shot("composer-errors", info);
  await input.fill('{"topic": "wind", "aspects": 2}');
  await expect(app.testId("input-errors")).toHaveCount(0);
  await app.page.getByRole("button", { name: "Config" }).click();
  await app.testId("run-config").fill("[1]");
  await expect(app.testId("input-errors")).toContainText("Config: must be a JSON object");
  await app.testId("run-config").fill('{"recursion_limit": 40}');
  const threadId = await app.runSample();
  await app.waitRunEnded();
  const state = await call<{ values: { report: string } }>(app.server, "state.get", { threadId });
  expect(state.values.report).toContain("Report on wind");
});

test("the event log streams nodes, updates, tokens, checkpoints and console output", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.runSample();
  await app.waitRunEnded();
  const log = app.testId("event-log");
  for (const type of ["run.started", "node.started", "node.finished", "token", "checkpoint", "run.finished"]) {
    await expect(log.locator(`[data-type="${type}"]`).first()).toBeAttached();
  }
  // Tokens of one message merge into one line of text.
  await expect(log.locator('[data-type="token"]').first()).toContainText(/\w+ \w+/);
  await app.shot("event-log", info);

  await app.pickGraph("fan-out");
  const previous = await app.testId("open-thread").getAttribute("data-thread-id");
  await app.testId("thread-new").click();
  await expect(app.testId("open-thread")).not.toHaveAttribute("data-thread-id", previous!);
  await app.testId("run-submit").click();
  await app.waitRunEnded();
  await expect(log.locator('[data-type="console"]').first()).toContainText("planning 3 subtopics");
});

test("breakpoints pause a run; Step runs one superstep, Continue runs on", async ({ app, server }, info) => {
  await call(server, "breakpoints.set", { graphId: "react-agent", before: ["tools"], after: [] });
  await app.open();
  await app.pickGraph("react-agent");
  const threadId = await app.runSample();
  await app.waitRunEnded("interrupted");
  await expect(app.testId("paused-banner")).toContainText("Paused before tools");
  await expect(app.page.locator('[data-testid="graph-node"][data-node-id="tools"]')).toHaveAttribute("data-paused", "true");
  await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "interrupted");
  await app.shot("paused-at-breakpoint", info);
  const before = await app.timelineRows().count();
  await app.testId("run-step").click();
  await expect(app.timelineRows()).toHaveCount(before + 1);
  await app.waitRunEnded("interrupted");
  // Each Continue runs to the next breakpoint (tools again, after the agent's next turn) or to the end.
  for (let i = 0; i < 4; i++) {
    const status = app.testId("run-status");
    const previous = (await status.getAttribute("data-run-id"))!;
    await app.testId("run-continue").click();
    await expect(status).not.toHaveAttribute("data-run-id", previous);
    await expect(status).toHaveAttribute("data-status", /success|interrupted/);
    if ((await status.getAttribute("data-status")) === "success") break;
    await expect(app.testId("paused-banner")).toBeVisible();
  }
  await expect(app.testId("open-thread").getByTestId("status-badge")).toHaveAttribute("data-status", "idle");
  const state = await call<{ next: string[] }>(server, "state.get", { threadId });
  expect(state.next).toEqual([]);
});

test("Cancel stops a streaming run", async ({ app }) => {
  await app.open();
  await app.pickGraph("react-agent");
  await app.startLongRun();
  await app.testId("run-cancel").click();
  await expect(app.testId("run-status")).toHaveText("cancelled");
  await expect(app.testId("run-cancel")).toBeDisabled();
  await expect(app.testId("event-log").locator('[data-type="run.finished"]')).toContainText("cancelled");
});
