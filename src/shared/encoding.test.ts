import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { decodeValue, encodeValue, EncodingError, reviveValue, tagOf, type EncodeMemo, type JsonValue } from "./encoding";

/** Through the wire: what a transport does to an encoded value. */
const wire = (value: unknown): JsonValue => JSON.parse(JSON.stringify(encodeValue(value))) as JsonValue;

describe("encodeValue / reviveValue", () => {
  it("encodes a message shared by several values once with a memo, with the same result as without", () => {
    const hi = new HumanMessage({ id: "h", content: "hi" });
    const ai = new AIMessage({ id: "a", content: "yo", tool_calls: [{ id: "c", name: "f", args: { x: 1 } }] });
    const states = [{ messages: [hi] }, { messages: [hi, ai] }, { messages: [hi, ai], note: "x" }];
    const memo: EncodeMemo = new WeakMap();
    const withMemo = states.map((state) => encodeValue(state, memo));
    expect(withMemo).toEqual(states.map((state) => encodeValue(state)));
    const [, second, third] = withMemo as { messages: JsonValue[] }[];
    expect(third!.messages[1]).toBe(second!.messages[1]);
    expect(third!.messages).not.toBe(second!.messages);
  });

  it("does not memoise a message whose encoding refers outside itself", () => {
    const outer: Record<string, unknown> = {};
    const message = new HumanMessage({ id: "h", content: "hi", additional_kwargs: { back: outer } });
    outer.message = message;
    const memo: EncodeMemo = new WeakMap();
    const first = encodeValue({ a: outer }, memo);
    const second = encodeValue({ b: { c: outer } }, memo);
    expect(first).toEqual(encodeValue({ a: outer }));
    expect(second).toEqual(encodeValue({ b: { c: outer } }));
    expect(JSON.stringify(second)).toContain('"path":["b","c"]');
  });

  it("round-trips the values plain JSON loses", () => {
    const value = {
      when: new Date("2024-05-06T07:08:09.010Z"),
      bytes: new Uint8Array([0, 1, 2, 250, 255]),
      floats: new Float32Array([1.5, -2]),
      map: new Map<unknown, unknown>([
        ["a", 1],
        [2, { deep: [new Date(0)] }],
      ]),
      set: new Set(["x", 3]),
      nothing: undefined,
      big: 12345678901234567890n,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      regex: /a+b/gi,
      list: [undefined, null, 1, "two"],
      plain: { nested: { ok: true } },
    };
    expect(reviveValue(wire(value))).toStrictEqual(value);
  });

  it("keeps a plain object that owns a $type key apart from a tag", () => {
    const value = { $type: "Date", value: "not a date" };
    const encoded = wire(value);
    expect(tagOf(encoded)?.$type).toBe("object");
    expect(reviveValue(encoded)).toEqual(value);
  });

  it("encodes cycles as references and revives them", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    a.list = [a, { back: a }];
    const revived = reviveValue(wire(a)) as Record<string, unknown>;
    expect(revived.self).toBe(revived);
    expect((revived.list as unknown[])[0]).toBe(revived);
    expect(((revived.list as unknown[])[1] as { back: unknown }).back).toBe(revived);
  });

  it("revives cycles through escaped objects and class instances", () => {
    const escaped: Record<string, unknown> = { $type: "mine" };
    escaped.again = escaped;
    const back = reviveValue(wire(escaped)) as Record<string, unknown>;
    expect(back.$type).toBe("mine");
    expect(back.again).toBe(back);

    class Node {
      next: unknown;
    }
    const node = new Node();
    node.next = { owner: node };
    const revived = reviveValue(wire(node)) as { next: { owner: unknown } };
    expect(revived.next.owner).toBe(revived);
  });

  it("encodes a value seen twice (not a cycle) twice", () => {
    const shared = { n: 1 };
    expect(wire({ a: shared, b: shared })).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });

  it("keeps LangChain messages with their fields and class, without LangChain's internals", () => {
    const ai = new AIMessage({
      id: "ai-1",
      content: "calling",
      tool_calls: [{ id: "call-1", name: "search", args: { q: "x" } }],
      response_metadata: { model: "scripted" },
    });
    const tool = new ToolMessage({ content: "found", tool_call_id: "call-1", name: "search" });
    const encoded = wire([new HumanMessage({ content: "hi", id: "h-1" }), ai, tool]) as Record<string, JsonValue>[];
    expect(encoded[0]).toMatchObject({ $type: "message", class: "HumanMessage", type: "human", content: "hi", id: "h-1" });
    expect(encoded[1]).toMatchObject({
      $type: "message",
      class: "AIMessage",
      type: "ai",
      tool_calls: [{ id: "call-1", name: "search", args: { q: "x" } }],
      response_metadata: { model: "scripted" },
    });
    expect(encoded[2]).toMatchObject({ class: "ToolMessage", type: "tool", tool_call_id: "call-1", name: "search" });
    expect(encoded[1]).not.toHaveProperty("lc_kwargs");
    expect(encoded[1]).not.toHaveProperty("lc_namespace");
  });

  it("revives messages as message-like objects, or through a reviver", () => {
    const encoded = wire(new AIMessage({ id: "m", content: "hello" }));
    expect(reviveValue(encoded)).toMatchObject({ type: "ai", content: "hello", id: "m" });
    const built = reviveValue(encoded, { message: (fields, cls) => ({ cls, fields }) }) as { cls: string };
    expect(built.cls).toBe("AIMessage");
  });

  it("names class instances and errors", () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const error = new TypeError("bad");
    const encoded = wire({ p: new Point(1, 2), error, fn: function named() {} }) as Record<string, JsonValue>;
    expect(encoded.p).toEqual({ $type: "instance", class: "Point", value: { x: 1, y: 2 } });
    expect(encoded.error).toMatchObject({ $type: "Error", class: "TypeError", message: "bad" });
    expect(encoded.fn).toEqual({ $type: "function", name: "named" });
    const revived = reviveValue(encoded) as { p: unknown; error: Error };
    expect(revived.p).toEqual({ x: 1, y: 2 });
    expect(revived.error.message).toBe("bad");
    expect(revived.error.name).toBe("TypeError");
  });

  it("encodes Buffer bytes (a Uint8Array subclass) as bytes", () => {
    // Through globalThis: this file is also type-checked for the renderer, which has no Buffer.
    const NodeBuffer = (globalThis as unknown as { Buffer: { from(text: string): Uint8Array } }).Buffer;
    const encoded = wire({ b: NodeBuffer.from("héllo") }) as { b: JsonValue };
    expect(encoded.b).toMatchObject({ $type: "bytes", class: "Buffer", length: 6 });
    expect(new TextDecoder().decode(reviveValue(encoded.b) as Uint8Array)).toBe("héllo");
  });
});

