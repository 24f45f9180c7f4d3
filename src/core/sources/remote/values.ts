// Values between an Agent Server's plain JSON and Threadline's encoding (src/shared/encoding.ts).
// The server sends LangChain messages as their dicts ({type: "ai", content, id, tool_calls…});
// here they become the encoding's message tags, so the chat view, diff by message id and the value
// previews treat them as they treat the local engine's. The other way (inputs, edits, resumes)
// is the Agent Server adapter's own conversion (toApiValue), shared rather than written twice.
import { TYPE_KEY, type JsonObject, type JsonValue } from "../../../shared/encoding";
import { fromApiValue, toApiValue } from "../../../shared/agent-api/values";

const CLASS_OF_TYPE: Record<string, string> = {
  human: "HumanMessage",
  ai: "AIMessage",
  tool: "ToolMessage",
  system: "SystemMessage",
  function: "FunctionMessage",
  chat: "ChatMessage",
  remove: "RemoveMessage",
};

/** The class of a message dict ("AIMessage", "AIMessageChunk"), or null when the object is not one. */
function messageClass(value: Record<string, unknown>): string | null {
  const type = value.type;
  if (typeof type !== "string" || !("content" in value)) return null;
  if (CLASS_OF_TYPE[type]) return CLASS_OF_TYPE[type]!;
  return /^[A-Z][A-Za-z]*MessageChunk$/.test(type) ? type : null;
}

/** A value from the server, encoded: message dicts tagged, anything else as the adapter reads client JSON. */
export function fromServer(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value as JsonValue;
  if (Array.isArray(value)) return value.map(fromServer);
  const record = value as Record<string, unknown>;
  const cls = messageClass(record);
  if (cls === null) {
    if (Object.prototype.hasOwnProperty.call(record, TYPE_KEY)) return fromApiValue(record);
    const out: JsonObject = {};
    for (const [key, field] of Object.entries(record)) if (field !== undefined) out[key] = fromServer(field);
    return out;
  }
  const fields: JsonObject = {};
  for (const [key, field] of Object.entries(record)) if (field !== undefined && key !== "type") fields[key] = fromServer(field);
  return { [TYPE_KEY]: "message", class: cls, type: record.type as string, content: fields.content ?? "", ...fields };
}

/** An encoded value as the server takes it (messages as dicts). */
export function toServer(value: JsonValue): JsonValue {
  return toApiValue(value);
}
