// Issue 16's speed targets for checkpoint stores opened in place, on a PostgreSQL database with
// 10,000 threads and ~1,000,000 checkpoints and on a >1 GB SQLite file of the same shape
// (stores-data.ts): the first page of threads from a fresh open under 1 s (also for the file while
// another process writes it, a -wal beside it), later pages under 100 ms, a 1,000-checkpoint
// thread's timeline (the engine's tree: summaries + interrupt marks) under 200 ms, the state at
// any checkpoint under 50 ms (worst of 50 random ones), and heap growth while paging through all
// 10,000 threads under 5 MB. Pages are the store's own (by primary key); threads.search, what the
// thread list calls (each thread's status and count too), is reported beside them. The peer,
// measured in the same run: LangGraph's own PostgresSaver reading the same checkpoints (getTuple;
// list of 1,000). The data is generated once and kept under .cache/bench-stores.
// `npm run bench -- stores`.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { PgStore } from "../src/core/stores/pg-store";
import { SqliteStore } from "../src/core/stores/sqlite-store";
import { StoreReads } from "../src/core/stores/store-reads";
import type { OpenedStore } from "../src/core/stores/types";
import { Checkpoints, configFor } from "../src/core/threads/checkpoint-store";
import { fromTuple } from "../src/core/threads/snapshot";
import { startPostgres, type TestPostgres } from "../test/stores/pg-server";
import { formatBytes, formatMs, formatRatio, median, renderTable } from "./format";
import { timed } from "./support";
import { DATA_VERSION, generatePostgres, generateSqlite, LONG_CHECKPOINTS, LONG_THREAD, THREADS } from "./stores-data";
import type { BenchResult, TargetResult } from "./types";

export const name = "stores";

const FIRST_PAGE_MS = 1000;
const LATER_PAGE_MS = 100;
const TIMELINE_MS = 200;
const STATE_MS = 50;
const HEAP_GROWTH_MB = 5;
const PAGE = 50;
const SQLITE_BYTES = 1.05 * 1024 ** 3;

const generated = (what: string, ms: number) =>
  ms === 0 ? `${what} data reused from ${path.relative(process.cwd(), CACHE)}` : `${what} data generated in ${(ms / 1000).toFixed(0)} s`;

