// PgStore against a real PostgreSQL 15 started for this file (pg-server.ts):
// - JS rows: real graph runs through LangGraph.js's PostgresSaver in schema "agents"; every
//   checkpoint of every thread must read exactly as that saver's own getTuple reads it.
// - Python rows: two Python SqliteSaver fixtures copied into the layout of Python's
//   PostgresSaver (python-pg-layout.ts); every checkpoint must read as the SQLite file itself
//   reads in place, and the manifest's facts hold.
// - Bad input: wrong password, unreachable host, no LangGraph tables, a newer migration, an
//   unsupported option; writes refused by the server; plans that use the primary key.

import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeValue } from "../../src/shared/encoding";
import { canonical } from "../../src/core/threads/transfer";
import * as q from "../../src/core/stores/pg-queries";
import { PgStore } from "../../src/core/stores/pg-store";
import { SqliteStore } from "../../src/core/stores/sqlite-store";
import { JS_THREADS, writeJsRuns } from "./js-pg-runs";
import { openTestEngine } from "../support/engine";
import { PG_PASSWORD, postgresMissing, startPostgres, type TestPostgres } from "./pg-server";
import { createPythonTables, loadPythonFixture } from "./python-pg-layout";
import { LANGGRAPH_FIXTURES } from "../support/fixtures";

const FIXTURES = LANGGRAPH_FIXTURES;
const ALEJANDRO = "alejandro434__LLMs_Agents_Evals__checkpoints.sqlite";
const MATHEUS = "matheusg18__langgraph-course__checkpoints.sqlite";

const missing = postgresMissing();
if (missing) console.warn(`skipping the PostgreSQL tests: ${missing}`);

/** A tuple as comparable text: values, versions, metadata, parent, writes. */
function comparable(t: CheckpointTuple | undefined, divergent = new Set<string>()) {
  if (!t) return undefined;
  const versions = t.checkpoint.channel_versions;
  const { thread_id, checkpoint_ns } = t.config.configurable ?? {};
  const values = Object.fromEntries(
    Object.entries(t.checkpoint.channel_values).filter(
      ([c]) => c in versions && !divergent.has([thread_id, checkpoint_ns, c, String(versions[c])].join("\0")),
    ),
  );
  // Key order aside (JSONB keeps its own).
  return canonical(
    encodeValue({
      id: t.checkpoint.id,
      values,
      versions,
      seen: t.checkpoint.versions_seen,
      metadata: t.metadata,
      parent: t.parentConfig?.configurable?.checkpoint_id ?? null,
      writes: t.pendingWrites,
    }),
  );
}

