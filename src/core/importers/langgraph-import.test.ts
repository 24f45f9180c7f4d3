// Imports the real SqliteSaver databases of /work/shared/fixtures/langgraph-dbs
// (see MANIFEST.md there) and reads them back through the checkpointer and
// the engine's contract, asserting the facts the manifest lists.

import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph, Annotation } from "@langchain/langgraph";
import { TASKS, type CheckpointTuple } from "@langchain/langgraph-checkpoint";
import Database from "better-sqlite3";
import { SqliteCheckpointer, StorageError } from "../storage/index";
import { versionCounter } from "../storage/versions";
import { compareApiHistory, openTestEngine, type TestEngine } from "../../../test/support/engine";
import * as messagesModule from "@langchain/core/messages";
import { COMPRESSED, unpack } from "../storage/compress";
import { reviveSync } from "../storage/fast-revive";
import { importLangGraphDatabase, inspectLangGraphDatabase, PY_CLASS_KEY, type ImportLangGraphResult } from "./index";
import { LANGGRAPH_FIXTURES } from "../../../test/support/fixtures";

// The shared fixtures sit beside the repository (../shared), as on every developer machine and in CI.
const FIXTURES = LANGGRAPH_FIXTURES;

const FERRER = "ferrerallan__langgraph-human-feedback__checkpoints.sqlite";
const ALEJANDRO = "alejandro434__LLMs_Agents_Evals__checkpoints.sqlite";
const HUSNAIN = "Husnain-eng__Research-Agent-Pro-HITL-Powered-Agentic-AI__checkpoints.db";
const FREDDY = "freddymercury__langchain-academy-langgraphjs__example.db";
const MATHEUS = "matheusg18__langgraph-course__checkpoints.sqlite";
const LEGACY = "darkfennertrader__multiagents__checkpoints.sqlite";

const SHA256: Record<string, string> = {
  [FERRER]: "5a3f449c9dcab77c8a59a003b78e68ed233554fa41a8cf695713b1f216403cc8",
  [ALEJANDRO]: "4cb226549d3c1cfbbf8365cc97decdf960b986f095ca517b727be83bc19454d0",
  [HUSNAIN]: "a1b8f3acf85553cd1f5ba7a7fb03f83404c32fd104eea96aea0ff6023a5b49f3",
  [FREDDY]: "e05bdf0986a0fd519b411e2dd6cab7f8fd14c57091ac55e19d48e32cabb367ac",
  [MATHEUS]: "a774cd2894f061bbea195e954e98885738dd066ef89c8ec72f09473ca8197d0f",
  [`${MATHEUS}-wal`]: "c1c09d8fb2f499df36a122ef21f834e0f8c94c44ca300dfad8836b424cef38f5",
  [`${MATHEUS}-shm`]: "d8ee1f335cf7788bdce537dbf2ca0fb23a8d327a4c40d94725198a29a6b990a9",
  [LEGACY]: "428eb4309825a949330db3d417d5f77f54102d417b36630eebd17e44076493c7",
};

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

const staging = mkdtempSync(path.join(tmpdir(), "threadline-lg-fixtures-"));
let stageCount = 0;

/** A private copy of a fixture (never opened in place), with its -wal/-shm unless `wal` is false. */
function stage(name: string, { wal = true } = {}): string {
  const dir = path.join(staging, String(stageCount++));
  mkdirSync(dir);
  const copy = path.join(dir, name);
  for (const suffix of wal ? ["", "-wal", "-shm"] : [""]) {
    if (existsSync(path.join(FIXTURES, name + suffix))) copyFileSync(path.join(FIXTURES, name + suffix), copy + suffix);
  }
  return copy;
}

const engines: TestEngine[] = [];

async function importFixture(name: string, options: { wal?: boolean } = {}): Promise<{ engine: TestEngine; result: ImportLangGraphResult }> {
  const engine = openTestEngine();
  engines.push(engine);
  const result = await importLangGraphDatabase(stage(name, options), engine.checkpointer);
  return { engine, result };
}

async function allTuples(checkpointer: SqliteCheckpointer, threadId?: string): Promise<CheckpointTuple[]> {
  const tuples: CheckpointTuple[] = [];
  for await (const tuple of checkpointer.list(threadId === undefined ? {} : { configurable: { thread_id: threadId } })) tuples.push(tuple);
  return tuples;
}

