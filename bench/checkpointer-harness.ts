/**
 * Measurement machinery of the checkpointer benchmark, independent of which savers are compared.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import {
  type BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  emptyCheckpoint,
  uuid6,
} from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";
import { median } from "./format";

export const MESSAGE_BYTES = 1024;
export const HISTORY_PAGE = 50;

/** A saver opened on a fresh directory; `files` are what counts as its database size. */
export interface OpenedSaver {
  saver: BaseCheckpointSaver;
  files: string[];
  close(): void;
}

export interface SaverSpec {
  key: string;
  label: string;
  open(dir: string): OpenedSaver;
}

export interface Measurement {
  saver: string;
  steps: number;
  checkpoints: number;
  runMs: number;
  msPerCheckpoint: number;
  historyMs: number;
  firstPageMs: number;
  getStateMs: number;
  /** null for savers without a file. */
  bytes: number | null;
  /** Peak heapUsed minus the post-GC baseline while walking the full history. */
  heapGrowth: number;
  /** Same for external memory (it includes arrayBuffers): Buffers read from SQLite live there, not on the heap. */
  externalGrowth: number;
}

interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
}

function chatMessage(step: number, bytes: number): ChatMessage {
  const head = `step ${step}: `;
  return {
    id: `msg-${step}`,
    role: step % 2 === 0 ? "assistant" : "user",
    content: head + "lorem ipsum dolor sit amet ".repeat(Math.ceil(bytes / 27)).slice(0, bytes - head.length),
  };
}

const AgentState = Annotation.Root({
  messages: Annotation<ChatMessage[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  count: Annotation<number>({ reducer: (left, right) => left + right, default: () => 0 }),
});

/** The agent loop of issue 3: one node appends a 1 KB message and counts; a conditional edge loops until `steps`. */
export function buildAgent(steps: number, checkpointer: BaseCheckpointSaver) {
  return new StateGraph(AgentState)
    .addNode("agent", (state) => ({ messages: [chatMessage(state.count, MESSAGE_BYTES)], count: 1 }))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state) => (state.count < steps ? "agent" : END), ["agent", END])
    .compile({ checkpointer });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function medianOf(times: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await timed(fn));
  return median(samples);
}

function fileBytes(files: string[]): number {
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(file).size;
    } catch {
      // a -wal file need not exist
    }
  }
  return total;
}

function gc(): void {
  // Twice: the first pass can leave objects that only become collectable after finalizers ran.
  global.gc!();
  global.gc!();
}

/**
 * Peak memory above the post-GC baseline while `walk` runs; `sample` must be called by the walk
 * at every step so that the peak between collections is seen.
 */
async function memoryGrowth(walk: (sample: () => void) => Promise<void>): Promise<{ heap: number; external: number }> {
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakExternal = base.external;
  const sample = () => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakExternal = Math.max(peakExternal, now.external);
  };
  await walk(sample);
  sample();
  return { heap: peakHeap - base.heapUsed, external: peakExternal - base.external };
}