function heapMb(): number {
  global.gc!();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

interface Figures {
  firstPage: number;
  /** The UI's call (threads.search: each thread's status and count too), first page and then later ones. */
  searchFirst: number;
  searchLater: number[];
  laterPages: number[];
  timeline: number;
  states: number[];
  heapGrowth: number;
  threads: number;
  timelineLength: number;
}

async function measure(open: () => Promise<OpenedStore>): Promise<Figures> {
  const [store, openMs] = await timed(open);
  try {
    const [first, firstMs] = await timed(() => store.threads({ limit: PAGE, offset: 0 }));
    if (first.length !== PAGE) throw new Error(`first page has ${first.length} threads`);
    const before = heapMb();
    const laterPages: number[] = [];
    let seen = first.length;
    for (let offset = PAGE; offset < THREADS; offset += PAGE) {
      const [page, ms] = await timed(() => store.threads({ limit: PAGE, offset }));
      laterPages.push(ms);
      seen += page.length;
    }
    const heapGrowth = heapMb() - before;
    const reads = new StoreReads(store);
    const search = (offset: number) => reads["threads.search"]({ limit: PAGE, offset } as Parameters<StoreReads["threads.search"]>[0]);
    const [, searchFirst] = await timed(() => search(0));
    const searchLater: number[] = [];
    for (let offset = PAGE; offset <= 20 * PAGE; offset += PAGE) searchLater.push((await timed(() => search(offset)))[1]);
    const checkpoints = new Checkpoints(store);
    await checkpoints.tree(first[1]!.threadId);
    const [tree, timeline] = await timed(() => checkpoints.tree(LONG_THREAD));
    const states: number[] = [];
    for (let i = 0; i < 50; i++) {
      const pick = tree[Math.floor(Math.random() * tree.length)]!;
      const [, ms] = await timed(async () => fromTuple((await checkpoints.at(LONG_THREAD, "", pick.checkpointId))!));
      states.push(ms);
    }
    return { firstPage: openMs + firstMs, searchFirst, searchLater, laterPages, timeline, states, heapGrowth, threads: seen, timelineLength: tree.length };
  } finally {
    await store.close();
  }
}

function targets(label: string, f: Figures): TargetResult[] {
  const worstPage = Math.max(...f.laterPages);
  const worstState = Math.max(...f.states);
  return [
    { target: `${label}: first page of threads (open + page) < ${FIRST_PAGE_MS} ms`, pass: f.firstPage < FIRST_PAGE_MS, detail: `${formatMs(f.firstPage)} ms` },
    { target: `${label}: later pages < ${LATER_PAGE_MS} ms (worst of ${f.laterPages.length})`, pass: worstPage < LATER_PAGE_MS, detail: `worst ${formatMs(worstPage)} ms, median ${formatMs(median(f.laterPages))} ms` },
    { target: `${label}: ${LONG_CHECKPOINTS}-checkpoint timeline < ${TIMELINE_MS} ms`, pass: f.timeline < TIMELINE_MS && f.timelineLength === LONG_CHECKPOINTS, detail: `${formatMs(f.timeline)} ms for ${f.timelineLength}` },
    { target: `${label}: state at any checkpoint < ${STATE_MS} ms (worst of ${f.states.length})`, pass: worstState < STATE_MS, detail: `worst ${formatMs(worstState)} ms, median ${formatMs(median(f.states))} ms` },
    { target: `${label}: heap growth paging all ${THREADS} threads < ${HEAP_GROWTH_MB} MB`, pass: f.heapGrowth < HEAP_GROWTH_MB && f.threads === THREADS, detail: `${f.heapGrowth.toFixed(1)} MB over ${f.threads} threads` },
  ];
}

/**
 * The file while another process writes it (so a -wal is beside it): open and first page. The
 * writer's thread is deleted again and its close folds the -wal back, so the cached file keeps
 * its data.
 */
async function openWithWriter(file: string): Promise<{ firstPage: number; walBytes: number }> {
  const writer = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "..", "test", "stores", "sql-writer.ts"), file]);
  const lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
  const run = async (sql: string) => {
    if (sql) writer.stdin.write(`${sql}\n`);
    const line = (await lines.next()).value as string;
    if (line !== (sql ? "ok" : "ready")) throw new Error(`the writer answered ${line}`);
  };
  try {
    await run("");
    await run(`INSERT INTO checkpoints VALUES ('zz-live', '', '1f100000-0000-6000-8000-000000000001', NULL, 'json', '{}', '{}')`);
    const walBytes = statSync(`${file}-wal`).size;
    const [[store, page], ms] = await timed(async () => {
      const opened = SqliteStore.open(file);
      return [opened, await opened.threads({ limit: PAGE, offset: 0 })] as const;
    });
    await store.close();
    if (page.length !== PAGE) throw new Error(`first page has ${page.length} threads`);
    await run(`DELETE FROM checkpoints WHERE thread_id = 'zz-live'`);
    return { firstPage: ms, walBytes };
  } finally {
    writer.stdin.end();
    await once(writer, "exit");
  }
}

/** LangGraph's own PostgresSaver on the same checkpoints: the same run's reference. */
async function peer(url: string, ids: string[]): Promise<{ state: number; list: number }> {
  const saver = PostgresSaver.fromConnString(url);
  try {
    const states: number[] = [];
    for (const id of ids) states.push((await timed(() => saver.getTuple(configFor(LONG_THREAD, "", id))))[1]);
    const [, list] = await timed(async () => {
      let n = 0;
      for await (const tuple of saver.list(configFor(LONG_THREAD), { limit: LONG_CHECKPOINTS })) n += tuple ? 1 : 0;
      return n;
    });
    return { state: median(states), list };
  } finally {
    await saver.end();
  }
}

// The generated data outlives a run (gitignored): a PostgreSQL cluster and the SQLite file, each
// marked ready only once complete, so an interrupted generation starts over and a re-run is quick.
export const CACHE = path.join(import.meta.dirname, "..", ".cache", "bench-stores");
const READY = path.join(CACHE, `pg-ready-v${DATA_VERSION}`);
const SQLITE_FILE = path.join(CACHE, `bench-v${DATA_VERSION}.sqlite`);

export async function preparePostgres(server: TestPostgres): Promise<number> {
  if (existsSync(READY)) return 0;
  await server.admin(`DROP DATABASE IF EXISTS bench`);
  await server.createDatabase("bench");
  const client = new pg.Client({ connectionString: server.url("bench") });
  await client.connect();
  try {
    const [, ms] = await timed(() => generatePostgres(client));
    writeFileSync(READY, new Date().toISOString());
    return ms;
  } finally {
    await client.end();
  }
}

