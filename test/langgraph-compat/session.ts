// One scripted session with LangGraph's official SDK client, run unchanged
// against `langgraph dev` and against `threadline serve`: every response it
// sees is recorded under a step name, normalised (ids and times), so that the
// two recordings can be compared step by step.
import { Client } from "@langchain/langgraph-sdk";
import { runAssistantsSession } from "./assistants-session";
import { runChatUiSession } from "./chat-ui-session";
import { runStoreSession } from "./store-session";
import { runStreamSession } from "./stream-session";

export type Recording = Record<string, unknown>;

interface SseEvent {
  event: string;
  data: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const INTERRUPT_ID = /^[0-9a-f]{32}$/;
const MESSAGE_ID = /^run-[0-9a-f-]{36}(-tool-.*)?$/;
const SERVER_URL = /^http:\/\/127\.0\.0\.1:\d+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Ids and times differ on every run: replace them by placeholders; keep everything else. */
export function normalise(value: unknown): unknown {
  if (typeof value === "string") {
    if (ISO_TIME.test(value)) return "<time>";
    // Interrupt ids hash the task's checkpoint; LangChain names a message after the run that made it, or not.
    if (INTERRUPT_ID.test(value) || MESSAGE_ID.test(value)) return "<id>";
    // The server's own address (langgraph_api_url): each server listens on a port of its own.
    if (SERVER_URL.test(value)) return "<url>";
    return value.replace(UUID, "<id>");
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(UUID, "<id>"), normalise(v)]));
  }
  return value;
}

async function collect(stream: AsyncIterable<unknown>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const chunk of stream) {
    const { event, data } = chunk as SseEvent;
    events.push({ event, data });
  }
  return events;
}

