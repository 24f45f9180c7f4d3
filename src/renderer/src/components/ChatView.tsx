// The `messages` of a state as a conversation: each tool call is shown with the tool result that answers it.
import { tagOf, type JsonValue } from "../../../shared/encoding";
import { isObject } from "../lib/values";
import { JsonTree } from "./JsonTree";

interface ToolCall {
  id: string | null;
  name: string;
  args: JsonValue;
}

interface ChatMessage {
  role: string;
  content: JsonValue;
  id: string | null;
  name: string | null;
  toolCalls: ToolCall[];
  toolCallId: string | null;
}

const ROLE_OF_TYPE: Record<string, string> = { human: "user", ai: "assistant", tool: "tool", system: "system" };

function readMessage(value: JsonValue): ChatMessage | null {
  const tag = tagOf(value);
  const fields = tag?.$type === "message" ? (tag as Record<string, JsonValue>) : isObject(value) ? value : null;
  if (!fields || !("content" in fields)) return null;
  const type = typeof fields.type === "string" ? fields.type : typeof fields.role === "string" ? fields.role : "unknown";
  const role = ROLE_OF_TYPE[type.replace(/Chunk$/, "")] ?? type;
  const calls = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
  return {
    role,
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

function Content({ content }: { content: JsonValue }) {
  if (typeof content === "string") return <div className="chat-text">{content}</div>;
  if (Array.isArray(content)) {
    return (
      <>
        {content.map((part, i) =>
          isObject(part) && part.type === "text" && typeof part.text === "string" ? (
            <div key={i} className="chat-text">
              {part.text}
            </div>
          ) : (
            <JsonTree key={i} value={part} openDepth={0} />
          ),
        )}
      </>
    );
  }
  return <JsonTree value={content} openDepth={0} />;
}

export function ChatView({ messages }: { messages: JsonValue[] }) {
  const parsed = messages.map(readMessage);
  const results = new Map<string, ChatMessage>();
  for (const m of parsed) if (m?.role === "tool" && m.toolCallId) results.set(m.toolCallId, m);
  const paired = new Set<string>();
  for (const m of parsed) for (const c of m?.toolCalls ?? []) if (c.id && results.has(c.id)) paired.add(c.id);

  return (
    <div className="chat" data-testid="chat-view">
      {parsed.map((m, i) => {
        if (!m) return <JsonTree key={i} value={messages[i]!} openDepth={0} />;
        if (m.role === "tool" && m.toolCallId && paired.has(m.toolCallId)) return null;
        return (
          <div key={m.id ?? i} className={`chat-msg chat-${m.role}`} data-testid="chat-message" data-role={m.role}>
            <div className="chat-role">
              {m.role}
              {m.name ? ` · ${m.name}` : ""}
            </div>
            {!(m.content === "" && m.toolCalls.length) && <Content content={m.content} />}
            {m.toolCalls.map((call, j) => {
              const result = call.id ? results.get(call.id) : undefined;
              return (
                <div key={call.id ?? j} className="tool-pair" data-testid="tool-pair">
                  <div className="tool-call">
                    <span className="tool-name">→ {call.name}</span>
                    <code>{JSON.stringify(call.args)}</code>
                  </div>
                  <div className={`tool-result ${result ? "" : "pending"}`} data-testid="tool-result">
                    {result ? <Content content={result.content} /> : <em>no result yet</em>}
                  </div>
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
