// The same scripted SDK session against `langgraph dev` and `threadline serve`,
// each a real process over the same project; every step's responses must
// match after ids and times are normalised, except the differences listed
// (with their reasons) in differences.ts and the README.
import { writeFileSync } from "node:fs";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutKnownDifferences } from "./differences";
import { startLangGraphDev, startThreadline, type RunningProcess } from "./servers";
import { REACT_INPUT, runSession, type Recording } from "./session";

let reference: RunningProcess | undefined;
let threadline: RunningProcess | undefined;
let expected: Recording;
let actual: Recording;

beforeAll(async () => {
  [reference, threadline] = await Promise.all([startLangGraphDev(), startThreadline()]);
  [expected, actual] = await Promise.all([runSession(reference.url, reference.apiKey), runSession(threadline.url, threadline.apiKey)]);
  if (process.env.COMPAT_DUMP) writeFileSync(process.env.COMPAT_DUMP, JSON.stringify({ expected, actual }, null, 1));
}, 120_000);

afterAll(async () => {
  await Promise.all([reference?.stop(), threadline?.stop()]);
});

describe("the LangGraph API, compared with langgraph dev", () => {
  it("records the same steps", () => {
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
  });

  it("answers every step as langgraph dev does, apart from the listed differences", () => {
    const want = withoutKnownDifferences(expected);
    const got = withoutKnownDifferences(actual);
    for (const step of Object.keys(want)) expect.soft(got[step], step).toEqual(want[step]);
  });

  it("behaves as the session expects on its own terms", () => {
    // Guards against both servers agreeing on something wrong.
    expect(actual["runs.reject"]).toEqual({ status: 422 });
    // agent-chat-ui flows: regenerate branches from the checkpoint before the answer; an edit replaces the question.
    expect(actual["chatUi.regenerate.branchesFromIt"]).toBe(true);
    expect((actual["chatUi.regenerate"] as string[]).at(-1)).toMatch(/2 \+ 3 = 5/);
    expect(actual["chatUi.edit"] as string[]).toContain("human: What is 4 + 4?");
    expect(actual["chatUi.edit"] as string[]).not.toContain("human: What is 2 + 3?");
    expect((actual["chatUi.afterEdit"] as string[]).slice(6, 8)).toEqual(["human: What is 4 + 4?", "ai: Let me calculate 4 + 4."]);
    expect((actual["chatUi.editByUpdate"] as string[]).at(-1)).toBe("human: What is 6 + 1?");
    // Stream options: a resumable stream replays whole, another one not at all; on_disconnect decides the run's fate.
    expect(actual["resumable.replay.same"]).toBe(true);
    expect((actual["resumable.stream"] as string[]).slice(0, 2)).toEqual(["metadata", "updates"]);
    expect(actual["notResumable.join"]).toEqual([]);
    expect(actual["onDisconnect.cancel.status"]).toBe("interrupted");
    expect(actual["onDisconnect.continue.status"]).toBe("success");
    // Assistants: runs take the assistant's config and context, version by version.
    expect(actual["assistants.run"]).toEqual({ said: "hello Ada" });
    expect(actual["assistants.run.ownContext"]).toEqual({ said: "hello Bob" });
    expect(actual["assistants.patch.run"]).toEqual({ said: "hey Ada" });
    expect(actual["assistants.setLatest.run"]).toEqual({ said: "hello Ada" });
    expect(actual["assistants.create.again"]).toEqual({ status: 409 });
    expect(actual["assistants.search.metadata"]).toEqual(["Greeter"]);
    expect(actual["assistants.search.newestFirst"]).toEqual(["Second", "Greeter"]);
    expect(actual["assistants.count"]).toBe(2);
    expect(actual["assistants.delete.count"]).toBe(0);
    expect(actual["assistants.delete.get"]).toEqual({ status: 404 });
    expect(actual["fork.parent.isOld"]).toBe(true);
    expect(actual["delete.get"]).toEqual({ status: 404 });
    expect(actual["ifNotExists.missing"]).toEqual({ status: 404 });
    expect(actual["assistants.subgraphs.names"]).toEqual(["research"]);
    expect((actual["assistants.subgraphs.stateKeys"] as string[][])[0]).toContain("subtopic");
    expect(actual["multitask.rollback.first"]).toEqual({ status: 404 });
    // Rolled back: the thread holds the quick run's four messages only (question, tool call, tool, answer).
    expect(actual["multitask.rollback.messages"]).toBe(4);
    expect(actual["multitask.interrupt.first"]).toEqual({ ok: "interrupted" });
    expect(actual["multitask.enqueue.first"]).toEqual({ ok: "success" });
    expect(actual["multitask.enqueue.answer"]).toMatch(/2 \+ 3 = 5/);
    expect(actual["cancel.status"]).toBe("interrupted");
    expect(actual["breakpoint.before.next"]).toEqual(["review"]);
    expect(actual["error.thread.status"]).toBe("error");
    expect(actual["search.values"]).toEqual(["hitl", "hitl"]);
    expect(actual["count.values"]).toBe(2);
    expect((actual["fork.resume"] as { outcome: string }).outcome).toBe("sent");
    expect(actual["history.length"]).toBeGreaterThan(6);
    const page1 = actual["history.page1"] as { metadata: { step: number } }[];
    const page2 = actual["history.page2"] as { metadata: { step: number } }[];
    expect(page1.map((s) => s.metadata.step)).toEqual([5, 4, 3]);
    expect(page2.map((s) => s.metadata.step)).toEqual([2, 1, 0]);
    // The store: items, order, filters, namespaces, and a memory graph's second thread recalling the first.
    expect(actual["store.get"]).toMatchObject({ key: "prefs", value: { theme: "dark", n: 3 }, namespace: ["<id>", "users", "u1"] });
    expect(actual["store.get.missing"]).toBeNull();
    expect((actual["store.search.all"] as { items: { key: string }[] }).items.map((i) => i.key)).toEqual(["prefs", "food", "prefs", "readme"]);
    expect((actual["store.search.operators"] as { items: { value: { n: number } }[] }).items.map((i) => i.value.n)).toEqual([7, 5]);
    expect(actual["store.namespaces.depth"]).toEqual({ namespaces: [["<id>", "docs"], ["<id>", "users"]] });
    expect(actual["store.update.order"]).toEqual(["prefs", "food"]);
    expect(actual["store.delete"]).toBeNull();
    expect(actual["store.put.emptyNamespace"]).toEqual({ status: 400 });
    expect(actual["store.memory.first"]).toMatchObject({ recalled: [], known: 1 });
    expect(actual["store.memory.second"]).toMatchObject({ recalled: ["I like green tea"], known: 2 });
  });
});