/** How an SDK call failed: its HTTP status and the server's message. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const result = await call();
    return { ok: result };
  } catch (error) {
    const e = error as { status?: number; message?: string };
    return { status: e.status ?? null };
  }
}

const sortBy = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));

export const REACT_INPUT = { messages: [{ role: "user", content: "What's the weather in Paris, and what is (12 + 3) * 7?" }] };
const SLOW_INPUT = {
  messages: [{ role: "user", content: Array.from({ length: 10 }, (_, i) => `weather in Town${"abcdefghij"[i]}`).join(", ") + "." }],
};
const HITL_INPUT = { request: "the 2.0 release is ready for testing" };

export async function runSession(url: string, apiKey: string): Promise<Recording> {
  const client = new Client({ apiUrl: url, apiKey, callerOptions: { maxRetries: 0 } });
  const rec: Recording = {};
  const record = (step: string, value: unknown) => {
    rec[step] = normalise(JSON.parse(JSON.stringify(value ?? null)));
  };
  const meta = { session: "compat" };

  // -- assistants: one per graph, found by graph id too
  const infoResponse = await fetch(`${url}/info`, { headers: { "x-api-key": apiKey } });
  record("info.status", infoResponse.status);
  const assistants = await client.assistants.search({ limit: 10 });
  record("assistants.search", sortBy(assistants, (a) => a.graph_id));
  const agent = await client.assistants.get("react-agent");
  record("assistants.get", agent);
  record("assistants.get.byId", (await client.assistants.get(agent.assistant_id)).graph_id);
  const drawing = await client.assistants.getGraph("react-agent");
  record("assistants.graph.nodes", sortBy(drawing.nodes.map((n) => String(n.id)), (id) => id));
  record("assistants.graph.edges", sortBy(drawing.edges.map((e) => `${e.source}->${e.target}${e.conditional ? "?" : ""}`), (e) => e));
  // The drawing as LangGraph writes it: node classes, the tool list, schema nodes, `conditional` on every edge.
  record("assistants.graph", drawing);
  record("assistants.graph.xray", await client.assistants.getGraph("fan-out", { xray: true }));
  const subgraphs = await client.assistants.getSubgraphs("fan-out", { recurse: true });
  record("assistants.subgraphs.names", Object.keys(subgraphs).sort());
  record("assistants.subgraphs.stateKeys", Object.values(subgraphs).map((s) => Object.keys((s as { state?: { properties?: object } }).state?.properties ?? {}).sort()));
  // Not getSchemas: langgraph dev derives schemas with the TypeScript compiler, which takes ~30 s and then fails on these graphs.
  record("assistants.unknown", await failure(() => client.assistants.get("no-such-graph")));
  await runAssistantsSession(client, record);

  // -- a ReAct run, streamed in every mode
  const t1 = await client.threads.create({ metadata: { ...meta, kind: "react" } });
  record("threads.create", t1);
  const reactEvents = await collect(
    client.runs.stream(t1.thread_id, "react-agent", {
      input: REACT_INPUT,
      streamMode: ["values", "updates", "messages-tuple", "custom"],
    }),
  );
  record("react.stream.names", reactEvents.map((e) => e.event));
  record("react.stream.values", reactEvents.filter((e) => e.event === "values").at(-1));
  record("react.stream.updates", reactEvents.filter((e) => e.event === "updates"));
  record("react.stream.messages.first", reactEvents.find((e) => e.event === "messages"));
  record("react.thread", await client.threads.get(t1.thread_id));
  const head = await client.threads.getState(t1.thread_id);
  record("react.state", head);

  // -- history, paged
  const page1 = await client.threads.getHistory(t1.thread_id, { limit: 3 });
  record("history.page1", page1);
  const page2 = await client.threads.getHistory(t1.thread_id, {
    limit: 3,
    // langgraph dev takes the checkpoint id here, although the SDK's type says a config.
    before: page1.at(-1)!.checkpoint.checkpoint_id as never,
  });
  record("history.page2", page2);
  const full = await client.threads.getHistory(t1.thread_id, { limit: 100 });
  record("history.length", full.length);
  record("history.byMetadata", await client.threads.getHistory(t1.thread_id, { metadata: { source: "input" } }));
  const old = full.find((s) => s.metadata?.step === 1)!;
  record("state.atCheckpoint", await client.threads.getState(t1.thread_id, old.checkpoint.checkpoint_id!));
  record("state.atCheckpoint.post", await client.threads.getState(t1.thread_id, old.checkpoint));

  // -- replay from an old checkpoint: the nodes after it run again
  const replayed = await client.runs.wait(t1.thread_id, "react-agent", { checkpointId: old.checkpoint.checkpoint_id! });
  record("replay.wait", replayed);
  record("replay.history.length", (await client.threads.getHistory(t1.thread_id, { limit: 100 })).length);
  record("replay.state.parent", (await client.threads.getState(t1.thread_id)).metadata?.step);

  // -- human in the loop: interrupt, resume with an edit
  const t2 = await client.threads.create({ metadata: { ...meta, kind: "hitl" } });
  const hitlEvents = await collect(client.runs.stream(t2.thread_id, "human-in-the-loop", { input: HITL_INPUT, streamMode: ["values", "updates"] }));
  record("hitl.stream", hitlEvents);
  record("hitl.thread", await client.threads.get(t2.thread_id));
  record("hitl.state", await client.threads.getState(t2.thread_id));
  const edited = await client.runs.wait(t2.thread_id, "human-in-the-loop", {
    command: { resume: { action: "edit", draft: "Edited: ship it" } },
  });
  record("hitl.resume.edit", edited);

  // -- fork: update state at an old checkpoint, then continue from the branch
  const hitlHistory = await client.threads.getHistory(t2.thread_id, { limit: 100 });
  const beforeReview = hitlHistory.find((s) => s.metadata?.step === 1 && s.next.includes("review"))!;
  const forked = await client.threads.updateState(t2.thread_id, {
    values: { draft: "Forked draft" },
    checkpointId: beforeReview.checkpoint.checkpoint_id!,
    asNode: "draft_email",
  });
  record("fork.update", forked);
  const forkState = await client.threads.getState(t2.thread_id);
  record("fork.state", forkState);
  record("fork.parent.isOld", forkState.parent_checkpoint?.checkpoint_id === beforeReview.checkpoint.checkpoint_id);
  record("fork.continue", await client.runs.wait(t2.thread_id, "human-in-the-loop", { input: null }));
  record("fork.resume", await client.runs.wait(t2.thread_id, "human-in-the-loop", { command: { resume: "approve" } }));
  record("fork.thread", await client.threads.get(t2.thread_id));

  // -- copy
  const copy = await client.threads.copy(t2.thread_id);
  record("copy", copy);
  record("copy.state", await client.threads.getState(copy.thread_id));
  record("copy.history.length", (await client.threads.getHistory(copy.thread_id, { limit: 100 })).length);

  // -- fan-out with a subgraph, streamed with subgraphs
  const t3 = await client.threads.create({ metadata: { ...meta, kind: "fanout" } });
  const fanEvents = await collect(
    client.runs.stream(t3.thread_id, "fan-out", { input: { topic: "tides", aspects: 2 }, streamMode: ["updates"], streamSubgraphs: true }),
  );
  record("fanout.stream.names", [...new Set(fanEvents.map((e) => e.event.replace(/:[^|]+/g, ":<task>")))].sort());
  record("fanout.stream.root", fanEvents.filter((e) => e.event === "updates").map((e) => Object.keys(e.data as object)));
  const fanState = await client.threads.getState(t3.thread_id, undefined, { subgraphs: true });
  record("fanout.state", fanState);

  // -- runs: create, reject a second one while busy, join, get, list
  const t4 = await client.threads.create({ metadata: { ...meta, kind: "busy" } });
  // Long enough (a second or more) that the thread is still busy when the next run comes, even on a loaded machine.
  const slow = await client.runs.create(t4.thread_id, "react-agent", { input: SLOW_INPUT, config: { recursion_limit: 100 } });
  record("runs.create", slow);
  record(
    "runs.reject",
    await failure(() => client.runs.create(t4.thread_id, "fan-out", { input: { topic: "again" }, multitaskStrategy: "reject" })),
  );
  record("runs.join", await client.runs.join(t4.thread_id, slow.run_id));
  record("runs.get", await client.runs.get(t4.thread_id, slow.run_id));
  record("runs.list", await client.runs.list(t4.thread_id));

  // -- joinStream on a run started without streaming
  const background = await client.runs.create(t4.thread_id, "fan-out", { input: { topic: "later", aspects: 1 }, streamMode: ["values"] });
  const joined = await collect(client.runs.joinStream(t4.thread_id, background.run_id));
  record("runs.joinStream.last", joined.filter((e) => e.event === "values").at(-1) ?? null);
  await client.runs.join(t4.thread_id, background.run_id);

  // -- a run on a thread that does not exist yet, and a stateless run
  const fresh = "0b7f6f0e-4c8a-4b3a-9a57-0d3f1a2b3c4d";
  record("ifNotExists.missing", await failure(() => client.runs.wait(fresh, "human-in-the-loop", { input: HITL_INPUT })));
  record("ifNotExists.create", await client.runs.wait(fresh, "human-in-the-loop", { input: HITL_INPUT, ifNotExists: "create" }));
  record("stateless.wait", await client.runs.wait(null, "react-agent", { input: REACT_INPUT }));

  // -- an exception in the user's node: an error event, and the thread's status
  record(
    "error.stream",
    await collect(client.runs.stream(fresh, "human-in-the-loop", { command: { resume: "maybe" }, streamMode: ["values"] })),
  );
  record("error.thread.status", (await client.threads.get(fresh)).status);
  record("error.wait", await failure(() => client.runs.wait(fresh, "human-in-the-loop", { command: { resume: "maybe" } })));

  // -- breakpoints: interrupt_before / interrupt_after, then continue
  const t5 = await client.threads.create({ metadata: { ...meta, kind: "breakpoints" } });
  record(
    "breakpoint.before",
    await collect(
      client.runs.stream(t5.thread_id, "human-in-the-loop", { input: HITL_INPUT, interruptBefore: ["review"], streamMode: ["values", "updates"] }),
    ),
  );
  const atBreakpoint = await client.threads.getState(t5.thread_id);
  record("breakpoint.before.next", atBreakpoint.next);
  record("breakpoint.before.status", (await client.threads.get(t5.thread_id)).status);
  record("breakpoint.continue", await client.runs.wait(t5.thread_id, "human-in-the-loop", { input: null }));
  const t6 = await client.threads.create({ metadata: { ...meta, kind: "breakpoints" } });
  record("breakpoint.after", await client.runs.wait(t6.thread_id, "human-in-the-loop", { input: HITL_INPUT, interruptAfter: ["draft_email"] }));
  record("breakpoint.after.next", (await client.threads.getState(t6.thread_id)).next);
  // A command that updates the state and jumps to a node, from the breakpoint.
  record(
    "command.gotoUpdate",
    await client.runs.wait(t6.thread_id, "human-in-the-loop", { command: { update: { draft: "Jumped" }, goto: "send" } }),
  );

  // -- multitask strategies other than reject, and cancel: a slow run, then a quick one on the same thread.
  // (The quick one asks for a sum: the example model numbers its tool calls per question, and a repeated
  // call id would make its tool message replace an earlier one.)
  const busyThread = async (kind: string) => {
    const thread = await client.threads.create({ metadata: { ...meta, kind } });
    const slowRun = await client.runs.create(thread.thread_id, "react-agent", { input: SLOW_INPUT, config: { recursion_limit: 100 } });
    // The next run must find this one running and past its first step on both servers (not still
    // pending, which rollback and interrupt treat differently): the scenario is the same each time.
    for (let tries = 0; ; tries++) {
      const [current, history] = await Promise.all([
        client.runs.get(thread.thread_id, slowRun.run_id),
        client.threads.getHistory(thread.thread_id, { limit: 3 }),
      ]);
      if (current.status === "running" && history.length >= 3) break;
      if (current.status !== "pending" && current.status !== "running") throw new Error(`the slow run ended (${current.status}) before the next one`);
      if (tries > 400) throw new Error("the slow run did not get going within 20 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { threadId: thread.thread_id, slowRun };
  };
  const sum = { messages: [{ role: "user", content: "What is 2 + 3?" }] };
  for (const strategy of ["enqueue", "interrupt", "rollback"] as const) {
    const { threadId, slowRun } = await busyThread(strategy);
    const quick = await client.runs.create(threadId, "react-agent", { input: sum, multitaskStrategy: strategy });
    const joined = (await client.runs.join(threadId, quick.run_id)) as { messages: { content: unknown }[] };
    // How far an interrupted run got depends on timing: compare the answer only.
    record(`multitask.${strategy}.answer`, joined.messages.at(-1)?.content);
    record(`multitask.${strategy}.messages`, strategy === "interrupt" ? null : joined.messages.length);
    record(`multitask.${strategy}.first`, await failure(async () => (await client.runs.get(threadId, slowRun.run_id)).status));
  }
  const { threadId: cancelThread, slowRun: cancelled } = await busyThread("cancel");
  await client.runs.cancel(cancelThread, cancelled.run_id, true);
  record("cancel.status", (await client.runs.get(cancelThread, cancelled.run_id)).status);
  record("cancel.thread.status", (await client.threads.get(cancelThread)).status);

  await runStreamSession(client, record, { quick: HITL_INPUT, slow: SLOW_INPUT });
  await runChatUiSession(client, record, REACT_INPUT);

  // -- the other stream modes, by event name
  const t8 = await client.threads.create({ metadata: { ...meta, kind: "modes" } });
  const modeEvents = await collect(
    client.runs.stream(t8.thread_id, "react-agent", { input: REACT_INPUT, streamMode: ["messages", "debug", "tasks"] }),
  );
  record("modes.names", modeEvents.map((e) => e.event));
  const debugTypes = modeEvents.filter((e) => e.event === "debug").map((e) => (e.data as { type: string }).type);
  record("modes.debug.types", debugTypes);
  record("modes.messages.complete", modeEvents.filter((e) => e.event === "messages/complete"));
  const fanValues = await collect(
    client.runs.stream(t8.thread_id, "fan-out", { input: { topic: "modes", aspects: 2 }, streamMode: ["values", "custom"], streamSubgraphs: true }),
  );
  record("modes.subgraphValues.names", [...new Set(fanValues.map((e) => e.event.replace(/:[^|]+/g, ":<task>")))].sort());

  // -- search, count, patch
  const found = await client.threads.search({ metadata: meta, limit: 10 });
  record("search", found.map((t) => t.metadata?.kind));
  record("search.interrupted", (await client.threads.search({ status: "interrupted", metadata: meta })).map((t) => t.metadata?.kind));
  record("search.paged", (await client.threads.search({ metadata: meta, limit: 2, offset: 1 })).map((t) => t.metadata?.kind));
  record("count", await client.threads.count({ metadata: meta }));
  record("search.values", (await client.threads.search({ values: { outcome: "sent" }, metadata: meta })).map((t) => t.metadata?.kind));
  record("count.values", await client.threads.count({ values: { outcome: "sent" }, metadata: meta }));
  record(
    "search.sorted",
    (await client.threads.search({ metadata: meta, sortBy: "created_at", sortOrder: "asc", limit: 4 })).map((t) => t.metadata?.kind),
  );
  record("patch", await client.threads.update(t1.thread_id, { metadata: { reviewed: true } }));

  // -- delete
  await client.threads.delete(t1.thread_id);
  record("delete.get", await failure(() => client.threads.get(t1.thread_id)));
  record("delete.state", await failure(() => client.threads.getState(t1.thread_id)));
  record("unknown.thread", await failure(() => client.threads.get("7c1e2a47-0000-4000-8000-000000000000")));

  await runStoreSession(client, record);
  return rec;
}
