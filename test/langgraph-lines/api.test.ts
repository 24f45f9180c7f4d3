// A part of the SDK session, through the Agent Server API of a real `threadline serve` process on
// the fixture project of every supported LangGraph.js line (installed once per lockfile by
// install.ts): streaming, interrupts, breakpoints, history, replay, updateState and copy.
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThreadline, type RunningProcess } from "../langgraph-compat/servers";
import { FIRST_RELEASE, LINES, installLine, pinnedVersion, type Line } from "./install";

type Values = Record<string, unknown>;

const servers = new Map<Line, RunningProcess>();

const ALL: Line[] = [...LINES, FIRST_RELEASE];

beforeAll(async () => {
  const dirs = await Promise.all(ALL.map((line) => installLine(line)));
  await Promise.all(ALL.map(async (line, i) => servers.set(line, await startThreadline(dirs[i]))));
}, 240_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

const connect = (line: Line) => {
  const server = servers.get(line)!;
  return new Client({ apiUrl: server.url, apiKey: server.apiKey, callerOptions: { maxRetries: 0 } });
};

describe.each(LINES)("LangGraph.js %s through the Agent Server API", (line) => {
  it("names the project's release and lists its graphs", async () => {
    const server = servers.get(line)!;
    const info = (await (await fetch(`${server.url}/info`, { headers: { "x-api-key": server.apiKey } })).json()) as Values;
    expect(info.langgraph_js_version).toBe(pinnedVersion(line));
    const graphs = (await connect(line).assistants.search({ limit: 20 })).map((a) => a.graph_id);
    expect(graphs).toEqual(expect.arrayContaining(["agent", "approval", "fanout", "pipeline"]));
  });

  it("streams a tool loop in every mode the inspector reads, with history after it", async () => {
    const client = connect(line);
    const thread = await client.threads.create();
    const names = new Set<string>();
    let last: Values = {};
    for await (const event of client.runs.stream(thread.thread_id, "agent", {
      input: { messages: [{ role: "user", content: "add" }] },
      streamMode: ["values", "updates", "messages-tuple", "tasks", "debug"],
    })) {
      names.add(event.event);
      if (event.event === "values") last = event.data as Values;
    }
    expect([...names].sort()).toEqual(["debug", "messages", "metadata", "tasks", "updates", "values"]);
    expect((last.messages as { content: unknown }[]).at(-1)?.content).toBe("The sum is 5.");
    const history = await client.threads.getHistory(thread.thread_id, { limit: 3 });
    expect(history.map((s) => s.metadata?.step)).toEqual([3, 2, 1]);
    const older = await client.threads.getState(thread.thread_id, history[2]!.checkpoint.checkpoint_id!);
    expect(older.next).toEqual(["tools"]);
    const replayed = (await client.runs.wait(thread.thread_id, "agent", { checkpointId: older.checkpoint.checkpoint_id! })) as Values;
    expect((replayed.messages as unknown[]).length).toBe(4);
  });

  it("interrupts, and resumes with a command", async () => {
    const client = connect(line);
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, "approval", { input: { request: "v2" } });
    expect((await client.threads.get(thread.thread_id)).status).toBe("interrupted");
    const state = await client.threads.getState(thread.thread_id);
    expect(state.tasks[0]?.interrupts.map((i) => i.value)).toEqual([{ question: "Publish this?", draft: "Draft: v2" }]);
    const done = (await client.runs.wait(thread.thread_id, "approval", { command: { resume: "approve" } })) as Values;
    expect(done.outcome).toBe("published Draft: v2");
  });

  it("stops at a breakpoint, takes an update as a node, continues, and copies the thread", async () => {
    const client = connect(line);
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, "pipeline", { input: {}, interruptBefore: ["second"] });
    expect((await client.threads.getState(thread.thread_id)).next).toEqual(["second"]);
    await client.threads.updateState(thread.thread_id, { values: { count: 5, log: ["edited"] }, asNode: "first" });
    const done = (await client.runs.wait(thread.thread_id, "pipeline", { input: null })) as Values;
    expect(done).toEqual({ count: 116, log: ["first", "edited", "second", "third"] });
    const copy = await client.threads.copy(thread.thread_id);
    expect((await client.threads.getState(copy.thread_id)).values).toEqual(done);
  });
});

describe(`LangGraph.js ${FIRST_RELEASE} through the Agent Server API`, () => {
  it("runs to a breakpoint and on, takes an update, and refuses a command in words naming the release", async () => {
    const client = connect(FIRST_RELEASE);
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, "pipeline", { input: {}, interruptBefore: ["second"] });
    expect((await client.threads.get(thread.thread_id)).status).toBe("interrupted");
    await client.threads.updateState(thread.thread_id, { values: { count: 5 }, asNode: "first" });
    expect(await client.runs.wait(thread.thread_id, "pipeline", { input: null })).toEqual({ count: 116, log: ["first", "second", "third"] });
    const server = servers.get(FIRST_RELEASE)!;
    const response = await fetch(`${server.url}/threads/${thread.thread_id}/runs/wait`, {
      method: "POST",
      headers: { "x-api-key": server.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "pipeline", command: { resume: "x" } }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(await response.json())).toMatch(/needs LangGraph's Command: this project's @langchain\/langgraph 0\.2\.0 cannot do that/);
  });
});