/** Threads, checkpoints and pending writes as read back through the checkpointer. */
async function storedCounts(checkpointer: SqliteCheckpointer) {
  const tuples = await allTuples(checkpointer);
  return {
    threads: new Set(tuples.map((t) => t.config.configurable?.thread_id)).size,
    checkpoints: tuples.length,
    writes: tuples.reduce((n, t) => n + (t.pendingWrites?.length ?? 0), 0),
  };
}

function writesOf(tuples: CheckpointTuple[], channel: string): unknown[] {
  return tuples.flatMap((t) => (t.pendingWrites ?? []).filter(([, c]) => c === channel).map(([, , value]) => value));
}

const head = (checkpointer: SqliteCheckpointer, threadId: string, checkpointNs = "") =>
  checkpointer.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: checkpointNs } });

const messagesAt = (tuple: CheckpointTuple | undefined) => tuple?.checkpoint.channel_values.messages as BaseMessage[];

const fixturesPresent = existsSync(path.join(FIXTURES, "MANIFEST.md"));

afterAll(async () => {
  for (const engine of engines) await engine.close();
  rmSync(staging, { recursive: true, force: true });
  if (!fixturesPresent) return;
  // Nothing in these tests may have changed, created or removed a fixture file.
  for (const [name, expected] of Object.entries(SHA256)) expect(sha256(path.join(FIXTURES, name)), name).toBe(expected);
  for (const name of [FERRER, ALEJANDRO, HUSNAIN, FREDDY, LEGACY]) {
    expect(existsSync(path.join(FIXTURES, `${name}-wal`)), `${name}-wal`).toBe(false);
    expect(existsSync(path.join(FIXTURES, `${name}-shm`)), `${name}-shm`).toBe(false);
  }
});

