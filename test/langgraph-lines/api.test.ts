// A part of the SDK session, through the Agent Server API of a real `threadline serve` process on
// the fixture project of every supported LangGraph.js line (installed once per lockfile by
// install.ts): streaming, interrupts, breakpoints, history, replay, updateState and copy.
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThreadline, type RunningProcess } from "../langgraph-compat/servers";
import { LINES, installLine, pinnedVersion, type Line } from "./install";

type Values = Record<string, unknown>;

const servers = new Map<Line, RunningProcess>();

beforeAll(async () => {
  const dirs = await Promise.all(LINES.map((line) => installLine(line)));
  await Promise.all(LINES.map(async (line, i) => servers.set(line, await startThreadline(dirs[i]))));
}, 240_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

describe.each(LINES)("LangGraph.js %s through the Agent Server API", (line) => {
  const connect = () => {
    const server = servers.get(line)!;
    return new Client({ apiUrl: server.url, apiKey: server.apiKey, callerOptions: { maxRetries: 0 } });
  };

  it("names the project's release and lists its graphs", async () => {
    const server = servers.get(line)!;
    const info = (await (await fetch(`${server.url}/info`, { headers: { "x-api-key": server.apiKey } })).json()) as Values;
    expect(info.langgraph_js_version).toBe(pinnedVersion(line));
    const graphs = (await connect().assistants.search({ limit: 20 })).map((a) => a.graph_id);
    expect(graphs).toEqual(expect.arrayContaining(["agent", "approval", "fanout", "pipeline"]));
  });

  it("streams a tool loop in every mode the inspector reads, with history after it", async () => {
    const client = connect();
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
    const client = connect();
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, "approval", { input: { request: "v2" } });
    expect((await client.threads.get(thread.thread_id)).status).toBe("interrupted");
    const state = await client.threads.getState(thread.thread_id);
    expect(state.tasks[0]?.interrupts.map((i) => i.value)).toEqual([{ question: "Publish this?", draft: "Draft: v2" }]);
    const done = (await client.runs.wait(thread.thread_id, "approval", { command: { resume: "approve" } })) as Values;
    expect(done.outcome).toBe("published Draft: v2");
  });

  it("stops at a breakpoint, takes an update as a node, continues, and copies the thread", async () => {
    const client = connect();
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
