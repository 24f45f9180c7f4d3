// Encoded values from the UI (state edits, inputs) back into what a graph
// expects: real LangChain messages rather than tagged objects, so that a
// replayed node sees a message where it saw one before.

import {
  AIMessage,
  AIMessageChunk,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from "@langchain/core/messages";
import { reviveValue, type JsonValue } from "../../shared/encoding";

type Fields = Record<string, unknown>;

const BY_CLASS: Record<string, (fields: Fields) => BaseMessage> = {
  HumanMessage: (f) => new HumanMessage(f as never),
  AIMessage: (f) => new AIMessage(f as never),
  AIMessageChunk: (f) => new AIMessageChunk(f as never),
  SystemMessage: (f) => new SystemMessage(f as never),
  ToolMessage: (f) => new ToolMessage(f as never),
  FunctionMessage: (f) => new FunctionMessage(f as never),
  ChatMessage: (f) => new ChatMessage(f as never),
  RemoveMessage: (f) => new RemoveMessage(f as never),
};

const BY_TYPE: Record<string, string> = {
  human: "HumanMessage",
  ai: "AIMessage",
  system: "SystemMessage",
  tool: "ToolMessage",
  function: "FunctionMessage",
  generic: "ChatMessage",
  remove: "RemoveMessage",
};

export function messageFromFields(fields: Fields, className: string): unknown {
  const { type, ...rest } = fields;
  const make = BY_CLASS[className] ?? BY_CLASS[BY_TYPE[String(type)] ?? ""];
  // An unknown message class (a project's own subclass) stays a plain message-like object with its type.
  return make ? make(rest) : fields;
}

/** An encoded value as live values, with messages as LangChain message instances. */
export function reviveForGraph(json: JsonValue): unknown {
  return reviveValue(json, { message: messageFromFields });
}