export async function prepareSqlite(): Promise<number> {
  if (existsSync(SQLITE_FILE)) return 0;
  const partial = `${SQLITE_FILE}.partial`;
  // Files of an older data version go: 1.4 GB each.
  for (const name of readdirSync(CACHE)) if (/^bench-v\d+\.sqlite/.test(name)) rmSync(path.join(CACHE, name), { force: true });
  const [, ms] = await timed(async () => generateSqlite(partial, SQLITE_BYTES));
  renameSync(partial, SQLITE_FILE);
  return ms;
}

export async function run(): Promise<BenchResult> {
  mkdirSync(CACHE, { recursive: true });
  const server = await startPostgres({ keep: path.join(CACHE, "pg") });
  try {
    const generatePg = await preparePostgres(server);
    const { rows } = await server.admin<{ n: string }>(`SELECT count(*) AS n FROM checkpoints`, [], "bench");
    const pgFigures = await measure(() => PgStore.open(server.url("bench")));
    const probe = await PgStore.open(server.url("bench"));
    const ids = (await probe.listCheckpointSummaries(LONG_THREAD, { limit: 50 })).map((s) => s.checkpointId);
    const ourStates: number[] = [];
    for (const id of ids) ourStates.push((await timed(() => probe.getTuple(configFor(LONG_THREAD, "", id))))[1]);
    const [, ourList] = await timed(() => probe.listCheckpointSummaries(LONG_THREAD, { limit: LONG_CHECKPOINTS }));
    await probe.close();
    const reference = await peer(server.url("bench"), ids);

    const file = SQLITE_FILE;
    const generateFile = await prepareSqlite();
    const sqliteFigures = await measure(async () => SqliteStore.open(file));
    const withWriter = await openWithWriter(file);

    const table = renderTable(
      ["store", "first page ms", "later page worst ms", "search first/worst ms", "timeline ms", "state worst ms", "heap growth MB"],
      [
        ["PostgreSQL", pgFigures, `${rows[0]!.n} checkpoints`] as const,
        ["SQLite (WAL mode, no -wal)", sqliteFigures, formatBytes(statSync(file).size)] as const,
      ].map(([label, f, size]) => [
        `${label}, ${size}`,
        formatMs(f.firstPage),
        formatMs(Math.max(...f.laterPages)),
        `${formatMs(f.searchFirst)} / ${formatMs(Math.max(...f.searchLater))}`,
        formatMs(f.timeline),
        formatMs(Math.max(...f.states)),
        f.heapGrowth.toFixed(1),
      ]),
    );
    const peerTable = renderTable(
      ["PostgreSQL read", "Threadline ms", "PostgresSaver ms", "ratio"],
      [
        ["state at a checkpoint (median of 50)", formatMs(median(ourStates)), formatMs(reference.state), formatRatio(median(ourStates) / reference.state)],
        [`${LONG_CHECKPOINTS} checkpoints of a thread (summaries vs list)`, formatMs(ourList), formatMs(reference.list), formatRatio(ourList / reference.list)],
      ],
    );
    return {
      report:
        `${generated("PostgreSQL", generatePg)}, ${generated("SQLite", generateFile)}\n\n${table}\n` +
        `(search: threads.search, what the thread list calls, with each thread's status and checkpoint count; not a target)\n` +
        `SQLite with a writer's -wal beside it (${formatBytes(withWriter.walBytes)}): open + first page ${formatMs(withWriter.firstPage)} ms\n\n${peerTable}`,
      json: { postgres: pgFigures, sqlite: sqliteFigures, sqliteBytes: statSync(file).size, sqliteWithWriter: withWriter, peer: reference },
      targets: [
        ...targets("PostgreSQL", pgFigures),
        ...targets("SQLite 1 GB", sqliteFigures),
        {
          target: `SQLite 1 GB with a writer's -wal beside it: first page of threads (open + page) < ${FIRST_PAGE_MS} ms`,
          pass: withWriter.firstPage < FIRST_PAGE_MS,
          detail: `${formatMs(withWriter.firstPage)} ms`,
        },
      ],
    };
  } finally {
    server.stop();
  }
}
