import {
  AIMessage,
  AIMessageChunk,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { JsonPlusSerializer } from "@langchain/langgraph-checkpoint";
import { describe, expect, it, vi } from "vitest";
import { ValueWriter } from "./serialize";
import { officialSerde as serde, officialText as official } from "./test-helpers";

const ours = (value: unknown) => {
  const now = new ValueWriter(serde).dumpNow(value);
  if (now === undefined) throw new Error("dumpNow declined a value of LangGraph's own serializer");
  return new TextDecoder().decode(now[1]);
};

const cyclic: Record<string, unknown> = { name: "loop" };
cyclic.self = cyclic;

const MESSAGES = [
  new HumanMessage("plain text"),
  new HumanMessage({ content: [{ type: "text", text: "blocks" }, { type: "image_url", image_url: { url: "data:," } }], id: "h1", name: "ann" }),
  new SystemMessage({ content: "be brief", additional_kwargs: { nested: { deep: [1, 2, { x: null }] } } }),
  new AIMessage({
    content: "calling",
    id: "a1",
    tool_calls: [{ name: "weather", args: { city: "Paris" }, id: "c1", type: "tool_call" }],
    usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
    response_metadata: { model_name: "scripted", finish_reason: "tool_calls" },
  }),
  new AIMessageChunk({ content: "chunk", id: "k1" }),
  new ToolMessage({ content: "sunny", tool_call_id: "c1", name: "weather", id: "t1", artifact: { raw: [1, 2] } }),
  new ChatMessage({ content: "hi", role: "critic" }),
  new FunctionMessage({ content: "{}", name: "fn" }),
  new RemoveMessage({ id: "gone" }),
  // Values the replacer rewrites (undefined, a Set, a Date, a cycle) must keep the serializer's text.
  new AIMessage({ content: "odd kwargs", additional_kwargs: { missing: undefined, tags: new Set(["a"]), at: new Date(0) } }),
  new HumanMessage({ content: "cyclic", additional_kwargs: { cyclic } }),
];

describe("ValueWriter.dumpNow", () => {
  it.each(MESSAGES.map((m, i) => [i, m] as const))("writes message %i as LangGraph's serializer does, alone and in a list", async (_, message) => {
    expect(ours(message)).toBe(await official(message));
    expect(ours([message, new HumanMessage({ content: "next", id: "n" })])).toBe(
      await official([message, new HumanMessage({ content: "next", id: "n" })]),
    );
  });

  it("writes a list holding the same message twice the same as the serializer, from its kept text", async () => {
    const writer = new ValueWriter(serde);
    const message = new AIMessage({ content: "again", id: "x" });
    writer.dumpNow([message]);
    const second = writer.dumpNow([message, message])!;
    expect(new TextDecoder().decode(second[1])).toBe(await official([message, message]));
  });

  it("writes a plain message from its own toJSON, without the serializer's walk", () => {
    const own = new JsonPlusSerializer();
    const dumps = vi.spyOn(own as unknown as { _dumps(value: unknown): Uint8Array }, "_dumps");
    const writer = new ValueWriter(own);
    writer.dumpNow([new AIMessage({ content: "plain", id: "p", tool_calls: [{ name: "f", args: {}, id: "c", type: "tool_call" }] })]);
    expect(dumps).not.toHaveBeenCalled();
    writer.dumpNow([new HumanMessage({ content: "cyclic", additional_kwargs: { cyclic } })]);
    expect(dumps).toHaveBeenCalledTimes(1);
  });
});