describe("reviveValue on malformed input", () => {
  it("names the tag and where it is", () => {
    expect(() => reviveValue({ a: [{ $type: "bigint", value: "12x" }] })).toThrow(EncodingError);
    expect(() => reviveValue({ a: [{ $type: "bigint", value: "12x" }] })).toThrow("$.a[0]");
    expect(() => reviveValue({ m: { $type: "Map", entries: 3 } })).toThrow("entries");
    expect(() => reviveValue({ $type: "bytes", class: "Uint8Array", base64: "@@@" })).toThrow(EncodingError);
  });
});

describe("decodeValue", () => {
  it("returns display data with tags kept", () => {
    const shown = decodeValue(wire({ when: new Date(0) })) as { when: unknown };
    expect(shown.when).toEqual({ $type: "Date", value: "1970-01-01T00:00:00.000Z" });
  });

  it("rejects an unknown tag naming where it is", () => {
    expect(() => decodeValue({ a: [{ $type: "Nope" }] })).toThrow(EncodingError);
    expect(() => decodeValue({ a: [{ $type: "Nope" }] })).toThrow("$.a[0]");
  });

  it("rejects what is not JSON", () => {
    expect(() => decodeValue({ n: Number.NaN })).toThrow("$.n");
    expect(() => decodeValue({ f: () => 1 })).toThrow(EncodingError);
  });
});
