// The run composer's form (issue 15): made from the graph's input JSON schema, in step with the JSON tab both
// ways, a chat box for a messages channel, and JSON alone for a graph whose input has no schema.
import path from "node:path";
import { call, expect, test } from "./fixtures";

// Each test runs a real graph on a loaded 2-core machine.
test.describe.configure({ timeout: 60_000 });

test("the fan-out graph's form fills its input, stays in step with the JSON tab, and its input reaches the thread", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("fan-out");
  await expect(app.testId("input-tab-form")).toHaveAttribute("aria-selected", "true");
  const topic = app.testId("run-field-topic");
  const aspects = app.testId("run-field-aspects");
  await expect(topic).toHaveValue("tidal energy");
  await expect(aspects).toHaveValue("3");
  await expect(app.page.getByLabel(/^aspects/)).toBeVisible();

  await topic.fill("wind power");
  await aspects.fill("2.5");
  await expect(app.page.locator("#run-field-aspects-error")).toHaveText("2.5 is not a whole number");
  await expect(aspects).toHaveAttribute("aria-invalid", "true");
  await expect(app.testId("run-submit")).toBeDisabled();
  await aspects.fill("9");
  await expect(app.testId("input-errors")).toContainText("input.aspects: must be at most 6");
  await aspects.fill("2");
  await expect(app.testId("input-errors")).toHaveCount(0);
  await app.testId("run-field-subtopics-add").click();
  await app.testId("run-field-subtopics-0").fill("cost");
  await app.shot("run-form", info);

  // Form → JSON.
  await app.testId("input-tab-json").click();
  const json = app.testId("run-input");
  expect(JSON.parse(await json.inputValue())).toEqual({ topic: "wind power", aspects: 2, subtopics: ["cost"] });
  // Broken JSON: said where, Run blocked, and the form says why it has nothing to show.
  await json.fill('{"topic": "solar",');
  await expect(app.testId("input-errors")).toContainText(/Input: .*line 1/);
  await expect(app.testId("run-submit")).toBeDisabled();
  await app.testId("input-tab-form").click();
  await expect(app.testId("form-unavailable")).toContainText("not valid JSON");
  // The tabs work from the keyboard.
  await app.testId("input-tab-form").focus();
  await app.page.keyboard.press("ArrowRight");
  await expect(app.testId("input-tab-json")).toBeFocused();
  await expect(app.testId("input-tab-json")).toHaveAttribute("aria-selected", "true");

  // JSON → form.
  await json.fill('{"topic": "solar", "aspects": 4}');
  await app.testId("input-tab-form").click();
  await expect(topic).toHaveValue("solar");
  await expect(aspects).toHaveValue("4");
  await expect(app.testId("run-field-subtopics-0")).toHaveCount(0);
  await aspects.fill("2");

  const threadId = await app.runSample();
  await app.waitRunEnded();
  const state = await call<{ values: { topic: string; aspects: number; findings: unknown[]; report: string } }>(app.server, "state.get", { threadId });
  expect(state.values).toMatchObject({ topic: "solar", aspects: 2 });
  expect(state.values.findings).toHaveLength(2);
  expect(state.values.report).toContain("Report on solar");
});

