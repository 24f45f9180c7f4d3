// `stream_resumable` as LangGraph documents it: a resumable run's stream can be read again, from the
// start or after a Last-Event-ID; otherwise what one stream delivered is gone for the next.
import type { EngineEvent } from "../../shared/events";
import { RunEventLogs } from "./streams";

const base = { runId: "r", threadId: "t", at: "2026-01-01T00:00:00.000Z" };
const custom = { modes: new Set(["custom"]), subgraphs: false };

async function read(logs: RunEventLogs, options: { lastEventId?: string; upTo?: number } = {}): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of logs.stream("r", custom, options.lastEventId ? { lastEventId: options.lastEventId } : {})) {
    ids.push(`${event.event}:${event.id}`);
    if (ids.length === options.upTo) break;
  }
  return ids;
}

function logWith(events: number, resumable: boolean): RunEventLogs {
  const logs = new RunEventLogs();
  if (!resumable) logs.notResumable("r");
  for (let seq = 1; seq <= events; seq++) logs.accept({ ...base, seq, type: "custom", node: "n", data: seq, namespace: [] } as EngineEvent);
  logs.accept({ ...base, seq: events + 1, type: "run.finished", status: "success", error: null } as EngineEvent);
  return logs;
}

describe("a run's stream", () => {
  it("when resumable, reads again from the start (Last-Event-ID -1, as useStream sends) or after the last event id", async () => {
    const logs = logWith(4, true);
    const all = await read(logs);
    expect(all).toEqual(["metadata:0_0", "custom:1_0", "custom:2_0", "custom:3_0", "custom:4_0"]);
    expect(await read(logs, { lastEventId: "-1" })).toEqual(all);
    expect(await read(logs, { lastEventId: "2_0" })).toEqual(["custom:3_0", "custom:4_0"]);
  });

  it("when not resumable, gives a later stream only what no stream has delivered, whatever Last-Event-ID it names", async () => {
    const logs = logWith(4, false);
    expect(await read(logs, { upTo: 3 })).toEqual(["metadata:0_0", "custom:1_0", "custom:2_0"]);
    // The first reader went away after event 2: the next one starts at 3, with no second metadata event.
    expect(await read(logs, { lastEventId: "-1" })).toEqual(["custom:3_0", "custom:4_0"]);
    expect(await read(logs, { lastEventId: "1_0" })).toEqual([]);
  });

  it("when not resumable and never read, gives the first reader everything (a run created, then joined)", async () => {
    expect(await read(logWith(2, false))).toEqual(["metadata:0_0", "custom:1_0", "custom:2_0"]);
  });
});
