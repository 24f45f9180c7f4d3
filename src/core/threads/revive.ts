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

type MessageClass = new (fields: never) => BaseMessage;

const DEFAULT_CLASSES: Record<string, MessageClass> = {
  HumanMessage,
  AIMessage,
  AIMessageChunk,
  SystemMessage,
  ToolMessage,
  FunctionMessage,
  ChatMessage,
  RemoveMessage,
};

// One engine worker serves one project, so the classes in use are the worker's.
let classes: Record<string, MessageClass> = { ...DEFAULT_CLASSES };

/**
 * Revive messages into a project's own copy of @langchain/core/messages (see graphs/project-runtime.ts),
 * so that a node it runs sees its own classes; null restores Threadline's.
 */
export function useMessageClasses(messages: Record<string, unknown> | null): void {
  classes = { ...DEFAULT_CLASSES };
  if (!messages) return;
  for (const name of Object.keys(DEFAULT_CLASSES)) {
    const own = messages[name];
    if (typeof own === "function") classes[name] = own as MessageClass;
  }
}

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
  const Make = classes[className] ?? classes[BY_TYPE[String(type)] ?? ""];
  // An unknown message class (a project's own subclass) stays a plain message-like object with its type.
  return Make ? new Make(rest as never) : fields;
}

/** An encoded value as live values, with messages as LangChain message instances. */
export function reviveForGraph(json: JsonValue): unknown {
  return reviveValue(json, { message: messageFromFields });
}
