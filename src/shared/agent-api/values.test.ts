import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { encodeValue, type EncodeMemo } from "../encoding";
import { ApiValueMemo, fromApiValue, liveApiJson, toApiJson, toApiValue, type LiveJsonMemo } from "./values";

describe("toApiValue", () => {
  it("converts a message shared by several encoded states once with a memo, with the same result", () => {
    const hi = new HumanMessage({ id: "h", content: "hi" });
    const ai = new AIMessage({ id: "a", content: "yo" });
    const encodeMemo: EncodeMemo = new WeakMap();
    const states = [{ messages: [hi] }, { messages: [hi, ai] }].map((state) => encodeValue(state, encodeMemo));
    const memo = new ApiValueMemo();
    const converted = states.map((state) => toApiValue(state, memo)) as { messages: unknown[] }[];
    expect(converted).toEqual(states.map((state) => toApiValue(state)));
    expect(converted[1]!.messages[0]).toBe(converted[0]!.messages[0]);
    expect(converted[1]!.messages).not.toBe(converted[0]!.messages);
  });

  it("writes the same JSON text as JSON.stringify, each shared message's text once", () => {
    const hi = new HumanMessage({ id: "h", content: "hi \u2028 \"quoted\"" });
    const ai = new AIMessage({ id: "a", content: [{ type: "text", text: "yo" }], tool_calls: [{ id: "c", name: "f", args: { n: 1 } }] });
    const encodeMemo: EncodeMemo = new WeakMap();
    const value = { messages: [hi, ai], list: [1, "two", null, { deep: [true, false] }], empty: {}, none: [], n: -0.5 };
    const states = [value, { ...value, messages: [hi, ai, hi] }].map((state) => encodeValue(state, encodeMemo));
    const memo = new ApiValueMemo();
    const converted = states.map((state) => toApiValue(state, memo));
    const texts = converted.map((state) => toApiJson(state, memo));
    expect(texts).toEqual(converted.map((state) => JSON.stringify(state)));
    const message = (converted[0] as { messages: object[] }).messages[0]!;
    expect(memo.texts.get(message)).toBe(JSON.stringify(message));
  });

  it("gives messages as the dicts LangChain serialises them to", () => {
    const ai = new AIMessage({ id: "m2", content: "Let me look.", tool_calls: [{ id: "c1", name: "weather", args: { city: "Paris" } }] });
    const api = toApiValue(encodeValue({ messages: [new HumanMessage({ id: "m1", content: "hi" }), ai] })) as {
      messages: Record<string, unknown>[];
    };
    expect(api.messages[0]).toEqual({ id: "m1", type: "human", content: "hi", additional_kwargs: {}, response_metadata: {} });
    const { toDict } = ai as unknown as { toDict(): { type: string; data: Record<string, unknown> } };
    const { type, data } = toDict.call(ai);
    // What langgraph-api's serialiseAsDict sends for the same message, fields undefined in it dropped.
    expect(api.messages[1]).toEqual(JSON.parse(JSON.stringify({ ...data, type })));
    expect(api.messages[1]).not.toHaveProperty("$type");
    expect(api.messages[1]).not.toHaveProperty("class");
  });

  it("writes what JSON.stringify would for the other tagged values", () => {
    const value = {
      when: new Date("2026-01-02T03:04:05.000Z"),
      gone: undefined,
      big: 10n,
      nan: Number.NaN,
      set: new Set([1, 2]),
      map: new Map([["a", 1]]),
      list: [undefined, 1],
      tool: new ToolMessage({ id: "t1", content: "18°C", tool_call_id: "c1" }),
    };
    const api = toApiValue(encodeValue(value)) as Record<string, unknown>;
    expect(api).toMatchObject({ when: "2026-01-02T03:04:05.000Z", big: "10", nan: null, set: [1, 2], map: { a: 1 }, list: [null, 1] });
    expect(api).not.toHaveProperty("gone");
    expect(api.tool).toMatchObject({ type: "tool", tool_call_id: "c1", content: "18°C", id: "t1" });
  });
});

describe("liveApiJson", () => {
  const longWay = (value: unknown) => JSON.stringify(toApiValue(encodeValue(value)));

  it("writes what the encoding and toApiValue would, for plain state values and messages", () => {
    const hi = new HumanMessage({ id: "h", content: "hi \u2028", name: undefined });
    const ai = new AIMessage({
      id: "a",
      content: [{ type: "text", text: "yo" }],
      tool_calls: [{ id: "c", name: "f", args: { n: 1, nested: { deep: [null, true] } } }],
      usage_metadata: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    });
    const tool = new ToolMessage({ id: "t", content: "18°C", tool_call_id: "c", artifact: undefined });
    const values: unknown[] = [
      { messages: [hi, ai, tool], count: 3, note: undefined, log: ["a", undefined, () => 1], when: new Date(0), bad: new Date(Number.NaN) },
      { nums: [0, -0, 1.5, Number.NaN, Infinity, -Infinity], "weird key\"": { $type: "Date", value: "not a tag here" } },
      [hi, [ai, { inner: tool }]],
      Object.assign(Object.create(null) as object, { a: 1 }),
      "text",
      null,
    ];
    // Messages holding what native JSON would write differently: they are written field by field.
    const nested = new AIMessage({ id: "n", content: "outer", additional_kwargs: { inner: hi, when: new Date(5), list: [undefined, Number.NaN] } });
    values.push({ messages: [nested] });
    const memo: LiveJsonMemo = new WeakMap();
    for (const value of values) expect(liveApiJson(value, memo)).toBe(longWay(value));
    // Each message's text was written once and is reused.
    expect(memo.get(ai)).toBe(longWay(ai));
  });

  it("leaves to the long way what plain JSON cannot say the same", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    class Point {
      constructor(readonly x: number) {}
    }
    const unsupported = [
      { map: new Map([["k", 1]]) },
      { set: new Set([1]) },
      { bytes: new Uint8Array([1]) },
      { big: 10n },
      cyclic,
      { point: new Point(1) },
      { custom: { toJSON: () => "x" } },
      { error: new Error("e") },
      // A plain object shaped like a message is encoded as a message (its lc_ keys dropped).
      { lookalike: { lc_namespace: ["langchain_core", "messages"], type: "human", content: "x" } },
      // An own "__proto__" key, which the long way's assignment turns into a prototype.
      [new HumanMessage({ id: "p", content: "x", additional_kwargs: JSON.parse('{"__proto__": {"a": 1}}') as Record<string, unknown> })],
    ];
    for (const value of unsupported) expect(liveApiJson(value, new WeakMap())).toBeUndefined();
  });
});

describe("fromApiValue", () => {
  it("keeps plain JSON as it is and protects objects that own a $type key", () => {
    expect(fromApiValue({ messages: [{ role: "user", content: "hi" }] })).toEqual({ messages: [{ role: "user", content: "hi" }] });
    expect(fromApiValue({ $type: "Date", value: "x" })).toEqual({ $type: "object", value: { $type: "Date", value: "x" } });
    expect(fromApiValue(undefined)).toBeNull();
  });
});
