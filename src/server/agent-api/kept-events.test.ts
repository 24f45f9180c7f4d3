// Finished runs' events are kept by bytes, not only by count (the adversarial pass's two cases:
// 300 runs with 100 KB messages, 50 runs on one growing thread), and the most recent runs can still
// be replayed from a Last-Event-ID.
import type { RunEvent } from "../../shared/events";
import { newRunInfo } from "../../core/storage/runs-table";
import { heapAfterGc, MB } from "../test-memory";
import { KEEP_FINISHED_BYTES, RunEventLogs } from "./streams";

const message = (id: string, size: number) => ({ $type: "message", class: "HumanMessage", type: "human", id, content: "x".repeat(size) });

/** A run's events as the engine sends them: each `values` carries the whole state, a fresh copy (as after postMessage). */
function runEvents(runId: string, threadId: string, state: unknown[]): RunEvent[] {
  const base = { runId, threadId, at: "2026-01-01T00:00:00.000Z" };
  const copy = () => ({ messages: JSON.parse(JSON.stringify(state)) as unknown }) as never;
  const run = newRunInfo({ runId, threadId, graphId: "agent", createdAt: base.at, status: "success" });
  return [
    { ...base, seq: 1, type: "run.created", run },
    { ...base, seq: 2, type: "values", values: copy(), step: 0, namespace: [] },
    { ...base, seq: 3, type: "node.started", node: "agent", taskId: "t", step: 1, namespace: [] },
    { ...base, seq: 4, type: "values", values: copy(), step: 1, namespace: [] },
    { ...base, seq: 5, type: "run.finished", status: "success", error: null, run },
  ];
}

async function replayAfter(logs: RunEventLogs, runId: string, lastEventId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of logs.stream(runId, { modes: new Set(["values"]), subgraphs: false }, { lastEventId })) ids.push(e.id);
  return ids;
}

describe("events kept for finished runs", () => {
  it("300 runs with 100 KB messages: held within the byte budget, the latest replayable", async () => {
    const logs = new RunEventLogs();
    const before = heapAfterGc();
    for (let i = 0; i < 300; i++) {
      for (const event of runEvents(`run-${i}`, `thread-${i}`, [message(`m${i}`, 100_000)])) logs.accept(event);
    }
    expect(logs.keptBytes).toBeLessThanOrEqual(KEEP_FINISHED_BYTES);
    expect(heapAfterGc() - before).toBeLessThan(KEEP_FINISHED_BYTES + 16 * MB);
    expect(logs.has("run-299")).toBe(true);
    expect(logs.has("run-0")).toBe(false);
    expect(await replayAfter(logs, "run-299", "2_0")).toEqual(["4_0"]);
  });

  it("50 runs on one growing thread: held within the byte budget, the latest replayable", async () => {
    const logs = new RunEventLogs();
    const before = heapAfterGc();
    const state: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      state.push(message(`m${i}`, 100_000));
      for (const event of runEvents(`run-${i}`, "growing", state)) logs.accept(event);
    }
    expect(logs.keptBytes).toBeLessThanOrEqual(KEEP_FINISHED_BYTES);
    expect(heapAfterGc() - before).toBeLessThan(KEEP_FINISHED_BYTES + 16 * MB);
    expect(logs.has("run-49")).toBe(true);
    expect(await replayAfter(logs, "run-49", "2_0")).toEqual(["4_0"]);
  });

  it("keeps the most recent finished run even when it alone is over the budget", () => {
    const logs = new RunEventLogs({ runs: 200, bytes: 1 * MB });
    for (const event of runEvents("big", "t", [message("m", 2 * MB)])) logs.accept(event);
    expect(logs.has("big")).toBe(true);
    for (const event of runEvents("next", "t", [message("n", 10)])) logs.accept(event);
    expect(logs.has("big")).toBe(false);
    expect(logs.has("next")).toBe(true);
  });
});
