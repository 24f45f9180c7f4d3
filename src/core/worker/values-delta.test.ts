// Values events between a worker and its host: what crosses is what changed, what comes out is the
// same event as went in, and consecutive events share the parts that did not change.
import { encodeValue, type EncodeMemo, type JsonValue } from "../../shared/encoding";
import type { EngineEvent } from "../../shared/events";
import { ValuesDeltaDecoder, ValuesDeltaEncoder } from "./values-delta";

const base = { runId: "r1", threadId: "t1", at: "2026-01-01T00:00:00.000Z", namespace: [] as string[] };
const values = (seq: number, value: JsonValue, namespace: string[] = []): EngineEvent => ({ ...base, namespace, type: "values", seq, step: seq, values: value });

/** Through the encoder, then structuredClone (what postMessage does), then the decoder. */
function carry(events: EngineEvent[]) {
  const encoder = new ValuesDeltaEncoder();
  const decoder = new ValuesDeltaDecoder();
  return events.map((event) => {
    const { event: posted, delta } = encoder.encode(event);
    const wire = structuredClone({ posted, delta });
    return { out: decoder.decode(wire.posted, wire.delta), wireBytes: JSON.stringify(wire).length };
  });
}

describe("values events as deltas", () => {
  it("rebuilds every event as it was, sending a growing list's new elements only, and sharing the rest", () => {
    const memo: EncodeMemo = new WeakMap();
    const long = "x".repeat(100_000);
    const messages = Array.from({ length: 5 }, (_, i) => ({ lc_namespace: ["langchain_core", "messages"], type: i % 2 ? "ai" : "human", content: `${i} ${long}`, id: `m${i}` }));
    const events = [
      values(1, encodeValue({ messages: messages.slice(0, 1), count: 1, notes: { a: 1 } }, memo)),
      values(2, encodeValue({ messages: messages.slice(0, 3), count: 2, notes: { a: 1 } }, memo)),
      values(3, encodeValue({ messages: messages.slice(0, 5), count: 2, extra: "new" }, memo)),
      // Not a list that grew: a removed message sends the list again.
      values(4, encodeValue({ messages: messages.slice(1, 5), count: 2, extra: "new" }, memo)),
    ];
    const carried = carry(events);
    expect(carried.map((c) => c.out)).toEqual(events);
    // Event 3 adds two messages: far less than its five.
    expect(carried[2]!.wireBytes).toBeLessThan(2.1 * 100_000 + 1_000);
    expect(carried[3]!.wireBytes).toBeGreaterThan(4 * 100_000);
    const list = (i: number) => (carried[i]!.out as unknown as { values: { messages: JsonValue[] } }).values.messages;
    expect(list(2)[0]).toBe(list(1)[0]);
    expect(list(2)[2]).toBe(list(1)[2]);
  });

  it("keeps runs and namespaces apart, sends non-object values whole, and forgets a run once it finished", () => {
    const memo: EncodeMemo = new WeakMap();
    const shared = encodeValue({ lc_namespace: ["langchain_core", "messages"], type: "human", content: "hi", id: "h" }, memo);
    const finished: EngineEvent = { ...base, type: "run.finished", seq: 9, status: "success", error: null, run: null as never };
    const events = [
      values(1, { m: [shared] }),
      values(2, { m: [shared, "sub"] }, ["child:1"]),
      values(3, [1, 2, 3]),
      values(4, { m: [shared, "two"] }),
      finished,
      values(5, { m: [shared, "two", "three"] }),
    ];
    const carried = carry(events);
    expect(carried.map((c) => c.out)).toEqual(events);
  });
});
