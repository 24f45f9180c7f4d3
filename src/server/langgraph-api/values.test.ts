import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { encodeValue, type EncodeMemo } from "../../shared/encoding";
import { fromApiValue, toApiValue, type ApiValueMemo } from "./values";

describe("toApiValue", () => {
  it("converts a message shared by several encoded states once with a memo, with the same result", () => {
    const hi = new HumanMessage({ id: "h", content: "hi" });
    const ai = new AIMessage({ id: "a", content: "yo" });
    const encodeMemo: EncodeMemo = new WeakMap();
    const states = [{ messages: [hi] }, { messages: [hi, ai] }].map((state) => encodeValue(state, encodeMemo));
    const memo: ApiValueMemo = new WeakMap();
    const converted = states.map((state) => toApiValue(state, memo)) as { messages: unknown[] }[];
    expect(converted).toEqual(states.map((state) => toApiValue(state)));
    expect(converted[1]!.messages[0]).toBe(converted[0]!.messages[0]);
    expect(converted[1]!.messages).not.toBe(converted[0]!.messages);
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

describe("fromApiValue", () => {
  it("keeps plain JSON as it is and protects objects that own a $type key", () => {
    expect(fromApiValue({ messages: [{ role: "user", content: "hi" }] })).toEqual({ messages: [{ role: "user", content: "hi" }] });
    expect(fromApiValue({ $type: "Date", value: "x" })).toEqual({ $type: "object", value: { $type: "Date", value: "x" } });
    expect(fromApiValue(undefined)).toBeNull();
  });
});
