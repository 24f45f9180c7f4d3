// The remote source's main flows, declared once and run against each kind of Agent Server (Threadline's
// own `threadline serve`, LangGraph's `langgraph dev`): the source is reached through the contract
// (an Inspector over it, arguments and results through JSON), as the UI reaches it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inspector } from "../../src/core/inspector";
import { RemoteSource } from "../../src/core/sources/remote/remote-source";
import { createClient, type EngineClient } from "../../src/shared/contract";
import { ThreadlineError } from "../../src/shared/errors";
import type { EngineEvent, RunEvent } from "../../src/shared/events";
import { openTestEngine } from "../support/engine";

export interface Server {
  url: string;
  apiKey: string | null;
  stop(): Promise<void>;
}

export interface Remote {
  source: RemoteSource;
  client: EngineClient;
  events: EngineEvent[];
  /** Starts a run and waits for its end; answers its events. */
  run(args: Parameters<EngineClient["runs"]["start"]>[0]): Promise<RunEvent[]>;
}

export async function connectRemote(server: Server): Promise<Remote> {
  const source = await RemoteSource.connect(server.url, server.apiKey);
  const inspector = new Inspector(source);
  const events: EngineEvent[] = [];
  inspector.subscribe((e) => events.push(JSON.parse(JSON.stringify(e)) as EngineEvent));
  const client = createClient(async (name, args) => {
    try {
      return JSON.parse(JSON.stringify((await inspector.call(name, JSON.parse(JSON.stringify(args)))) ?? null)) as unknown;
    } catch (error) {
      throw ThreadlineError.from(error);
    }
  });
  const run = async (args: Parameters<EngineClient["runs"]["start"]>[0]) => {
    const started = await client.runs.start(args);
    const finished = await client.runs.join({ runId: started.runId });
    expect(finished.runId).toBe(started.runId);
    // run.finished is sent before join answers.
    return events.filter((e): e is RunEvent => "runId" in e && e.runId === started.runId);
  };
  return { source, client, events, run };
}

export interface GraphIds {
  agent: string;
  review: string;
  fanOut: string;
}

const human = (content: string) => ({ messages: [{ role: "user", content }] });