test("a messages channel gets a chat box whose message, with its role, starts the run", async ({ app }, info) => {
  await app.open();
  await app.pickGraph("react-agent");
  const message = app.testId("run-field-messages");
  await expect(message).toHaveValue("What's the weather in Paris, and what is (12 + 3) * 7?");
  await expect(app.testId("run-field-messages-role")).toHaveValue("user");
  await message.fill("What's the weather in Oslo?");
  await app.shot("run-form-messages", info);
  await app.testId("input-tab-json").click();
  expect(JSON.parse(await app.testId("run-input").inputValue())).toEqual({ messages: [{ role: "user", content: "What's the weather in Oslo?" }] });
  // Two messages are more than one chat box: the form edits that key as JSON.
  await app.testId("run-input").fill(JSON.stringify({ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Weather in Lima?" }] }));
  await app.testId("input-tab-form").click();
  await expect(app.page.locator('[data-field="messages"]')).toHaveAttribute("data-kind", "json");
  await app.testId("run-field-messages").fill(JSON.stringify([{ role: "user", content: "What's the weather in Oslo?" }]));
  await expect(app.page.locator('[data-field="messages"]')).toHaveAttribute("data-kind", "messages");

  const threadId = await app.runSample();
  await app.waitRunEnded();
  const state = await call<{ values: { messages: unknown[] } }>(app.server, "state.get", { threadId });
  expect(JSON.stringify(state.values.messages[0])).toContain("What's the weather in Oslo?");
  expect(JSON.stringify(state.values.messages.at(-1))).toContain("Oslo");
});

test.describe("a graph without an input schema", () => {
  test.use({ projectDir: path.resolve(import.meta.dirname, "..", "test", "fixtures", "projects", "functional") });

  test("is edited as JSON only, with broken JSON blocking the run", async ({ app }) => {
    await app.open();
    await app.pickGraph("echo");
    await expect(app.testId("input-tab-form")).toHaveCount(0);
    await expect(app.testId("input-tab-json")).toHaveAttribute("aria-selected", "true");
    const json = app.testId("run-input");
    await expect(json).toHaveValue("{}");
    await json.fill('{"note": "no form"');
    await expect(app.testId("input-errors")).toContainText("Input:");
    await expect(json).toHaveAttribute("aria-invalid", "true");
    await expect(json).toHaveAccessibleDescription(/Input: .*line 1/);
    await expect(app.testId("run-submit")).toBeDisabled();
    await json.fill('{"note": "no form"}');
    const threadId = await app.runSample();
    await app.waitRunEnded();
    const state = await call<{ values: unknown }>(app.server, "state.get", { threadId });
    expect(state.values).toEqual({ echoed: { note: "no form" } });
  });
});

test.describe("a project graph whose schemas arrive after the page shows it", () => {
  test.use({ projectDir: path.resolve(import.meta.dirname, "..", "test", "fixtures", "projects", "basic") });

  test("an untouched input takes the schema's skeleton; one the user is in or has typed is kept, on the JSON tab", async ({ app }) => {
    // Each graph's detail (drawing and schemas) waits until the test lets it through.
    const gates = new Map<string, () => void>();
    const held = new Map<string, Promise<void>>();
    for (const id of ["greeter", "counter"]) held.set(id, new Promise<void>((resolve) => gates.set(id, resolve)));
    await app.page.route("**/api/calls/graphs.get", async (route) => {
      const { graphId } = route.request().postDataJSON() as { graphId: string };
      await held.get(graphId);
      await route.continue();
    });
    await app.open();
    await app.testId("graph-picker").selectOption("greeter");
    const json = app.testId("run-input");
    await expect(json).toHaveValue("{}");
    gates.get("greeter")!();
    await expect(app.page.locator('[data-testid="graph-view"][data-graph-id="greeter"]')).toBeVisible();
    // Its typed schemas (read from its TypeScript types) bring the Form tab: the skeleton shows on the JSON tab.
    await expect(app.testId("schemas-pending")).toHaveCount(0);
    await expect(await app.jsonInput()).toHaveValue(/"name"/);

    // Another graph starts from its own input, which its schemas do not replace while the user is in it
    // (keystrokes would land after the new text), and what is typed stays.
    await app.testId("graph-picker").selectOption("counter");
    await expect(json).toHaveValue("{}");
    await json.focus();
    gates.get("counter")!();
    await expect(app.page.locator('[data-testid="graph-view"][data-graph-id="counter"]')).toBeVisible();
    await expect(app.testId("input-tab-form")).toBeVisible();
    await expect(app.testId("input-tab-json")).toHaveAttribute("aria-selected", "true");
    await expect(json).toHaveValue("{}");
    await json.fill('{"limit": 1}');
    await expect(json).toHaveValue('{"limit": 1}');
    const threadId = await app.runSample();
    await app.waitRunEnded();
    const state = await call<{ values: { count: number; limit: number } }>(app.server, "state.get", { threadId });
    expect(state.values).toEqual({ count: 1, limit: 1 });
  });
});

test.describe("an Annotation graph whose TypeScript types are still being read", () => {
  test.use({ projectDir: path.resolve(import.meta.dirname, "..", "test", "fixtures", "projects", "typed") });

  test("the composer says so, then shows the typed form when graphs.schemas answers, without a reload", async ({ app }) => {
    // Whether or not the disk cache already holds them: graphs.get answers "pending" with the keys alone,
    // and graphs.schemas waits until the test lets it through.
    await app.page.route("**/api/calls/graphs.get", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { result: { schemas: Record<string, unknown> } };
      const keys = { type: "object", properties: { topic: {}, budget: {} } };
      body.result.schemas = { ...body.result.schemas, input: keys, pending: true };
      await route.fulfill({ response, json: body });
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await app.page.route("**/api/calls/graphs.schemas", async (route) => {
      await held;
      await route.continue();
    });
    await app.open();
    await app.testId("graph-picker").selectOption("research");
    await expect(app.testId("schemas-pending")).toBeVisible();
    await expect(app.testId("run-field-budget")).toHaveCount(0);
    release();
    await expect(app.testId("schemas-pending")).toHaveCount(0);
    await expect(app.testId("input-tab-form")).toBeVisible();
    await app.testId("input-tab-form").click();
    await expect(app.testId("run-field-budget")).toHaveAttribute("type", /number|text/);
    await expect(app.testId("run-field-topic")).toBeVisible();
  });
});