describe.skipIf(!fixturesPresent)(`importing LangGraph SqliteSaver databases${fixturesPresent ? "" : ` (skipped: no fixtures at ${FIXTURES}; set THREADLINE_LANGGRAPH_FIXTURES)`}`, () => {
  describe(`${FERRER} (Python 0.2.74, checkpoint v1)`, () => {
    let engine: TestEngine;
    let result: ImportLangGraphResult;
    let tuples: CheckpointTuple[];
    beforeAll(async () => {
      ({ engine, result } = await importFixture(FERRER));
      tuples = await allTuples(engine.checkpointer);
    }, 120_000);

    it("imports every thread, checkpoint and write", async () => {
      expect(await inspectLangGraphDatabase(stage(FERRER))).toEqual({ flavour: "python-msgpack", threads: 90, checkpoints: 443, writes: 2555 });
      expect(result.skipped).toEqual([]);
      expect(result.flavour).toBe("python-msgpack");
      expect(result.threads).toHaveLength(90);
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 90, checkpoints: 443, writes: 2555 });
      expect(await engine.client.threads.count({})).toBe(90);
      const sources = tuples.map((t) => t.metadata?.source);
      expect(sources.filter((s) => s === "loop")).toHaveLength(282);
      expect(sources.filter((s) => s === "input")).toHaveLength(90);
      expect(sources.filter((s) => s === "update")).toHaveLength(71);
    });

    it("reads the longest thread's latest state", async () => {
      const threadId = "7def6fda-05a1-4a83-b863-cd2330d8835e";
      const tree = await engine.client.history.tree({ threadId });
      expect(tree.nodes).toHaveLength(12);
      const state = await engine.client.state.get({ threadId });
      expect(state.checkpoint?.checkpointId).toBe("1eff4554-1715-6053-800a-2b369f4f5f21");
      expect(state.values).toMatchObject({
        question: "create a SQL DDL for an antity called Movie that has attributes name and genre",
        human_feedback: "validated",
        is_validated: true,
      });
      const diff = await engine.client.diff.get({ threadId, to: "1eff4554-1715-6053-800a-2b369f4f5f21" });
      expect(diff.from?.checkpointId).toBe("1eff4553-fea2-61a7-8009-739e3def2359");
      expect(diff.entries.length).toBeGreaterThan(0);
    });

    it("names the node each update was applied as, from the writes in its metadata", async () => {
      const tree = await engine.client.history.tree({ threadId: "029908e5-70c6-4efd-aa44-4039598bb830" });
      expect(tree.nodes.find((n) => n.checkpointId === "1eff5358-fac8-6523-8002-81270542c5e7")).toMatchObject({ source: "update", appliedAs: ["get_human_feedback"] });
      const asNodes = engine.checkpointer.db.prepare("SELECT as_node, count(*) AS n FROM tl_as_node GROUP BY as_node").all();
      // All 71 updates of the file, each named by the one key of its metadata's writes.
      expect(asNodes).toEqual([
        { as_node: "generate_llm_response", n: 1 },
        { as_node: "get_human_feedback", n: 69 },
        { as_node: "human_feedback", n: 1 },
      ]);
    });

    it("keeps the v1 format and its channel naming", () => {
      expect(tuples.every((t) => t.checkpoint.v === 1)).toBe(true);
      expect(tuples.every((t) => JSON.stringify((t.checkpoint as unknown as { pending_sends: unknown }).pending_sends) === "[]")).toBe(true);
      expect(tuples.filter((t) => "start:generate_llm_response" in t.checkpoint.channel_versions)).toHaveLength(349);
      expect(writesOf(tuples, "start:generate_llm_response")).toHaveLength(89);
      expect(writesOf(tuples, "branch:evaluate_feedback:condition:regenerate_response").length).toBeGreaterThan(0);
    });

    it("turns the Python exception into LangGraph JS's error write", () => {
      expect(writesOf(tuples, "__error__")).toEqual([{ name: "AttributeError", message: "'Chroma' object has no attribute 'persist'" }]);
    });
  });

  describe(`${ALEJANDRO} (Python 0.6.6: subgraphs, interrupts, Send)`, () => {
    let engine: TestEngine;
    let result: ImportLangGraphResult;
    let tuples: CheckpointTuple[];
    const threadId = "16e8dce3-e185-46fe-80ce-7f1f986247fe";
    const subgraphNs = "react_node:90764a9d-2cfa-3b6c-d90f-1638cd68f4df";
    beforeAll(async () => {
      ({ engine, result } = await importFixture(ALEJANDRO));
      tuples = await allTuples(engine.checkpointer);
    }, 120_000);

    it("imports every thread, checkpoint and write, in every namespace", async () => {
      expect(result.skipped).toEqual([]);
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 36, checkpoints: 128, writes: 236 });
      const namespaces = tuples.map((t) => t.config.configurable?.checkpoint_ns as string);
      expect(namespaces.filter((ns) => ns === "")).toHaveLength(110);
      expect(namespaces.filter((ns) => ns !== "")).toHaveLength(18);
      expect(new Set(namespaces.filter((ns) => ns !== "")).size).toBe(3);
      expect(writesOf(tuples, "__interrupt__")).toHaveLength(27);
      expect(writesOf(tuples, "__error__")).toHaveLength(2);
      expect(writesOf(tuples, "__pregel_tasks")).toHaveLength(3);
    });

    it("keeps subgraph namespaces and their parents", async () => {
      const tree = await engine.client.history.tree({ threadId });
      expect(tree.nodes.filter((n) => n.checkpointNs === "")).toHaveLength(4);
      expect(tree.nodes.filter((n) => n.checkpointNs === subgraphNs)).toHaveLength(6);
      const sub = await head(engine.checkpointer, threadId, subgraphNs);
      expect(sub?.checkpoint.id).toBe("1f084ee7-8481-6aa9-8004-29eb58a2a490");
      expect(sub?.metadata?.parents).toEqual({ "": "1f084ee7-3378-6d2f-8001-693179de964f" });
      expect(tree.nodes.some((n) => n.checkpointNs === "" && n.checkpointId === "1f084ee7-3378-6d2f-8001-693179de964f")).toBe(true);
    });

    it("revives pydantic LangChain messages as LangChain JS messages", async () => {
      const messages = messagesAt(await head(engine.checkpointer, threadId, subgraphNs));
      expect(messages.map((m) => m.constructor.name)).toEqual(["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]);
      expect(messages[0]).toBeInstanceOf(HumanMessage);
      expect((messages[1] as AIMessage).tool_calls?.map((c) => c.name)).toEqual(["tavily_search"]);
      expect(messages[2]).toBeInstanceOf(ToolMessage);
      expect((messages[2] as ToolMessage).tool_call_id).toBe((messages[1] as AIMessage).tool_calls?.[0]?.id);
      expect(String(messages[3]!.content)).toMatch(/^Here are some upcoming job fair events in the tech industry/);
      const state = await engine.client.state.get({ threadId, checkpointNs: subgraphNs });
      expect((state.values as { messages: { $type: string; class: string }[] }).messages.map((m) => `${m.$type}:${m.class}`)).toEqual([
        "message:HumanMessage",
        "message:AIMessage",
        "message:ToolMessage",
        "message:AIMessage",
      ]);
    });

    it("reads the root state, app models tagged with their class", async () => {
      const state = await engine.client.state.get({ threadId });
      const values = state.values as { final_answer: string; suggested_tools: string[] };
      expect(values.final_answer).toMatch(/^Here are some upcoming tech industry job fairs in the next 30 days/);
      expect(values.suggested_tools).toEqual(["tavily_search"]);
      const schemas = writesOf(tuples, "receptionist_output_schema") as Record<string, unknown>[];
      expect(schemas).toHaveLength(27);
      expect(schemas[0]![PY_CLASS_KEY]).toBe("src.graphs.receptionist_subgraph.schemas.ReceptionistOutputSchema");
      expect(typeof schemas[0]!.direct_response_to_the_user).toBe("string");
    });

    it("shows the 27 paused threads as interrupted, with their interrupt", async () => {
      expect(await engine.client.threads.count({ status: "interrupted" })).toBe(27);
      const paused = "fc9c0cfc-0ad5-4234-bee9-92593dd15183";
      expect((await engine.client.history.tree({ threadId: paused })).nodes).toHaveLength(3);
      const info = await engine.client.threads.get({ threadId: paused });
      expect(info.status).toBe("interrupted");
      expect(info.interrupts).toHaveLength(1);
      expect(info.interrupts[0]!.value).toMatch(/^Thanks for sharing that, Jane\. Could you please provide your current address in Maryland\?/);
      expect(info.interrupts[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    });

    it("keeps pending Sends and errors", () => {
      for (const send of writesOf(tuples, "__pregel_tasks") as { node: string; args: { name: string; type: string }[] }[]) {
        expect(send.node).toBe("tools");
        expect(send.args).toEqual([expect.objectContaining({ name: "tavily_search", type: "tool_call" })]);
      }
      const errors = writesOf(tuples, "__error__") as { name: string; message: string }[];
      expect(errors.map((e) => e.name).sort()).toEqual(["Error", "InvalidStateError"]);
      expect(errors.find((e) => e.name === "Error")?.message).toMatch(/^2 validation errors for HumanMessage/);
    });
  });

  describe(`${HUSNAIN} (Python 1.1.3: interrupt and Command(resume))`, () => {
    let engine: TestEngine;
    let tuples: CheckpointTuple[];
    const threadIdStarting = (prefix: string) => {
      const ids = [...new Set(tuples.map((t) => t.config.configurable?.thread_id as string))].filter((id) => id.startsWith(prefix));
      expect(ids).toHaveLength(1);
      return ids[0]!;
    };
    beforeAll(async () => {
      ({ engine } = await importFixture(HUSNAIN));
      tuples = await allTuples(engine.checkpointer);
    }, 60_000);

    it("imports every thread, checkpoint and special write", async () => {
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 3, checkpoints: 19, writes: 107 });
      expect(writesOf(tuples, "__interrupt__")).toHaveLength(3);
      expect(writesOf(tuples, "__resume__")).toHaveLength(6);
      expect(writesOf(tuples, "__no_writes__")).toHaveLength(2);
    });

    it("reads messages stored as plain dicts", async () => {
      const threadId = "fd6d79e3-8192-448b-8854-985961588ee1";
      expect((await engine.client.history.tree({ threadId })).nodes).toHaveLength(7);
      const state = await engine.client.state.get({ threadId });
      expect(state.checkpoint?.checkpointId).toBe("1f12b95c-477d-6c05-8005-3ee9124b0348");
      const values = state.values as { messages: { role: string; content: string }[]; final_answer: string };
      expect(values.messages.map((m) => m.role)).toEqual(["human", "ai", "tool", "ai"]);
      expect(values.messages[0]!.content).toBe("issues in pakistan agriculture");
      expect(JSON.stringify(values.messages[1])).toContain("wikipedia_search");
      expect(values.final_answer).toMatch(/^Pakistan faces several issues in its agriculture sector/);
    });

    it("keeps one interrupt per thread and the resume decisions", () => {
      for (const interrupts of writesOf(tuples, "__interrupt__") as { value: Record<string, unknown>; id: string }[][]) {
        expect(interrupts).toHaveLength(1);
        expect(Object.keys(interrupts[0]!.value).sort()).toEqual(["tool_args", "tool_id", "tool_name"]);
        expect(interrupts[0]!.id).toMatch(/^[0-9a-f]{32}$/);
      }
      const decision = (prefix: string) => {
        const threadId = threadIdStarting(prefix);
        const resumes = tuples
          .filter((t) => t.config.configurable?.thread_id === threadId)
          .flatMap((t) => t.pendingWrites ?? [])
          .filter(([taskId, channel]) => channel === "__resume__" && taskId === "00000000-0000-0000-0000-000000000000");
        expect(resumes).toHaveLength(1);
        return resumes[0]![2] as { decision: string; reject_reason: string | null };
      };
      expect(decision("fd6d79e3").decision).toBe("approve");
      expect(decision("b4270031")).toMatchObject({ decision: "reject", reject_reason: "Session interrupted by user." });
      expect(decision("49b05fcc").decision).toBe("approve");
    });

    it("reads the rejected thread's last tool message", async () => {
      const threadId = "b4270031-2fce-44e7-8f2e-f0abf057ddc6";
      expect((await engine.client.history.tree({ threadId })).nodes).toHaveLength(5);
      const messages = (await engine.client.state.get({ threadId })).values as { messages: { role: string; content: string }[] };
      expect(messages.messages.at(-1)).toMatchObject({ role: "tool", content: "[REJECTED] Session interrupted by user." });
    });
  });

  describe(`${FREDDY} (JS SqliteSaver, JSON)`, () => {
    let engine: TestEngine;
    let result: ImportLangGraphResult;
    beforeAll(async () => {
      ({ engine, result } = await importFixture(FREDDY));
    }, 60_000);

    it("imports both threads", async () => {
      expect(await inspectLangGraphDatabase(stage(FREDDY))).toEqual({ flavour: "js-json", threads: 2, checkpoints: 19, writes: 21 });
      expect(result.flavour).toBe("js-json");
      expect(result.threads.map(({ sourceId, checkpoints, writes }) => ({ sourceId, checkpoints, writes }))).toEqual([
        { sourceId: "1", checkpoints: 16, writes: 18 },
        { sourceId: "2", checkpoints: 3, writes: 3 },
      ]);
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 2, checkpoints: 19, writes: 21 });
    });

    it("reads the trimmed conversation and its summary", async () => {
      const latest = await head(engine.checkpointer, "1");
      expect(latest?.checkpoint.id).toBe("1f0571f8-0691-6b60-800e-df0c6b4fb0ad");
      const messages = messagesAt(latest);
      expect(messages).toHaveLength(4);
      expect(messages[0]).toBeInstanceOf(HumanMessage);
      expect(messages[0]!.content).toBe("Tell me more about the 49ers");
      expect(latest?.checkpoint.channel_values.summary).toMatch(
        /^Lance introduced himself and mentioned that he is a fan of the San Francisco 49ers\./,
      );
      const second = messagesAt(await head(engine.checkpointer, "2"));
      expect(second.map((m) => m.content)).toEqual(["Hi, this is a new conversation", "Hello! How can I assist you today?"]);
      expect((await engine.client.history.tree({ threadId: "2" })).nodes).toHaveLength(3);
    });

    it("turns integer channel versions into strings of the same order", async () => {
      const source = new Database(stage(FREDDY), { readonly: true });
      const rows = source.prepare(`SELECT checkpoint_id, checkpoint FROM checkpoints WHERE thread_id = '1' ORDER BY checkpoint_id`).all() as {
        checkpoint_id: string;
        checkpoint: Buffer;
      }[];
      source.close();
      const original = new Map(rows.map((r) => [r.checkpoint_id, (JSON.parse(r.checkpoint.toString("utf8")) as { channel_versions: Record<string, number> }).channel_versions]));
      expect(original.get("1f0571f8-0691-6b60-800e-df0c6b4fb0ad")?.messages).toBe(16);
      const imported = await allTuples(engine.checkpointer, "1");
      expect(imported).toHaveLength(16);
      const pairs: [number, string][] = [];
      for (const tuple of imported) {
        const before = original.get(tuple.checkpoint.id)!;
        // Checkpoints before format v4 get LangGraph's pending-Sends channel on read, as from any saver.
        const versions = Object.fromEntries(Object.entries(tuple.checkpoint.channel_versions).filter(([channel]) => channel !== TASKS));
        expect(Object.keys(versions).sort()).toEqual(Object.keys(before).sort());
        for (const [channel, version] of Object.entries(versions)) {
          expect(typeof version).toBe("string");
          expect(versionCounter(version)).toBe(before[channel]);
          pairs.push([before[channel]!, version as string]);
        }
      }
      // Strictly smaller integers stay strictly smaller, as text (what LangGraph compares).
      for (const [a, va] of pairs) for (const [b, vb] of pairs) if (a < b) expect(va < vb && va.localeCompare(vb) < 0).toBe(true);
    });

    it("continues the thread with the app's graph: LangGraph sees the imported versions in order", async () => {
      // The shape of the academy's summarizing chatbot, with canned replies instead of a model.
      const State = Annotation.Root({ ...MessagesAnnotation.spec, summary: Annotation<string>() });
      const graph = new StateGraph(State)
        .addNode("conversation", (state) => ({ messages: [new AIMessage(`reply to ${state.messages.length} messages`)] }))
        .addNode("summarize_conversation", () => ({ summary: "summarized" }))
        .addConditionalEdges("conversation", (state) => (state.messages.length > 6 ? "summarize_conversation" : END), [
          "summarize_conversation",
          END,
        ])
        .addEdge(START, "conversation")
        .addEdge("summarize_conversation", END)
        .compile({ checkpointer: engine.checkpointer });
      const config = { configurable: { thread_id: "1" } };
      const before = await graph.getState(config);
      expect(before.next).toEqual([]);
      expect(before.values.messages).toHaveLength(4);

      await graph.invoke({ messages: [new HumanMessage("and their stadium?")] }, config);
      const after = await graph.getState(config);
      expect(after.values.messages.map((m: BaseMessage) => m.content).slice(-2)).toEqual(["and their stadium?", "reply to 5 messages"]);
      expect(after.values.summary).toMatch(/^Lance introduced himself/);
      expect(versionCounter((await head(engine.checkpointer, "1"))!.checkpoint.channel_versions.messages)).toBeGreaterThan(16);
      expect((await engine.client.history.tree({ threadId: "1" })).nodes.length).toBeGreaterThan(16);
    });
  });

  describe(`${MATHEUS} (Python 1.0.5, WAL)`, () => {
    let engine: TestEngine;
    let result: ImportLangGraphResult;
    let tuples: CheckpointTuple[];
    beforeAll(async () => {
      ({ engine, result } = await importFixture(MATHEUS));
      tuples = await allTuples(engine.checkpointer);
    }, 120_000);

    it("imports the committed data in the WAL", async () => {
      expect(result.skipped).toEqual([]);
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 15, checkpoints: 141, writes: 201 });
      expect(writesOf(tuples, "__error__")).toHaveLength(8);
      expect((await engine.client.history.tree({ threadId: "16" })).nodes).toHaveLength(4);
      expect((await head(engine.checkpointer, "16"))?.checkpoint.id).toBe("1f0f1bed-19d7-655d-8002-fb0eb536221d");
      expect((await engine.client.history.tree({ threadId: "15" })).nodes).toHaveLength(4);
    });

    it("imports the main file alone without the WAL's threads", async () => {
      const alone = await importFixture(MATHEUS, { wal: false });
      expect(await inspectLangGraphDatabase(stage(MATHEUS, { wal: false }))).toEqual({ flavour: "python-msgpack", threads: 14, checkpoints: 134, writes: 191 });
      expect(await storedCounts(alone.engine.checkpointer)).toEqual({ threads: 14, checkpoints: 134, writes: 191 });
      expect(alone.result.threads.map((t) => t.sourceId)).not.toContain("16");
      expect((await alone.engine.client.history.tree({ threadId: "15" })).nodes).toHaveLength(1);
    });

    it("reads the long conversation", async () => {
      expect((await engine.client.history.tree({ threadId: "1" })).nodes).toHaveLength(61);
      const latest = await head(engine.checkpointer, "1");
      expect(latest?.checkpoint.id).toBe("1f0f1bd1-a02b-6fde-803b-e4fb2ae9f53e");
      const messages = messagesAt(latest);
      expect(messages).toHaveLength(30);
      expect(messages.filter((m) => m instanceof HumanMessage)).toHaveLength(17);
      expect(messages.filter((m) => m instanceof AIMessage)).toHaveLength(13);
      expect(messages[0]!.content).toBe("What is the capital of France?");
      expect(messages.at(-1)).toBeInstanceOf(HumanMessage);
      expect(messages.at(-1)!.content).toBe("What is the capital of Argentina?");
      expect(latest?.checkpoint.channel_values.capital).toBe("Sana'a");
    });

    it("reads a pending tool call", async () => {
      expect((await engine.client.history.tree({ threadId: "2" })).nodes).toHaveLength(8);
      const last = messagesAt(await head(engine.checkpointer, "2")).at(-1) as AIMessage;
      expect(last).toBeInstanceOf(AIMessage);
      expect(last.content).toBe("");
      expect(last.tool_calls?.map((c) => c.name)).toEqual(["search_brazilian_state_capital"]);
    });

    it("decodes langmem's RunningSummary and the set inside it", () => {
      const contexts = tuples.map((t) => t.checkpoint.channel_values.context as { running_summary?: Record<string, unknown> } | undefined);
      const summary = contexts.find((c) => c?.running_summary)?.running_summary;
      expect(summary?.[PY_CLASS_KEY]).toBe("langmem.short_term.summarization.RunningSummary");
      expect(summary?.summarized_message_ids).toBeInstanceOf(Set);
      expect((summary?.summarized_message_ids as Set<string>).size).toBeGreaterThan(0);
    });

    it("stores grown message lists as appends (the checkpointer's delta storage)", () => {
      const kinds = engine.checkpointer.db
        .prepare(`SELECT kind, count(*) AS n FROM tl_blobs WHERE thread_id = '1' AND channel = 'messages' GROUP BY kind`)
        .all() as { kind: number; n: number }[];
      expect(kinds.find((k) => k.kind === 1)?.n ?? 0).toBeGreaterThan(kinds.find((k) => k.kind === 0)?.n ?? 0);
    });
  });

  describe(`${LEGACY} (pre-0.2 schema)`, () => {
    it("is recognized and refused, writing nothing", async () => {
      const copy = stage(LEGACY);
      const info = await inspectLangGraphDatabase(copy);
      expect(info).toMatchObject({ flavour: "legacy", threads: 1, checkpoints: 5, writes: 0 });
      expect(info.unsupported).toContain("thread_ts");
      const engine = openTestEngine();
      engines.push(engine);
      const error = await importLangGraphDatabase(copy, engine.checkpointer).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).code).toBe("UNSUPPORTED_SCHEMA");
      expect((error as StorageError).message).toContain(LEGACY);
      expect((error as StorageError).message).toMatch(/before 0\.2.*thread_ts.*not supported/s);
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 0, checkpoints: 0, writes: 0 });
      expect(await engine.client.threads.count({})).toBe(0);
    });
  });

  describe("options", () => {
    it("imports only the threads asked for, naming unknown ones", async () => {
      const engine = openTestEngine();
      engines.push(engine);
      const result = await importLangGraphDatabase(stage(HUSNAIN), engine.checkpointer, {
        threadIds: ["b4270031-2fce-44e7-8f2e-f0abf057ddc6", "nope"],
      });
      expect(result.threads.map((t) => t.threadId)).toEqual(["b4270031-2fce-44e7-8f2e-f0abf057ddc6"]);
      expect(result.skipped).toEqual([{ threadId: "nope", reason: expect.stringContaining('no thread "nope"') as string }]);
      expect((await storedCounts(engine.checkpointer)).threads).toBe(1);
      const info = await engine.client.threads.get({ threadId: "b4270031-2fce-44e7-8f2e-f0abf057ddc6" });
      expect(info.metadata).toMatchObject({ imported_from: HUSNAIN, source_thread_id: "b4270031-2fce-44e7-8f2e-f0abf057ddc6" });
    });

    it("skips, replaces or renames a thread the target already has", async () => {
      const engine = openTestEngine();
      engines.push(engine);
      const file = stage(HUSNAIN);
      await importLangGraphDatabase(file, engine.checkpointer);

      const skipped = await importLangGraphDatabase(file, engine.checkpointer);
      expect(skipped.threads).toEqual([]);
      expect(skipped.skipped.map((s) => s.reason)).toEqual(Array(3).fill(expect.stringContaining("already exists")));

      const replaced = await importLangGraphDatabase(file, engine.checkpointer, { onConflict: "replace" });
      expect(replaced.threads.map((t) => t.threadId)).toEqual(replaced.threads.map((t) => t.sourceId));
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 3, checkpoints: 19, writes: 107 });

      const renamed = await importLangGraphDatabase(file, engine.checkpointer, { onConflict: "rename" });
      expect(renamed.threads.map((t) => t.threadId)).toEqual(renamed.threads.map((t) => `${t.sourceId}-imported`));
      expect(await storedCounts(engine.checkpointer)).toEqual({ threads: 6, checkpoints: 38, writes: 214 });
      const again = await importLangGraphDatabase(file, engine.checkpointer, { onConflict: "rename", threadIds: [renamed.threads[0]!.sourceId] });
      expect(again.threads[0]!.threadId).toBe(`${renamed.threads[0]!.sourceId}-imported-2`);
    });

    it("revives and writes every imported thread's history as the long ways do (serializer; encoding then API shape)", async () => {
      let compared = 0;
      let revived = 0;
      for (const name of [FERRER, ALEJANDRO, HUSNAIN, FREDDY]) {
        const { engine } = await importFixture(name);
        // Every stored value the synchronous reviver takes is revived as the serializer revives it.
        const rows = engine.checkpointer.db
          .prepare(
            `SELECT type, value FROM tl_blobs WHERE type IN ('json', 'json${COMPRESSED}')
             UNION ALL SELECT type, value FROM tl_writes WHERE type IN ('json', 'json${COMPRESSED}')`,
          )
          .all() as { type: string; value: Buffer | null }[];
        for (const row of rows) {
          const text = unpack(row.type, row.value).value?.toString("utf8") ?? "";
          if (!text.includes('"lc"')) continue;
          const fast = reviveSync(JSON.parse(text), messagesModule);
          if (!fast) continue;
          revived++;
          expect(fast.value).toStrictEqual(await engine.checkpointer.serde.loadsTyped("json", text));
        }
        for (const thread of await engine.client.threads.search({ limit: 1000 })) {
          const namespaces = new Set((await engine.client.history.tree({ threadId: thread.threadId })).nodes.map((n) => n.checkpointNs));
          for (const ns of namespaces) compared += await compareApiHistory(engine.client, thread.threadId, ns);
        }
      }
      expect(compared).toBeGreaterThan(500);
      expect(revived).toBeGreaterThan(50);
    });

    it("forks an imported thread like any other", async () => {
      const engine = openTestEngine();
      engines.push(engine);
      await importLangGraphDatabase(stage(HUSNAIN), engine.checkpointer);
      const threadId = "fd6d79e3-8192-448b-8854-985961588ee1";
      const nodes = (await engine.client.history.tree({ threadId })).nodes;
      const fork = await engine.client.threads.fork({ threadId, checkpointId: nodes[3]!.checkpointId, checkpointNs: "", newThreadId: "forked" });
      expect(fork.headCheckpointId).toBe(nodes[3]!.checkpointId);
      expect((await engine.client.history.tree({ threadId: "forked" })).nodes).toHaveLength(4);
    });

    it("refuses files that are not LangGraph databases", async () => {
      const dir = mkdtempSync(path.join(staging, "bad-"));
      const text = path.join(dir, "notes.txt");
      writeFileSync(text, "not a database");
      await expect(inspectLangGraphDatabase(text)).rejects.toMatchObject(expect.objectContaining({ code: "NOT_SQLITE" }) as Error);
      await expect(inspectLangGraphDatabase(path.join(dir, "missing.sqlite"))).rejects.toMatchObject(expect.objectContaining({ code: "CANNOT_OPEN" }) as Error);
      const own = path.join(dir, "threadline.db");
      new SqliteCheckpointer(own).close();
      expect(await inspectLangGraphDatabase(own)).toMatchObject({ flavour: "unknown", unsupported: expect.stringContaining("no \"checkpoints\" table") as string });
      const engine = openTestEngine();
      engines.push(engine);
      await expect(importLangGraphDatabase(own, engine.checkpointer)).rejects.toMatchObject({ code: "UNSUPPORTED_SCHEMA" });
    });
  });
});