export function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Runs the agent loop for `steps` steps on a fresh saver and measures its writes and history reads. */
export async function measureAgentRun(spec: SaverSpec, steps: number): Promise<Measurement> {
  return withTempDir(`threadline-bench-${spec.key}-`, async (dir) => {
    const opened = spec.open(dir);
    try {
      const graph = buildAgent(steps, opened.saver);
      const config = { configurable: { thread_id: `bench-${spec.key}-${steps}` } };
      gc();

      const runMs = await timed(async () => {
        const final = await graph.invoke({ messages: [] }, { ...config, recursionLimit: steps + 10 });
        // A saver that writes in batches writes its last one inside the timed run, and before its bytes are counted.
        (opened.saver as { flushWrites?: () => void }).flushWrites?.();
        if (final.count !== steps || final.messages.length !== steps) {
          throw new Error(`${spec.label}: agent stopped at ${final.count} steps, expected ${steps}`);
        }
      });
      const bytes = opened.files.length > 0 ? fileBytes(opened.files) : null;

      let checkpoints = 0;
      const historyMs = await timed(async () => {
        for await (const _snapshot of graph.getStateHistory(config)) checkpoints++;
      });
      if (checkpoints < steps) throw new Error(`${spec.label}: history has ${checkpoints} entries for ${steps} steps`);

      const firstPageMs = await medianOf(3, async () => {
        let entries = 0;
        for await (const _snapshot of graph.getStateHistory(config, { limit: HISTORY_PAGE })) entries++;
        if (entries !== Math.min(HISTORY_PAGE, checkpoints)) throw new Error(`${spec.label}: first history page has ${entries} entries`);
      });

      const getStateMs = await medianOf(9, async () => {
        const state = await graph.getState(config);
        if (state.values.messages.length !== steps) throw new Error(`${spec.label}: latest state is not the last step`);
      });

      const growth = await memoryGrowth(async (sample) => {
        for await (const _snapshot of graph.getStateHistory(config)) sample();
      });

      return {
        saver: spec.key,
        steps,
        checkpoints,
        runMs,
        msPerCheckpoint: runMs / checkpoints,
        historyMs,
        firstPageMs,
        getStateMs,
        bytes,
        heapGrowth: growth.heap,
        externalGrowth: growth.external,
      };
    } finally {
      opened.close();
    }
  });
}

/**
 * Writes a thread of `count` checkpoints straight through `put` (no graph), shaped like an agent loop:
 * a counter that changes every step and a message list that grows now and then, so that building
 * it stays fast while the rows look like real ones.
 */
export async function writeLongThread(saver: BaseCheckpointSaver, threadId: string, count: number): Promise<void> {
  let config: RunnableConfig = { configurable: { thread_id: threadId, checkpoint_ns: "" } };
  let checkpoint: Checkpoint = emptyCheckpoint();
  let messages: ChatMessage[] = [];
  // Savers may use string or number versions; LangGraph hands back whatever getNextVersion returned.
  const versioned = saver as BaseCheckpointSaver<string | number>;
  for (let step = -1; step < count - 1; step++) {
    const changed: ChannelVersions = {};
    const bump = (channel: string) => {
      changed[channel] = versioned.getNextVersion(checkpoint.channel_versions[channel]);
    };
    bump("count");
    if (step % 100 === 0) {
      messages = [...messages, chatMessage(step, 200)];
      bump("messages");
    }
    const seen = checkpoint.channel_versions;
    const versions = { ...seen, ...changed };
    checkpoint = {
      v: 4,
      id: uuid6(-1),
      ts: new Date().toISOString(),
      channel_values: { count: step + 1, messages },
      channel_versions: versions,
      versions_seen: step < 0 ? {} : { agent: { ...seen } },
    };
    const metadata: CheckpointMetadata = { source: step < 0 ? "input" : "loop", step, parents: {} };
    config = await saver.put(config, checkpoint, metadata, changed);
  }
}

/** Per-field median of repeated measurements of one saver at one size. */
export function medianMeasurement(runs: Measurement[]): Measurement {
  const first = runs[0];
  if (!first) throw new Error("no runs to combine");
  const of = (pick: (m: Measurement) => number) => median(runs.map(pick));
  return {
    saver: first.saver,
    steps: first.steps,
    checkpoints: of((m) => m.checkpoints),
    runMs: of((m) => m.runMs),
    msPerCheckpoint: of((m) => m.msPerCheckpoint),
    historyMs: of((m) => m.historyMs),
    firstPageMs: of((m) => m.firstPageMs),
    getStateMs: of((m) => m.getStateMs),
    bytes: first.bytes === null ? null : of((m) => m.bytes!),
    heapGrowth: of((m) => m.heapGrowth),
    externalGrowth: of((m) => m.externalGrowth),
  };
}
