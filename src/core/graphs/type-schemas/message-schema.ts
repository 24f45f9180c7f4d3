// The schema of a messages channel, shared by the type reader and the zod path (describe.ts), which
// must not load the TypeScript compiler for it.
import type { JsonSchema } from "../../../shared/graph";

/**
 * A LangChain message as LangGraph's messages reducer takes it: its content, with a role (`user`,
 * `assistant`…) or a type (`human`, `ai`…). Only `content` is required, so that any form of
 * message the reducer accepts passes a check against it.
 */
export const MESSAGE_SCHEMA: JsonSchema = {
  type: "object",
  title: "Message",
  properties: {
    role: { type: "string", enum: ["user", "assistant", "system", "developer", "tool", "human", "ai"] },
    content: { type: "string" },
    type: { type: "string", enum: ["human", "ai", "system", "tool", "developer"] },
    id: { type: "string" },
    name: { type: "string" },
    tool_call_id: { type: "string" },
  },
  required: ["content"],
};

/** A list of messages, marked as LangGraph marks a messages channel in its zod schemas. */
export const MESSAGES_SCHEMA: JsonSchema = { type: "array", items: MESSAGE_SCHEMA, langgraph_type: "messages" };
