import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { firstHumanText, summarizeWrites } from "./change-summary";

describe("summarizeWrites", () => {
  it("counts messages by class and names the route taken", () => {
    const writes = [
      { channel: "messages", value: [new AIMessage({ content: "", tool_calls: [{ id: "c1", name: "weather", args: {} }] })] },
      { channel: "branch:to:tools", value: null },
    ];
    expect(summarizeWrites(writes)).toBe("+1 AIMessage → tools");
  });

  it("reads plain {role, content} input messages and mixes kinds", () => {
    const writes = [
      { channel: "messages", value: [{ role: "user", content: "hi" }] },
      { channel: "messages", value: new ToolMessage({ content: "22°C", tool_call_id: "c1" }) },
      { channel: "messages", value: new ToolMessage({ content: "sunny", tool_call_id: "c2" }) },
    ];
    expect(summarizeWrites(writes)).toBe("+1 HumanMessage, +2 ToolMessage");
  });

  it("shows a plain key's new value, cut short, and leaves out LangGraph's own channels", () => {
    const writes = [
      { channel: "outcome", value: "sent" },
      { channel: "draft", value: "Hello everyone, the release ships on Friday at noon" },
      { channel: "__interrupt__", value: null },
    ];
    expect(summarizeWrites(writes)).toBe("outcome: sent · draft: Hello everyone, the rel…");
  });

  it("reads messages in the form the saver stores them, without reviving them", () => {
    const stored = JSON.parse(JSON.stringify([new AIMessage("hi")])) as unknown;
    expect(summarizeWrites([{ channel: "messages", value: stored }])).toBe("+1 AIMessage");
  });

  it("is empty when nothing was written", () => {
    expect(summarizeWrites([])).toBe("");
  });
});

describe("firstHumanText", () => {
  it("finds the first human message in a list, a state or one message", () => {
    expect(firstHumanText([new AIMessage("x"), new HumanMessage("What is the weather in Paris?")])).toBe("What is the weather in Paris?");
    expect(firstHumanText({ messages: [{ role: "user", content: [{ type: "text", text: "Draft  a\nnote" }] }] })).toBe("Draft a note");
    expect(firstHumanText({ role: "assistant", content: "no" })).toBeNull();
  });
});
