import { AIMessage, AIMessageChunk, type BaseMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { Command, MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { buildFanOut } from "./fan-out";
import { buildHumanInTheLoop, parseReviewAnswer } from "./human-in-the-loop";
import { buildReactAgent } from "./react-agent";
import { nextReply, planToolCalls, tokenize } from "./scripted-model";
import { evaluateArithmetic, lookUpWeather } from "./tools";

const thread = (id: string) => ({ configurable: { thread_id: id } });
// invoke() reports a pending interrupt under __interrupt__, which the state type does not declare.
const interruptValue = (result: object) => (result as { __interrupt__?: { value: unknown }[] }).__interrupt__?.[0]?.value;

describe("scripted model", () => {
  it("plans the tool calls a question asks for, in order", () => {
    expect(planToolCalls("What's the weather in New York, and what is (12 + 3) * 7?")).toEqual([
      { name: "weather", args: { city: "New York" } },
      { name: "calculator", args: { expression: "(12 + 3) * 7" } },
    ]);
    expect(planToolCalls("hello there")).toEqual([]);
  });

  it("tokenizes text into pieces that join back to it", () => {
    const text = "Here is what I found: 2 + 2 = 4.";
    expect(tokenize(text).join("")).toBe(text);
    expect(tokenize(text).length).toBeGreaterThan(5);
  });

  it("only calls tools that were bound", () => {
    const question = [new HumanMessage("weather in Paris")];
    expect(nextReply(question, new Set(["weather"])).toolCall?.name).toBe("weather");
    expect(nextReply(question, new Set()).toolCall).toBeUndefined();
  });
});

describe("deterministic tools", () => {
  it("evaluates arithmetic with precedence and parentheses", () => {
    expect(evaluateArithmetic("(12 + 3) * 7")).toBe(105);
    expect(evaluateArithmetic("2 + 3 * 4 - 10 / 5")).toBe(12);
    expect(() => evaluateArithmetic("2 +")).toThrow(/Unexpected end/);
  });

  it("gives the same weather for the same city", () => {
    expect(lookUpWeather("Paris")).toEqual({ city: "Paris", celsius: 18, sky: "cloudy" });
    const { celsius, sky } = lookUpWeather("Reykjavik");
    expect(lookUpWeather("reykjavik ")).toMatchObject({ celsius, sky });
  });
});

describe("react-agent example", () => {
  it("calls each tool in turn, streams tokens and ends with the answer", async () => {
    const graph = buildReactAgent().compile({ checkpointer: new MemorySaver() });
    const tokens: string[] = [];
    const nodes: string[] = [];
    const stream = await graph.stream(
      { messages: [new HumanMessage("What's the weather in Paris, and what is (12 + 3) * 7?")] },
      { ...thread("react"), streamMode: ["messages", "updates"] },
    );
    for await (const [mode, chunk] of stream) {
      if (mode === "messages") {
        const [message] = chunk as [BaseMessage, unknown];
        if (AIMessageChunk.isInstance(message) && typeof message.content === "string") tokens.push(message.content);
      } else {
        nodes.push(...Object.keys(chunk as object));
      }
    }
    expect(nodes).toEqual(["agent", "tools", "agent", "tools", "agent"]);

    const { values } = await graph.getState(thread("react"));
    const messages = values.messages as BaseMessage[];
    const toolResults = messages.filter((m) => ToolMessage.isInstance(m)).map((m) => m.content);
    expect(toolResults).toEqual(["18°C and cloudy", "105"]);
    const answer = messages.at(-1);
    expect(AIMessage.isInstance(answer) || AIMessageChunk.isInstance(answer)).toBe(true);
    expect(answer?.content).toBe("Here is what I found: the weather in Paris is 18°C and cloudy, and (12 + 3) * 7 = 105.");
    // The answer arrived token by token, not in one piece.
    expect(tokens.join("")).toContain(answer?.content);
    expect(tokens.length).toBeGreaterThan(10);
  });

  it("takes a different path for a different input", async () => {
    const graph = buildReactAgent({ tokenDelayMs: 0 }).compile({ checkpointer: new MemorySaver() });
    const result = await graph.invoke({ messages: [new HumanMessage("What is 6 * 7?")] }, thread("short"));
    const messages = result.messages as BaseMessage[];
    expect(messages.map((m) => m.getType())).toEqual(["human", "ai", "tool", "ai"]);
    expect(messages.at(-1)?.content).toBe("Here is what I found: 6 * 7 = 42.");

    const chat = await graph.invoke({ messages: [new HumanMessage("Hi!")] }, thread("chat"));
    expect((chat.messages as BaseMessage[]).map((m) => m.getType())).toEqual(["human", "ai"]);
  });
});

describe("human-in-the-loop example", () => {
  async function interrupted(id: string) {
    const graph = buildHumanInTheLoop().compile({ checkpointer: new MemorySaver() });
    const first = await graph.invoke({ request: "ship it" }, thread(id));
    return { graph, first };
  }

  it("interrupts with the draft and sends it once approved", async () => {
    const { graph, first } = await interrupted("approve");
    expect(interruptValue(first)).toEqual({
      question: "Send this email?",
      draft: 'Email to team@example.com: "Hi all, ship it."',
      choices: ["approve", "reject", "edit"],
    });
    expect((await graph.getState(thread("approve"))).next).toEqual(["review"]);

    const done = await graph.invoke(new Command({ resume: "approve" }), thread("approve"));
    expect(done.outcome).toBe("sent");
    expect(done.log.at(-1)).toBe('sent: Email to team@example.com: "Hi all, ship it."');
  });

  it("cancels when rejected", async () => {
    const { graph } = await interrupted("reject");
    const done = await graph.invoke(new Command({ resume: { action: "reject" } }), thread("reject"));
    expect(done.outcome).toBe("cancelled");
  });

  it("asks again after an edit, then sends the edited draft", async () => {
    const { graph } = await interrupted("edit");
    const again = await graph.invoke(new Command({ resume: { action: "edit", draft: "Hello" } }), thread("edit"));
    expect(interruptValue(again)).toMatchObject({ draft: "Hello" });
    const done = await graph.invoke(new Command({ resume: "approve" }), thread("edit"));
    expect(done.outcome).toBe("sent");
    expect(done.log).toContain("edited: Hello");
  });

  it("says what resume values it accepts", () => {
    expect(() => parseReviewAnswer(42)).toThrow(/Expected "approve", "reject" or \{"action": "edit"/);
    expect(() => parseReviewAnswer({ action: "edit" })).toThrow(/non-empty "draft"/);
  });
});

describe("fan-out example", () => {
  it("runs a worker subgraph per subtopic under its own namespace and gathers the findings", async () => {
    const checkpointer = new MemorySaver();
    const graph = buildFanOut().compile({ checkpointer });
    const namespaces = new Set<string>();
    const stream = await graph.stream(
      { topic: "wind", aspects: 3 },
      { ...thread("fan"), streamMode: "updates", subgraphs: true },
    );
    for await (const [namespace] of stream) namespaces.add(namespace.join("|"));

    const { values } = await graph.getState(thread("fan"));
    expect(values.subtopics).toEqual(["history of wind", "economics of wind", "technology of wind"]);
    expect(values.findings.map((f: { subtopic: string }) => f.subtopic).sort()).toEqual([
      "economics of wind",
      "history of wind",
      "technology of wind",
    ]);
    expect(values.report).toMatch(/^Report on wind \(\d+ sources\)\n- economics of wind: /);

    const workerNamespaces = [...namespaces].filter((ns) => ns.startsWith("research:"));
    expect(workerNamespaces).toHaveLength(3);
    const stored = new Set<string>();
    for await (const tuple of checkpointer.list(thread("fan"))) stored.add(tuple.config.configurable?.checkpoint_ns);
    expect([...stored].filter((ns) => ns.startsWith("research:")).sort()).toEqual(workerNamespaces.sort());
  });

  it("produces the same report for the same input", async () => {
    const run = async (id: string) =>
      (await buildFanOut().compile({ checkpointer: new MemorySaver() }).invoke({ topic: "solar", aspects: 4 }, thread(id)))
        .report;
    expect(await run("a")).toBe(await run("b"));
  });
});
