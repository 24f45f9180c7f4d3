/// <reference lib="dom" />
// page.evaluate callbacks run in the page.
import { expect, test, call } from "./fixtures";

const node = (app: { page: import("@playwright/test").Page }, id: string) =>
  app.page.locator(`[data-testid="graph-node"][data-node-id="${id}"]`);

test("graph picker draws each example; conditional edges are dashed", async ({ app }, info) => {
  await app.open();
  await expect(app.testId("threads-empty")).toBeVisible();
  await expect(app.testId("timeline")).toHaveAttribute("data-state", "empty");
  await app.pickGraph("react-agent");
  await app.shot("empty", info);
  await expect(node(app, "agent")).toBeVisible();
  await expect(node(app, "tools")).toBeVisible();
  // agent → tools and agent → __end__ are conditional, the others direct.
  await expect(app.page.locator(".react-flow__edge.edge-conditional")).toHaveCount(2);
  await expect(app.page.locator(".react-flow__edge.edge-direct")).toHaveCount(2);
  const dash = await app.page.locator(".react-flow__edge.edge-conditional path.react-flow__edge-path").first().evaluate((el) => getComputedStyle(el).strokeDasharray);
  expect(dash).not.toBe("none");

  await app.pickGraph("human-in-the-loop");
  await expect(node(app, "review")).toBeVisible();
  await expect(node(app, "agent")).toHaveCount(0);
  await app.shot("graph-hitl", info);
});

test("a subgraph expands and collapses", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  await expect(node(app, "research")).toBeVisible();
  await expect(node(app, "research/gather")).toHaveCount(0);
  await node(app, "research").getByTestId("subgraph-toggle").click();
  await expect(node(app, "research/gather")).toBeVisible();
  await expect(node(app, "research/summarize")).toBeVisible();
  await app.shot("graph-subgraph-expanded", info);
  await node(app, "research").getByTestId("subgraph-toggle").first().click();
  await expect(node(app, "research/gather")).toHaveCount(0);
});

test("click sets a breakpoint before, shift-click after; saved per graph", async ({ app, server }) => {
  await app.open();
  await app.pickGraph("react-agent");
  await node(app, "tools").click();
  await expect(node(app, "tools")).toHaveAttribute("data-breakpoint-before", "true");
  await node(app, "agent").click({ modifiers: ["Shift"] });
  await expect(node(app, "agent")).toHaveAttribute("data-breakpoint-after", "true");
  await expect.poll(() => call(server, "breakpoints.get", { graphId: "react-agent" })).toMatchObject({ before: ["tools"], after: ["agent"] });
  // Another graph has its own (none); coming back and reloading keeps them.
  await app.pickGraph("fan-out");
  await expect(app.page.locator("[data-breakpoint-before]")).toHaveCount(0);
  await app.page.reload();
  await expect(app.page.locator('[data-app-state="ready"]')).toBeVisible();
  await app.pickGraph("react-agent");
  await expect(node(app, "tools")).toHaveAttribute("data-breakpoint-before", "true");
  await node(app, "tools").click();
  await expect(node(app, "tools")).not.toHaveAttribute("data-breakpoint-before", "true");
  await expect.poll(() => call(server, "breakpoints.get", { graphId: "react-agent" })).toMatchObject({ before: [] });
});

test("while a run streams the running node is lit, finished nodes show durations", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  // Record every status each node goes through, however fast the run.
  await app.page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { seenStatus: typeof seen }).seenStatus = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        const id = el.dataset.nodeId;
        if (id && el.dataset.status) (seen[id] ??= []).push(el.dataset.status);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
  });
  await app.runSample();
  await app.waitRunEnded();
  const seen = await app.page.evaluate(() => (window as unknown as { seenStatus: Record<string, string[]> }).seenStatus);
  // The agent streams its answer for a while, long enough to be seen running (a fast tool may not be).
  expect(seen.agent).toContain("running");
  await expect(node(app, "agent")).toHaveAttribute("data-status", "done");
  await expect(node(app, "agent").getByTestId("node-duration")).toHaveText(/\d+(\.\d+)? (ms|s)/);
  await expect(node(app, "tools").getByTestId("node-duration")).toBeVisible();
  await app.shot("graph-after-run", info);
});