export function describeRemoteFlows(name: string, start: () => Promise<Server>, ids: GraphIds): void {
  describe(`remote source: ${name}`, () => {
    let server: Server;
    let remote: Remote;

    beforeAll(async () => {
      server = await start();
      remote = await connectRemote(server);
    }, 120_000);
    afterAll(async () => {
      await remote?.source.close();
      await server?.stop();
    });

    it("describes the source and lists the server's graphs, drawn with their subgraphs", async () => {
      const info = await remote.client.source.info();
      expect(info.kind).toBe("remote");
      expect(info.label).toBe(server.url);
      expect(info.capabilities.runs.available).toBe(true);
      expect(info.capabilities.console).toMatchObject({ available: false, reason: expect.stringContaining("console output") });
      expect(info.capabilities.timings.available).toBe(false);
      const { graphs } = await remote.client.graphs.list();
      expect(graphs.map((g) => g.id)).toEqual(expect.arrayContaining([ids.agent, ids.review, ids.fanOut]));
      const fan = await remote.client.graphs.get({ graphId: ids.fanOut });
      const research = fan.drawing.nodes.find((n) => n.id === "research");
      expect(research?.subgraph?.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(["gather", "summarize"]));
      // langgraph dev derives a graph's schemas from its TypeScript types the first time they are asked for, which
      // on a busy machine takes longer than the drawing waits, or fails (500): asked for ahead here. The input
      // form is the server's schema when it has one, and none when it fails; the drawing comes either way.
      const own = await remote.source.connection.client.assistants.getSchemas(ids.agent).catch(() => null);
      const agent = await remote.client.graphs.get({ graphId: ids.agent });
      expect(agent.drawing.edges).toContainEqual(expect.objectContaining({ source: "tools", target: "agent" }));
      if (own) {
        const given = { input: own.input_schema, state: own.state_schema, output: own.output_schema, config: own.config_schema };
        expect(agent.schemas).toEqual(Object.fromEntries(Object.entries(given).filter(([, schema]) => schema)));
      }
      else expect(agent.schemas).toEqual({});
      if (name === "threadline serve") expect(own).not.toBeNull();
    }, 120_000);

    it("runs a tool agent: node events, tokens, checkpoints, and a timeline page read in one request", async () => {
      const events = await remote.run({ threadId: "00000000-0000-4000-8000-00000000a001", graphId: ids.agent, input: human("What's the weather in Paris?"), ifNotExists: "create" });
      const types = events.map((e) => e.type);
      expect(types[0]).toBe("run.created");
      expect(types.at(-1)).toBe("run.finished");
      expect(events.at(-1)).toMatchObject({ type: "run.finished", status: "success" });
      const started = events.filter((e) => e.type === "node.started").map((e) => (e as { node: string }).node);
      expect(started).toEqual(expect.arrayContaining(["agent", "tools"]));
      expect(types).toContain("token");
      const checkpoints = events.filter((e) => e.type === "checkpoint");
      expect(checkpoints.length).toBeGreaterThanOrEqual(4);

      const threadId = "00000000-0000-4000-8000-00000000a001";
      const thread = await remote.client.threads.get({ threadId });
      expect(thread).toMatchObject({ status: "idle", graphId: ids.agent, title: "What's the weather in Paris?" });
      expect(thread.headCheckpointId).toBeTruthy();
      const before = remote.source.connection.requests;
      const page = await remote.client.history.page({ threadId, limit: 200 });
      expect(remote.source.connection.requests - before).toBe(1);
      expect(page.nextBefore).toBeNull();
      // Paging: two rows, then the rest from before the second, the same rows in the same order.
      const first = await remote.client.history.page({ threadId, limit: 2 });
      expect(first.nextBefore).toBe(page.items[1]!.checkpointId);
      const rest = await remote.client.history.page({ threadId, limit: 200, before: first.nextBefore! });
      expect([...first.items, ...rest.items].map((i) => i.checkpointId)).toEqual(page.items.map((i) => i.checkpointId));
      expect(rest.items[0]!.nodes).toEqual(page.items[2]!.nodes);
      expect(page.items[0]!.checkpointId).toBe(thread.headCheckpointId);
      const byNodes = page.items.map((i) => i.nodes.join(","));
      expect(byNodes).toContain("tools");
      expect(page.items.some((i) => i.changes?.includes("AIMessage"))).toBe(true);
      // Selecting rows of the page and diffing two of them reads from what the page brought.
      const after = remote.source.connection.requests;
      const old = page.items[page.items.length - 2]!;
      const state = await remote.client.state.get({ threadId, checkpointId: old.checkpointId });
      expect(state.checkpoint?.checkpointId).toBe(old.checkpointId);
      const diff = await remote.client.diff.get({ threadId, to: page.items[0]!.checkpointId, from: old.checkpointId });
      expect(diff.entries.some((e) => e.path[0] === "messages")).toBe(true);
      expect(remote.source.connection.requests).toBe(after);
      const messages = (state.values as { messages: { $type: string; class: string }[] }).messages;
      expect(messages[0]).toMatchObject({ $type: "message", class: "HumanMessage" });
      // A long thread's reads: the oldest page, and a state whose lists come as their newest elements.
      const oldest = await remote.client.history.page({ threadId, limit: 2, oldest: true });
      expect(oldest.items.map((i) => i.checkpointId)).toEqual(page.items.slice(-2).map((i) => i.checkpointId));
      expect(oldest.nextBefore).toBeNull();
      const head = await remote.client.state.get({ threadId, maxItems: 1 });
      const all = (await remote.client.state.get({ threadId })).values as { messages: unknown[] };
      expect(head.slices).toEqual({ messages: { start: all.messages.length - 1, total: all.messages.length } });
      expect((head.values as { messages: unknown[] }).messages).toEqual(all.messages.slice(-1));
    });

    it("stops at an interrupt and resumes it with a Command", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a002";
      const first = await remote.run({ threadId, graphId: ids.review, input: { request: "ship it" }, ifNotExists: "create" });
      expect(first.at(-1)).toMatchObject({ type: "run.finished", status: "interrupted" });
      const interrupt = first.find((e) => e.type === "interrupt");
      expect(interrupt).toMatchObject({ interrupts: [{ value: { question: "Send this email?" } }] });
      const waiting = await remote.client.threads.get({ threadId });
      expect(waiting.status).toBe("interrupted");
      expect(waiting.interrupts[0]?.value).toMatchObject({ question: "Send this email?" });
      const page = await remote.client.history.page({ threadId });
      expect(page.items[0]!.hasInterrupts).toBe(true);
      const second = await remote.run({ threadId, graphId: ids.review, command: { resume: "approve" } });
      expect(second.at(-1)).toMatchObject({ type: "run.finished", status: "success" });
      const done = await remote.client.state.get({ threadId });
      expect(done.values).toMatchObject({ outcome: "sent" });
    });

    it("stops at a breakpoint (interrupt_before) and continues", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a003";
      await remote.client.breakpoints.set({ graphId: ids.agent, before: ["tools"], after: [] });
      await expect(remote.client.breakpoints.set({ graphId: ids.agent, before: ["nope"], after: [] })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      const stopped = await remote.run({ threadId, graphId: ids.agent, input: human("What's the weather in Rome?"), ifNotExists: "create" });
      expect(stopped.at(-1)).toMatchObject({ type: "run.finished", status: "interrupted" });
      const state = await remote.client.state.get({ threadId });
      expect(state.next).toEqual(["tools"]);
      await remote.client.breakpoints.set({ graphId: ids.agent, before: [], after: [] });
      const resumed = await remote.run({ threadId, graphId: ids.agent });
      expect(resumed.at(-1)).toMatchObject({ type: "run.finished", status: "success" });
      expect((await remote.client.state.get({ threadId })).next).toEqual([]);
    });

    it("steps one superstep, refuses a second run on a busy thread (multitask reject), and cancels", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a006";
      const stepped = await remote.run({ threadId, graphId: ids.agent, input: human("What's the weather in Oslo?"), ifNotExists: "create", step: true });
      expect(stepped.at(-1)).toMatchObject({ type: "run.finished", status: "interrupted" });
      expect(stepped.filter((e) => e.type === "node.finished" && e.namespace.length === 0).map((e) => (e as { node: string }).node)).toEqual(["agent"]);
      // Paused after the agent asked for a tool: Continue would run the tools.
      expect((await remote.client.state.get({ threadId })).next).toEqual(["tools"]);

      // A long question: one tool call per city, each answer streamed token by token.
      const cities = Array.from({ length: 40 }, (_, i) => `weather in Town${String.fromCharCode(97 + (i % 26))}${i}`).join(", ");
      const long = await remote.client.runs.start({ threadId, graphId: ids.agent, input: human(cities), config: { recursion_limit: 200 } });
      await expect(remote.client.runs.start({ threadId, graphId: ids.agent, input: human("and Paris?"), multitaskStrategy: "reject" })).rejects.toMatchObject({ code: "CONFLICT" });
      const cancelled = await remote.client.runs.cancel({ runId: long.runId });
      expect(cancelled).toMatchObject({ runId: long.runId, cancelled: true });
      const ended = await remote.client.runs.join({ runId: long.runId });
      expect(ended.status).not.toBe("success");
      const listed = await remote.client.runs.list({ threadId });
      expect(listed.map((r) => r.runId)).toContain(long.runId);
      expect((await remote.client.threads.get({ threadId })).status).not.toBe("busy");
    });

    it("replays from an old checkpoint, edits & forks it as a node, and forks into a new thread", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a001";
      const page = await remote.client.history.page({ threadId });
      const input = page.items[page.items.length - 1]!;
      const afterAgent = page.items.find((i) => i.nodes.includes("agent") && i.step <= 2)!;
      expect(afterAgent).toBeTruthy();
      // Edit & fork: the old state with the message replaced, written as the agent node.
      const old = await remote.client.state.get({ threadId, checkpointId: afterAgent.checkpointId });
      const messages = (old.values as { messages: Record<string, unknown>[] }).messages;
      const last = messages[messages.length - 1]!;
      const edited = { ...last, content: "edited answer", tool_calls: [] };
      const { checkpoint } = await remote.client.state.update({
        threadId,
        checkpointId: afterAgent.checkpointId,
        values: { messages: [edited] } as never,
        asNode: "agent",
      });
      const branch = await remote.client.state.get({ threadId, checkpointId: checkpoint.checkpointId });
      expect(branch.parent?.checkpointId).toBe(afterAgent.checkpointId);
      expect(branch.metadata?.source).toBe("update");
      const branchMessages = (branch.values as { messages: { content: unknown; id?: string }[] }).messages;
      expect(branchMessages.at(-1)).toMatchObject({ content: "edited answer", id: last.id });
      expect(branchMessages).toHaveLength(messages.length);

      // Replay from the input checkpoint: a new branch from it.
      const replay = await remote.run({ threadId, graphId: ids.agent, checkpointId: input.checkpointId });
      expect(replay.at(-1)).toMatchObject({ type: "run.finished", status: "success" });
      const tree = await remote.client.history.tree({ threadId });
      const children = tree.nodes.filter((n) => n.parentCheckpointId === input.checkpointId);
      expect(children.length).toBeGreaterThanOrEqual(2);

      // Fork into a new thread: its head is the chosen checkpoint's state.
      const fork = await remote.client.threads.fork({ threadId, checkpointId: afterAgent.checkpointId });
      expect(fork.threadId).not.toBe(threadId);
      const head = await remote.client.state.get({ threadId: fork.threadId });
      expect(head.values).toEqual(old.values);
      expect(head.next).toEqual(old.next);
    });

    it("runs a fan-out with a subgraph: its checkpoints sit under the step that ran them", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a004";
      const events = await remote.run({ threadId, graphId: ids.fanOut, input: { topic: "tides", aspects: 2 }, ifNotExists: "create" });
      expect(events.at(-1)).toMatchObject({ type: "run.finished", status: "success" });
      expect(events.some((e) => e.type === "node.started" && e.namespace.length > 0 && e.node === "gather")).toBe(true);
      const tree = await remote.client.history.tree({ threadId });
      const subs = tree.nodes.filter((n) => n.checkpointNs !== "");
      expect(subs.length).toBeGreaterThan(0);
      const roots = new Set(tree.nodes.filter((n) => n.checkpointNs === "").map((n) => n.checkpointId));
      for (const s of subs) expect(roots.has(s.parentRootCheckpointId!)).toBe(true);
    });

    it("reads and writes the server's store (long-term memory)", async () => {
      await remote.client.store.put({ namespace: ["remote-test", "u1"], key: "k1", value: { text: "likes tea" } });
      expect(await remote.client.store.get({ namespace: ["remote-test", "u1"], key: "k1" })).toMatchObject({ namespace: ["remote-test", "u1"], key: "k1", value: { text: "likes tea" } });
      const found = await remote.client.store.search({ namespacePrefix: ["remote-test"] });
      expect(found.map((i) => i.key)).toEqual(["k1"]);
      expect(await remote.client.store.listNamespaces({ prefix: ["remote-test"] })).toEqual([["remote-test", "u1"]]);
      await remote.client.store.delete({ namespace: ["remote-test", "u1"], key: "k1" });
      expect(await remote.client.store.get({ namespace: ["remote-test", "u1"], key: "k1" })).toBeNull();
    });

    it("searches, renames and deletes threads, and exports one from its history", async () => {
      const found = await remote.client.threads.search({ text: "paris" });
      expect(found.map((t) => t.threadId)).toContain("00000000-0000-4000-8000-00000000a001");
      const byGraph = await remote.client.threads.search({ graphId: ids.review });
      expect(byGraph.map((t) => t.threadId)).toEqual(["00000000-0000-4000-8000-00000000a002"]);
      expect(await remote.client.threads.count({ graphId: ids.review })).toBe(1);
      const renamed = await remote.client.threads.updateMetadata({ threadId: "00000000-0000-4000-8000-00000000a002", metadata: { title: "Release mail" } });
      expect(renamed.title).toBe("Release mail");
      const data = await remote.client.threads.export({ threadId: "00000000-0000-4000-8000-00000000a002" });
      const roots = (await remote.client.history.tree({ threadId: "00000000-0000-4000-8000-00000000a002" })).nodes.filter((n) => n.checkpointNs === "");
      expect(data.checkpoints.filter((c) => c.ns === "").map((c) => c.id).sort()).toEqual(roots.map((n) => n.checkpointId).sort());
      // The export reads back into Threadline's own store, each checkpoint matching its digest, values as the server had them.
      const local = openTestEngine();
      try {
        const imported = await local.client.threads.import({ data, newThreadId: "imported" });
        expect(imported.checkpointCount).toBe(data.checkpoints.length);
        const head = await remote.client.state.get({ threadId: "00000000-0000-4000-8000-00000000a002" });
        expect((await local.client.state.get({ threadId: "imported" })).values).toMatchObject({ outcome: "sent", draft: (head.values as { draft: string }).draft });
      } finally {
        await local.close();
      }
      const made = await remote.client.threads.create({ metadata: { purpose: "delete me" } });
      await remote.client.threads.delete({ threadId: made.threadId });
      await expect(remote.client.threads.get({ threadId: made.threadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("behaves as the known differences say (test/remote/differences.ts), each of them", async () => {
      const threadId = "00000000-0000-4000-8000-00000000a005";
      await remote.run({ threadId, graphId: ids.review, input: { request: "differences" }, ifNotExists: "create" });
      await remote.run({ threadId, graphId: ids.review, command: { resume: "approve" } });
      // 1. An edit goes through the reducers: the log (an append reducer) gets the edited values appended.
      const head = await remote.client.state.get({ threadId });
      const log = (head.values as { log: string[] }).log;
      await remote.client.state.update({ threadId, values: { log: [...log, "by hand"] }, asNode: "send" });
      const after = (await remote.client.state.get({ threadId })).values as { log: string[] };
      expect(after.log).toEqual([...log, ...log, "by hand"]);
      // 2. A removed metadata key is set to null.
      await remote.client.threads.updateMetadata({ threadId, metadata: { title: "to clear", keep: 1 } });
      const cleared = await remote.client.threads.updateMetadata({ threadId, metadata: { keep: 1 }, mode: "replace" });
      expect(cleared.metadata).toMatchObject({ title: null, keep: 1, graph_id: ids.review });
      expect(cleared.title).not.toBe("to clear");
      // 3. A fork keeps the whole history: the original head is in the copy too; its head is a copy of the
      // chosen checkpoint (LangGraph's fork: beside it, on the same parent).
      const page = await remote.client.history.page({ threadId });
      const chosen = page.items[page.items.length - 2]!;
      const fork = await remote.client.threads.fork({ threadId, checkpointId: chosen.checkpointId });
      const forkTree = await remote.client.history.tree({ threadId: fork.threadId });
      expect(forkTree.nodes.map((n) => n.checkpointId)).toContain(page.items[0]!.checkpointId);
      const forkHead = await remote.client.state.get({ threadId: fork.threadId });
      expect(forkHead.parent?.checkpointId).toBe(chosen.parentCheckpointId);
      expect(forkHead.metadata?.source).toBe("fork");
      expect(forkHead.values).toEqual((await remote.client.state.get({ threadId, checkpointId: chosen.checkpointId })).values);
      await expect(remote.client.threads.fork({ threadId, checkpointId: chosen.checkpointId, newThreadId: "mine" })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("chooses the id of a copy"),
      });
      // 4. No checkpoint count.
      expect((await remote.client.threads.get({ threadId })).checkpointCount).toBe(-1);
      // 5. No console output, no durations.
      const info = await remote.client.source.info();
      expect(info.capabilities.console.available || info.capabilities.timings.available).toBe(false);
      await expect(remote.client.runs.console({ runId: "any" })).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("console output") });
      const events = remote.events.filter((e) => e.type === "node.finished");
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.type === "node.finished" && e.durationMs === 0)).toBe(true);
    });
  });
}
