import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelParams,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  ToolMessage,
  type ToolCall,
} from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";

// A chat model that needs no API key: it reads the conversation and plays a
// fixed script, so the same input always takes the same path through the
// agent. It understands two requests, "weather in <city>" and arithmetic,
// calls one tool per turn for each, and then answers from the tool results.

export interface ScriptedChatModelParams extends BaseChatModelParams {
  /** Delay before each streamed token, so streaming is visible in the UI. */
  tokenDelayMs?: number;
}

type Reply = { text: string; toolCall?: Omit<ToolCall, "type"> };

const WEATHER_REQUEST = /weather\s+(?:in|for|at)\s+([A-Za-z][A-Za-z .'-]*?)(?=\s*(?:[,.;?!]|\band\b|$))/gi;
const ARITHMETIC = /\(?-?\d+(?:\.\d+)?(?:\s*[-+*/]\s*\(?\s*-?\d+(?:\.\d+)?\s*\)?)+\)?/g;

export interface PlannedCall {
  name: "weather" | "calculator";
  args: Record<string, string>;
}

/** The tool calls a question asks for, in the order they appear in it. */
export function planToolCalls(question: string): PlannedCall[] {
  const found: { at: number; call: PlannedCall }[] = [];
  for (const match of question.matchAll(WEATHER_REQUEST)) {
    found.push({ at: match.index, call: { name: "weather", args: { city: (match[1] ?? "").trim() } } });
  }
  for (const match of question.matchAll(ARITHMETIC)) {
    found.push({ at: match.index, call: { name: "calculator", args: { expression: match[0].trim() } } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.call);
}

function textOf(message: BaseMessage): string {
  return typeof message.content === "string"
    ? message.content
    : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join("");
}

/** What the script says next, given the conversation so far. */
export function nextReply(messages: BaseMessage[], boundTools: ReadonlySet<string>): Reply {
  const lastHumanIndex = messages.findLastIndex((m) => HumanMessage.isInstance(m));
  const lastHuman = messages[lastHumanIndex];
  if (!lastHuman) return { text: "Hello! Ask me about the weather somewhere, or to work out a sum." };
  const question = textOf(lastHuman);
  const sinceQuestion = messages.slice(lastHumanIndex + 1);
  const results = sinceQuestion.filter((m): m is ToolMessage => ToolMessage.isInstance(m));

  const plan = planToolCalls(question).filter((call) => boundTools.has(call.name));
  const turn = results.length;
  const call = plan[turn];
  if (call) {
    const intro =
      call.name === "weather" ? `Let me look up the weather in ${call.args.city}.` : `Let me calculate ${call.args.expression}.`;
    return { text: intro, toolCall: { id: `call_${turn + 1}_${call.name}`, name: call.name, args: call.args } };
  }
  if (plan.length === 0) {
    return {
      text: `I can look up the weather ("weather in Paris") and do arithmetic ("12 * 7"). You asked: "${question}".`,
    };
  }
  const findings = plan.map((call, i) => {
    const result = results[i] ? textOf(results[i]) : "no result";
    return call.name === "weather" ? `the weather in ${call.args.city} is ${result}` : `${call.args.expression} = ${result}`;
  });
  const sentence = findings.join(", and ");
  return { text: `Here is what I found: ${sentence}.` };
}

/** Splits text into word-sized tokens that concatenate back to the text. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class ScriptedChatModel extends BaseChatModel {
  private readonly tokenDelayMs: number;
  private readonly boundTools: ReadonlySet<string>;

  constructor(params: ScriptedChatModelParams = {}, boundTools: ReadonlySet<string> = new Set()) {
    super(params);
    this.tokenDelayMs = params.tokenDelayMs ?? 4;
    this.boundTools = boundTools;
  }

  _llmType(): string {
    return "threadline-scripted";
  }

  override bindTools(tools: BindToolsInput[]): ScriptedChatModel {
    const names = tools.map((t) => ("name" in t && typeof t.name === "string" ? t.name : undefined));
    return new ScriptedChatModel(
      { tokenDelayMs: this.tokenDelayMs },
      new Set(names.filter((n): n is string => n !== undefined)),
    );
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = nextReply(messages, this.boundTools);
    const message = new AIMessage({
      content: reply.text,
      tool_calls: reply.toolCall ? [{ ...reply.toolCall, type: "tool_call" }] : [],
    });
    return { generations: [{ message, text: reply.text }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = nextReply(messages, this.boundTools);
    for (const token of tokenize(reply.text)) {
      await sleep(this.tokenDelayMs, options.signal);
      const chunk = new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token }) });
      yield chunk;
      await runManager?.handleLLMNewToken(token, undefined, undefined, undefined, undefined, { chunk });
    }
    if (reply.toolCall) {
      const { id, name, args } = reply.toolCall;
      const chunk = new ChatGenerationChunk({
        text: "",
        message: new AIMessageChunk({
          content: "",
          tool_call_chunks: [{ id, name, args: JSON.stringify(args), index: 0, type: "tool_call_chunk" }],
        }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken("", undefined, undefined, undefined, undefined, { chunk });
    }
  }
}