describe.skipIf(missing !== undefined)("a PostgresSaver database opened read-only", () => {
  let server: TestPostgres;
  let jsSaver: PostgresSaver;
  let copies: string;
  const divergent = new Map<string, Set<string>>();
  const stores: PgStore[] = [];
  const open = async (url: string) => {
    const store = await PgStore.open(url);
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startPostgres();
    await server.createDatabase("js");
    jsSaver = await writeJsRuns(server.url("js"), "agents");
    copies = mkdtempSync(path.join(tmpdir(), "threadline-pgfix-"));
    for (const name of [ALEJANDRO, MATHEUS]) {
      const db = name.split("__")[1]!.toLowerCase();
      await server.createDatabase(db);
      for (const suffix of ["", "-wal"]) if (existsSync(path.join(FIXTURES, name + suffix))) copyFileSync(path.join(FIXTURES, name + suffix), path.join(copies, name + suffix));
      const client = new pg.Client({ connectionString: server.url(db) });
      await client.connect();
      await createPythonTables(client);
      divergent.set(name, (await loadPythonFixture(client, path.join(copies, name))).divergent);
      await client.end();
    }
    await server.createDatabase("empty");
  }, 120_000);

  afterAll(async () => {
    for (const store of stores) await store.close();
    await jsSaver?.end();
    server?.stop();
    if (copies) rmSync(copies, { recursive: true, force: true });
  });

  it("reads every checkpoint of the JS saver's runs as the saver itself does", async () => {
    const store = await open(server.url("js", "schema=agents"));
    const threads = await store.threads({ limit: 50, offset: 0 });
    expect(threads.map((t) => t.threadId).sort()).toEqual(Object.values(JS_THREADS).sort());
    let compared = 0;
    for (const { threadId } of threads) {
      for (const summary of await store.getCheckpointTree(threadId)) {
        const config = { configurable: { thread_id: threadId, checkpoint_ns: summary.checkpointNs, checkpoint_id: summary.checkpointId } };
        expect(comparable(await store.getTuple(config))).toBe(comparable(await jsSaver.getTuple(config)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
    const chat = await store.getTuple({ configurable: { thread_id: JS_THREADS.chat, checkpoint_ns: "" } });
    expect((chat!.checkpoint.channel_values.messages as BaseMessage[]).map((m) => m.content)).toEqual([
      "hello", "reply 1", "tell me more", "reply 3", "thanks", "reply 5",
    ]);
    const paused = await store.getTuple({ configurable: { thread_id: JS_THREADS.paused, checkpoint_ns: "" } });
    expect(JSON.stringify(paused!.pendingWrites)).toContain("approve refund 42?");
    const nested = await store.getCheckpointTree(JS_THREADS.nested);
    expect(nested.some((s) => s.checkpointNs.startsWith("sub:"))).toBe(true);
  });

  it("reads Python's layout (inline primitives, msgpack blobs by version) as the SQLite file reads", async () => {
    for (const name of [ALEJANDRO, MATHEUS]) {
      const store = await open(server.url(name.split("__")[1]!.toLowerCase()));
      const file = SqliteStore.open(path.join(copies, name));
      try {
        expect(await store.countThreads({})).toBe(await file.countThreads({}));
        // Paged by the key, four at a time: every thread once (the order is the database's collation).
        const paged: string[] = [];
        for (let offset = 0, page; (page = await store.threads({ limit: 4, offset })).length > 0; offset += 4) paged.push(...page.map((t) => t.threadId));
        expect(paged.length).toBe(new Set(paged).size);
        expect(paged.sort()).toEqual((await file.threads({ limit: 1000, offset: 0 })).map((t) => t.threadId).sort());
        for (const thread of await file.threads({ limit: 1000, offset: 0 })) {
          const tree = await file.getCheckpointTree(thread.threadId);
          expect((await store.getCheckpointTree(thread.threadId)).map((s) => s.checkpointId)).toEqual(tree.map((s) => s.checkpointId));
          for (const s of tree) {
            const config = { configurable: { thread_id: thread.threadId, checkpoint_ns: s.checkpointNs, checkpoint_id: s.checkpointId } };
            const skip = divergent.get(name);
            expect(comparable(await store.getTuple(config), skip)).toBe(comparable(await file.getTuple(config), skip));
          }
        }
      } finally {
        await file.close();
      }
    }
    // Only langmem's running summary, mutated in place under one version (see the MANIFEST), differs.
    expect(divergent.get(ALEJANDRO)!.size).toBe(0);
    expect([...divergent.get(MATHEUS)!].every((k) => k.split("\0")[2] === "context")).toBe(true);
    const store = await open(server.url("llms_agents_evals"));
    const sub = await store.getTuple({
      configurable: { thread_id: "16e8dce3-e185-46fe-80ce-7f1f986247fe", checkpoint_ns: "react_node:90764a9d-2cfa-3b6c-d90f-1638cd68f4df" },
    });
    expect(sub!.checkpoint.id).toBe("1f084ee7-8481-6aa9-8004-29eb58a2a490");
    expect(sub!.metadata?.parents).toEqual({ "": "1f084ee7-3378-6d2f-8001-693179de964f" });
    const course = await open(server.url("langgraph-course"));
    expect((await course.thread("16"))?.headCheckpointId).toBe("1f0f1bed-19d7-655d-8002-fb0eb536221d");
  });

  it("sees new checkpoints at the next poll and refuses to write", async () => {
    const store = await open(server.url("js", "schema=agents"));
    expect(await store.poll()).toEqual([]);
    await jsSaver.put(
      { configurable: { thread_id: "js-new", checkpoint_ns: "" } },
      { v: 4, id: "1f0c0000-0000-6000-8000-000000000001", ts: new Date().toISOString(), channel_values: {}, channel_versions: {}, versions_seen: {} },
      { source: "input", step: -1, parents: {} },
      {},
    );
    expect(await store.poll()).toEqual(["js-new"]);
    await expect(store.deleteThread()).rejects.toThrow(/read-only/);
    const session = new pg.Client(store["target"].config);
    await session.connect();
    await expect(session.query(`DELETE FROM agents.checkpoints`)).rejects.toThrow(/read-only transaction/);
    await session.end();
  });

  it("shows a dropped connection and connects again", async () => {
    const store = await open(server.url("js", "schema=agents&application_name=dropped"));
    await store.poll();
    await server.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dropped'`);
    await vi.waitFor(() => expect(store.status.connected).toBe(false));
    expect(store.status.error).toMatch(/terminat/);
    expect(await store.poll()).toEqual([]);
    expect(store.status).toEqual({ connected: true, error: null });
  });

  it("copies a thread of a PostgreSQL store into Threadline through the contract", async () => {
    const engine = openTestEngine();
    try {
      const list = await engine.client.sources.open({ location: server.url("js", "schema=agents") });
      expect(list.sources[1]!.label).not.toContain(PG_PASSWORD);
      // (The live test above added "js-new".)
      expect((await engine.client.threads.search({})).map((t) => t.threadId)).toEqual(expect.arrayContaining(Object.values(JS_THREADS)));
      const copied = await engine.client.sources.copyToLocal({ threadId: JS_THREADS.chat });
      expect((await engine.client.source.info()).kind).toBe("local");
      const state = await engine.client.state.get({ threadId: copied.threadId });
      expect(JSON.stringify(state.values)).toContain("reply 5");
    } finally {
      await engine.close();
    }
  });

  it("runs every read on the primary keys (no sequential scan), as the store runs it", async () => {
    const client = new pg.Client({ connectionString: server.url("llms_agents_evals") });
    await client.connect();
    try {
      // Small tables make a sequential scan the cheapest plan; the test asks whether an index plan exists.
      await client.query(`SET enable_seqscan = off`);
      const t = { checkpoints: "checkpoints", checkpoint_blobs: "checkpoint_blobs", checkpoint_writes: "checkpoint_writes", checkpoint_migrations: "checkpoint_migrations" };
      // The savers' own indexes: the primary keys, and the thread_id indexes Python's migrations add.
      const index = (table: string) => `${table}_(pkey|thread_id_idx)`;
      const uses = (...tables: string[]) => new RegExp(tables.map(index).join("[\\s\\S]*"));
      const [thread, ns, id] = ["16e8dce3-e185-46fe-80ce-7f1f986247fe", "", "1f084ee7-3378-6d2f-8001-693179de964f"];
      const queries: [string, string, unknown[], RegExp][] = [
        ["first page of threads", q.threadPageSql(t, "first"), [50], uses("checkpoints", "checkpoint_writes")],
        ["next page of threads", q.threadPageSql(t, "after"), [50, thread], uses("checkpoints", "checkpoint_writes")],
        ["threads from a prefix", q.threadPageSql(t, "from"), [50, "16"], uses("checkpoints", "checkpoint_writes")],
        ["a page of threads with what it shows", q.threadPageSql(t, "after", true), [50, thread], uses("checkpoints", "checkpoint_writes")],
        ["one thread", q.threadSql(t), [thread], uses("checkpoints", "checkpoint_writes")],
        ["thread count", q.countThreadsSql(t), [], uses("checkpoints")],
        ["heads' metadata", q.headMetadataSql(t), [[thread], [ns], [id]], uses("checkpoints")],
        ["state at a checkpoint", q.tupleSql(t, false), [thread, ns, id], uses("checkpoints", "checkpoint_blobs", "checkpoint_writes")],
        ["state at the head", q.tupleSql(t, true), [thread, ns], uses("checkpoints", "checkpoint_blobs", "checkpoint_writes")],
        ["history page", q.summariesSql(t, { ns: true, before: true, limit: true }), [thread, ns, id, 50], uses("checkpoints")],
        ["timeline", q.summariesSql(t, { ns: false, before: false, limit: false }), [thread], uses("checkpoints")],
        ["writes' channels", q.writeChannelsSql(t), [thread, id, id], uses("checkpoint_writes")],
        ["checkpoint count", q.countCheckpointsSql(t), [thread], uses("checkpoints")],
      ];
      for (const [what, sql, values, keys] of queries) {
        const plan = (await client.query(`EXPLAIN ${sql}`, values)).rows.map((r) => r["QUERY PLAN"]).join("\n");
        expect(plan, `${what}:\n${plan}`).not.toMatch(/Seq Scan/);
        expect(plan, `${what}:\n${plan}`).toMatch(keys);
      }
    } finally {
      await client.end();
    }
  });

  it("says what is wrong with a connection", async () => {
    await expect(PgStore.open(server.url("js").replace(/:[^:@]+@/, ":wrong@"))).rejects.toThrow('Wrong password for user "postgres"');
    await expect(PgStore.open(`postgres://postgres:x@127.0.0.1:1/js?connect_timeout=2`)).rejects.toThrow(/Cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    await expect(PgStore.open(server.url("empty"))).rejects.toThrow(/has no LangGraph checkpoint tables in schema "public"/);
    await expect(PgStore.open(server.url("js", "sslcert=/x"))).rejects.toThrow(/option\(s\) "sslcert", which Threadline does not support/);
    await expect(PgStore.open(server.url("nosuchdb"))).rejects.toThrow(/has no database "nosuchdb"/);
    await server.createDatabase("future");
    const client = new pg.Client({ connectionString: server.url("future") });
    await client.connect();
    await createPythonTables(client);
    await client.query(`INSERT INTO checkpoint_migrations (v) VALUES (10)`);
    await client.end();
    await expect(PgStore.open(server.url("future"))).rejects.toThrow(/checkpoint migration 10, newer than the newest Threadline knows \(9\)/);
  });
});
