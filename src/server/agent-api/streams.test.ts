// A run's event log as streams read it: waiting for each next event must not leak listeners.
import type { EngineEvent } from "../../shared/events";
import { RunEventLogs } from "./streams";

const base = { runId: "r", threadId: "t", at: "2026-01-01T00:00:00.000Z" };

describe("RunEventLogs.stream", () => {
  it("waits for 30 events one at a time on one abort signal without a MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const logs = new RunEventLogs();
      const abort = new AbortController();
      const seen: string[] = [];
      const reading = (async () => {
        for await (const event of logs.stream("r", { modes: new Set(["custom"]), subgraphs: false }, { signal: abort.signal })) seen.push(event.id);
      })();
      for (let seq = 1; seq <= 30; seq++) {
        // Each event arrives after the stream has caught up and is waiting again.
        await new Promise((resolve) => setTimeout(resolve, 1));
        logs.accept({ ...base, seq, type: "custom", node: "n", data: seq, namespace: [] } as EngineEvent);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      abort.abort();
      await reading;
      expect(seen).toHaveLength(31); // metadata, then one per event
      // Node reports a listener leak on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("ends a waiting stream when its signal aborts", async () => {
    const logs = new RunEventLogs();
    const abort = new AbortController();
    const reading = (async () => {
      const ids: string[] = [];
      for await (const event of logs.stream("r", { modes: new Set(["values"]), subgraphs: false }, { signal: abort.signal })) ids.push(event.id);
      return ids;
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    expect(await reading).toEqual(["0_0"]);
  });
});
