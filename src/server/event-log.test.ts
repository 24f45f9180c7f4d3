import type { EngineEvent } from "../shared/events";
import { MB } from "./approx-bytes";
import { EVENT_LOG_BYTES, EventLog } from "./event-log";

const big = (i: number) => ({ type: "values", runId: `r${i}`, threadId: "t", seq: i, at: "", step: i, namespace: [], values: { text: "x".repeat(MB) } }) as unknown as EngineEvent;

describe("the browser-mode event log", () => {
  it("keeps events within its byte budget, and resumes after a recent Last-Event-ID", () => {
    const log = new EventLog();
    for (let i = 0; i < 100; i++) log.push(big(i));
    expect(log.keptBytes).toBeLessThanOrEqual(EVENT_LOG_BYTES);
    const resumed: number[] = [];
    log.subscribe(98, (entry) => resumed.push(entry.id))();
    expect(resumed).toEqual([99, 100]);
  });
});
