// Reading LangChain messages out of encoded state values (encoding.ts tags, or plain {role, content}).
import { tagOf, type JsonValue } from "../../../shared/encoding";
import { isObject } from "./values";

export interface ToolCall {
  id: string | null;
  name: string;
  args: JsonValue;
}

export interface ChatMessage {
  role: string;
  /** The message's class as LangChain names it (AIMessage, HumanMessage…). */
  kind: string;
  content: JsonValue;
  id: string | null;
  name: string | null;
  toolCalls: ToolCall[];
  toolCallId: string | null;
}

const ROLE_OF_TYPE: Record<string, string> = { human: "user", user: "user", ai: "assistant", assistant: "assistant", tool: "tool", system: "system" };
const KIND_OF_ROLE: Record<string, string> = { user: "HumanMessage", assistant: "AIMessage", tool: "ToolMessage", system: "SystemMessage" };

export function readMessage(value: JsonValue): ChatMessage | null {
  const tag = tagOf(value);
  const fields = tag?.$type === "message" ? (tag as Record<string, JsonValue>) : isObject(value) ? value : null;
  if (!fields || !("content" in fields)) return null;
  const type = typeof fields.type === "string" ? fields.type : typeof fields.role === "string" ? fields.role : "unknown";
  const role = ROLE_OF_TYPE[type.replace(/Chunk$/, "")] ?? type;
  const calls = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
  const tagged = tag?.$type === "message" && typeof (tag as { class?: unknown }).class === "string" ? ((tag as { class: string }).class).replace(/Chunk$/, "") : null;
  return {
    role,
    kind: tagged ?? KIND_OF_ROLE[role] ?? "message",
    content: fields.content ?? "",
    id: typeof fields.id === "string" ? fields.id : null,
    name: typeof fields.name === "string" ? fields.name : null,
    toolCallId: typeof fields.tool_call_id === "string" ? fields.tool_call_id : null,
    toolCalls: calls.filter(isObject).map((c) => ({
      id: typeof c.id === "string" ? c.id : null,
      name: typeof c.name === "string" ? c.name : "tool",
      args: c.args ?? null,
    })),
  };
}

/** Whether a state's `messages` can be shown as a chat. */
export function hasMessages(values: JsonValue): boolean {
  return isObject(values) && Array.isArray(values.messages) && values.messages.some((m) => readMessage(m) !== null);
}
