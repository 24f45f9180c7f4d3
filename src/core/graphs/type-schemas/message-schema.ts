// The schema of a messages channel, shared by the type reader and the zod path (describe.ts), which
// must not load the TypeScript compiler for it.
import type { JsonSchema } from "../../../shared/graph";

/** A LangChain message as LangGraph's messages reducer takes it: a role (or type) and its content. */
export const MESSAGE_SCHEMA: JsonSchema = {
  type: "object",
  title: "Message",
  properties: {
    role: { type: "string", enum: ["human", "user", "ai", "assistant", "system", "tool"] },
    content: { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    tool_call_id: { type: "string" },
  },
  required: ["role", "content"],
};

/** A list of messages, marked as LangGraph marks a messages channel in its zod schemas. */
export const MESSAGES_SCHEMA: JsonSchema = { type: "array", items: MESSAGE_SCHEMA, langgraph_type: "messages" };