describe("Threadline's LangGraph API", () => {
  it("refuses a client without the launch token, saying where the SDK's key comes from", async () => {
    const response = await fetch(`${threadline!.url}/threads/search`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/x-api-key/);
    expect(body.message).toMatch(/LANGGRAPH_API_KEY|LANGSMITH_API_KEY/);
    const client = new Client({ apiUrl: threadline!.url, apiKey: "wrong", callerOptions: { maxRetries: 0 } });
    await expect(client.assistants.search()).rejects.toMatchObject({ status: 401 });
  });

  it("refuses a store item under LangGraph's reserved root, or a value it cannot keep, saying why and writing nothing", async () => {
    const client = new Client({ apiUrl: threadline!.url, apiKey: threadline!.apiKey, callerOptions: { maxRetries: 0 } });
    await expect(client.store.putItem(["langgraph", "x"], "k", { a: 1 })).rejects.toMatchObject({ status: 422 });
    const response = await fetch(`${threadline!.url}/store/items`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-api-key": threadline!.apiKey },
      body: JSON.stringify({ namespace: ["langgraph", "x"], key: "k", value: { a: 1 } }),
    });
    expect(((await response.json()) as { message: string }).message).toMatch(/reserved/);
    expect(await client.store.listNamespaces({ prefix: ["langgraph"] })).toEqual({ namespaces: [] });
  });

  it("gives the graphs' schemas and resumes a resumable stream after its last event id", async () => {
    const client = new Client({ apiUrl: threadline!.url, apiKey: threadline!.apiKey, callerOptions: { maxRetries: 0 } });
    const schemas = await client.assistants.getSchemas("react-agent");
    expect(schemas.graph_id).toBe("react-agent");
    expect(schemas.input_schema).toMatchObject({ type: "object" });

    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "react-agent", { input: REACT_INPUT, streamMode: ["values", "updates"], streamResumable: true });
    const all: { id?: string; event: string }[] = [];
    for await (const event of client.runs.joinStream(thread.thread_id, run.run_id)) all.push(event as { id?: string; event: string });
    expect(all[0]!.event).toBe("metadata");
    const middle = all[Math.floor(all.length / 2)]!;
    expect(middle.id).toBeTruthy();
    const rest: { event: string }[] = [];
    for await (const event of client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: middle.id! })) rest.push(event);
    expect(rest.map((e) => e.event)).toEqual(all.slice(all.indexOf(middle) + 1).map((e) => e.event));
  });

  it("streams debug, tasks and messages events with subgraph namespaces", async () => {
    const client = new Client({ apiUrl: threadline!.url, apiKey: threadline!.apiKey, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create();
    const names = new Set<string>();
    for await (const event of client.runs.stream(thread.thread_id, "fan-out", {
      input: { topic: "tides", aspects: 2 },
      streamMode: ["debug", "tasks", "values"],
      streamSubgraphs: true,
    })) {
      names.add(event.event.replace(/:[^|]+/g, ":<task>"));
    }
    expect([...names].sort()).toEqual(
      ["metadata", "debug", "debug|research:<task>", "tasks", "tasks|research:<task>", "values", "values|research:<task>"].sort(),
    );
    const messages = new Set<string>();
    const chat = await client.threads.create();
    for await (const event of client.runs.stream(chat.thread_id, "react-agent", { input: REACT_INPUT, streamMode: ["messages"] })) {
      messages.add(event.event);
    }
    expect([...messages].sort()).toEqual(["messages/complete", "messages/metadata", "messages/partial", "metadata"]);
  });

  it("streams every run of a thread to a client that joined the thread's stream, each in its own modes", async () => {
    const client = new Client({ apiUrl: threadline!.url, apiKey: threadline!.apiKey, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create();
    const controller = new AbortController();
    const seen: { event: string; data: unknown }[] = [];
    const joined = (async () => {
      try {
        for await (const event of client.threads.joinStream(thread.thread_id, { signal: controller.signal })) seen.push(event);
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    })();
    // Two runs, one after the other, started after the client joined; the second resumes the first's interrupt.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const first = await client.runs.create(thread.thread_id, "human-in-the-loop", { input: { request: "ship it" }, streamMode: ["updates"] });
    await client.runs.join(thread.thread_id, first.run_id);
    const second = await client.runs.create(thread.thread_id, "human-in-the-loop", { command: { resume: "approve" }, streamMode: ["updates"] });
    await client.runs.join(thread.thread_id, second.run_id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await joined;
    const updated = seen.filter((e) => e.event === "updates").map((e) => Object.keys(e.data as object)[0]);
    expect(updated).toEqual(["draft_email", "__interrupt__", "review", "send"]);
    expect(seen.some((e) => e.event === "values")).toBe(false);
  });
});
