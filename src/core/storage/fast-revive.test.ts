import { COMPRESSED, unpack } from "./compress";
import * as messages from "@langchain/core/messages";
import {
  AIMessage,
  AIMessageChunk,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
  ToolMessageChunk,
} from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { buildFanOut, buildHumanInTheLoop, buildReactAgent } from "../graphs/examples";
import { Command } from "@langchain/langgraph";
import { loadJsonText } from "./delta";
import { reviveSync } from "./fast-revive";
import { SqliteCheckpointer } from "./index";
import { officialSerde as serde, officialText as text } from "./test-helpers";

/** What the serializer makes of `json`, and what reviveSync makes of it (undefined: left to the serializer). */
async function both(json: string): Promise<{ slow: unknown; fast: { value: unknown } | undefined }> {
  return { slow: await serde.loadsTyped("json", json), fast: reviveSync(JSON.parse(json), messages) };
}

const MESSAGES = [
  new HumanMessage("plain text"),
  new HumanMessage({ content: [{ type: "text", text: "blocks" }, { type: "image_url", image_url: { url: "data:," } }], id: "h1", name: "ann" }),
  new SystemMessage({ content: "be brief", additional_kwargs: { nested: { deep: [1, 2, { x: null }] } } }),
  new AIMessage({
    content: "calling",
    id: "a1",
    tool_calls: [{ name: "weather", args: { city: "Paris" }, id: "c1", type: "tool_call" }],
    invalid_tool_calls: [{ name: "bad", args: "{", id: "c2", error: "parse", type: "invalid_tool_call" }],
    usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
    response_metadata: { model_name: "scripted", finish_reason: "tool_calls" },
  }),
  new AIMessage({ content: "", additional_kwargs: { tool_calls: [{ id: "c3", type: "function", function: { name: "f", arguments: "{\"a\":1}" } }] } }),
  new AIMessageChunk({ content: "tok", id: "k1", tool_call_chunks: [{ name: "f", args: "{\"a\"", id: "c4", index: 0, type: "tool_call_chunk" }] }),
  new ToolMessage({ content: "18°C ☀", tool_call_id: "c1", name: "weather", artifact: { raw: [1, 2] }, status: "error" }),
  new ToolMessageChunk({ content: "part", tool_call_id: "c5" }),
  new ChatMessage({ content: "hi", role: "critic" }),
  new FunctionMessage({ content: "{}", name: "fn" }),
  new RemoveMessage({ id: "h1" }),
];

describe("reviveSync: the serializer's result without its asynchronous walk", () => {
  it("revives every kind of message exactly as the serializer does, and takes the fast path for them", async () => {
    for (const message of MESSAGES) {
      const { slow, fast } = await both(await text([message]));
      expect(fast, `${message.constructor.name} was left to the serializer`).toBeDefined();
      expect(fast!.value).toStrictEqual(slow);
      const [revived] = fast!.value as [object];
      expect(Object.getPrototypeOf(revived)).toBe(Object.getPrototypeOf(message));
      expect(revived.constructor.name).toBe((slow as [object])[0].constructor.name);
    }
  });

  it("revives messages nested in plain objects, next to undefined values and unicode", async () => {
    const value = { messages: MESSAGES, meta: { when: undefined, list: [undefined, "ß", { n: 1.5 }] }, "weird key": "\u2028" };
    const { slow, fast } = await both(await text(value));
    expect(fast).toBeDefined();
    expect(fast!.value).toStrictEqual(slow);
  });

  it("leaves everything else to the serializer, which then gives the same result through loadJsonText", async () => {
    const others: unknown[] = [
      [new HumanMessage("with a set"), new Set([1, 2])],
      { map: new Map([["k", new AIMessage("in a map")]]) },
      { error: new Error("boom"), bytes: new Uint8Array([1, 2, 3]) },
      // An escaped object, a class outside langchain_core/messages, an unknown message class, no kwargs.
      JSON.parse('[{"lc":1,"type":"constructor","id":["langchain_core","messages","HumanMessage"],"kwargs":{"content":"x","additional_kwargs":{"__lc_escaped__":{"lc":1}}}}]'),
      JSON.parse('[{"lc":1,"type":"constructor","id":["langchain_core","prompts","PromptTemplate"],"kwargs":{"template":"{x}","input_variables":["x"]}}]'),
      JSON.parse('[{"lc":1,"type":"constructor","id":["langchain_core","messages","NoSuchMessage"],"kwargs":{"content":"x"}}]'),
      JSON.parse('[{"lc":1,"type":"constructor","id":["langchain_core","messages","HumanMessage"]}]'),
    ];
    for (const value of others) {
      const json = await text(value);
      expect(reviveSync(JSON.parse(json), messages)).toBeUndefined();
      const viaServe = await serde.loadsTyped("json", json).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      );
      const viaLoad = await loadJsonText(serde, json).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      );
      expect(viaLoad).toStrictEqual(viaServe);
    }
  });

  it("keeps lc objects the serializer keeps as they are (a secret is only resolved by load)", async () => {
    const json = '{"s":{"lc":1,"type":"secret","id":["NOPE"]},"m":[{"lc":1,"type":"constructor","id":["langchain_core","messages","HumanMessage"],"kwargs":{"content":"x"}}]}';
    const { slow, fast } = await both(json);
    expect(fast!.value).toStrictEqual(slow);
  });

  it("matches the serializer on every stored value of the example agents' threads", async () => {
    const saver = new SqliteCheckpointer(":memory:");
    const config = (thread: string) => ({ configurable: { thread_id: thread } });
    const react = buildReactAgent().compile({ checkpointer: saver });
    await react.invoke({ messages: [new HumanMessage("weather in Paris and Oslo, and what is (2 + 3) * 4?")] }, config("react"));
    const hitl = buildHumanInTheLoop().compile({ checkpointer: saver });
    await hitl.invoke({ request: "ship the release" }, config("hitl"));
    await hitl.invoke(new Command({ resume: "approve" }), config("hitl"));
    const fanOut = buildFanOut().compile({ checkpointer: saver });
    await fanOut.invoke({ topic: "sqlite", aspects: 3 }, config("fan"));
    const rows = saver.db
      .prepare(
        `SELECT type, value FROM tl_blobs WHERE type IN ('json', 'json${COMPRESSED}') AND value IS NOT NULL
         UNION ALL SELECT type, value FROM tl_writes WHERE type IN ('json', 'json${COMPRESSED}') AND value IS NOT NULL`,
      )
      .all() as { type: string; value: Buffer }[];
    let revivedFast = 0;
    const left: string[] = [];
    for (const row of rows) {
      const json = unpack(row.type, row.value).value!.toString("utf8");
      if (!json.includes('"lc"')) continue;
      const { slow, fast } = await both(json);
      if (fast) {
        revivedFast++;
        expect(fast.value).toStrictEqual(slow);
      } else left.push(json.slice(0, 300));
    }
    // The agents' message lists (and their writes) all take the fast path.
    expect(left).toEqual([]);
    expect(revivedFast).toBeGreaterThan(10);
    saver.close();
  });
});
