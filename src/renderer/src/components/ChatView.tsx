// The `messages` of a state as a conversation: a list of articles, each tool call shown with the tool
// result that answers it, and (on the run screen) the answer being streamed appended at the end.
import { useEffect, useRef, useState } from "react";
import type { JsonValue } from "../../../shared/encoding";
import { readMessage, type ChatMessage } from "../lib/messages";
import { JsonTree } from "./JsonTree";

export { hasMessages } from "../lib/messages";

function Content({ content }: { content: JsonValue }) {
  if (typeof content === "string") return <div className="chat-text">{content}</div>;
  if (Array.isArray(content)) {
    return (
      <>
        {content.map((part, i) =>
          part !== null && typeof part === "object" && !Array.isArray(part) && part.type === "text" && typeof part.text === "string" ? (
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

interface Props {
  messages: JsonValue[];
  /** The answer being streamed, shown after the messages until the state that holds it arrives. */
  streaming?: { messageId: string; node: string; text: string } | null;
  /** Keep the end in view as messages arrive. */
  follow?: boolean;
}

/** Messages drawn at first, from the end: a long thread's conversation must not put thousands of articles in the page. */
const SHOWN = 60;

export function ChatView({ messages, streaming = null, follow = false }: Props) {
  const parsed = messages.map(readMessage);
  const results = new Map<string, ChatMessage>();
  for (const m of parsed) if (m?.role === "tool" && m.toolCallId) results.set(m.toolCallId, m);
  const paired = new Set<string>();
  for (const m of parsed) for (const c of m?.toolCalls ?? []) if (c.id && results.has(c.id)) paired.add(c.id);
  const showStream = streaming !== null && !parsed.some((m) => m?.id === streaming.messageId);
  const [shown, setShown] = useState(SHOWN);
  const from = Math.max(0, parsed.length - shown);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (follow) end.current?.scrollIntoView({ block: "end" });
  }, [follow, messages.length, streaming?.text]);

  return (
    <ol className="chat" data-testid="chat-view" aria-label="Messages">
      {from > 0 && (
        <li>
          <button type="button" className="link small" data-testid="chat-earlier" onClick={() => setShown(shown + SHOWN * 5)}>
            show {Math.min(from, SHOWN * 5)} earlier of {from} messages
          </button>
        </li>
      )}
      {parsed.map((m, i) => {
        if (i < from) return null;
        if (!m) {
          return (
            <li key={i}>
              <JsonTree value={messages[i]!} openDepth={0} />
            </li>
          );
        }
        if (m.role === "tool" && m.toolCallId && paired.has(m.toolCallId)) return null;
        return (
          <li key={m.id ?? i}>
            <article className={`chat-msg chat-${m.role}`} data-testid="chat-message" data-role={m.role} aria-label={`${m.role}${m.name ? ` ${m.name}` : ""}, message ${i + 1}`} title={m.id ?? undefined}>
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
            </article>
          </li>
        );
      })}
      {showStream && (
        <li>
          <article className="chat-msg chat-assistant chat-streaming" data-testid="chat-streaming" aria-label={`assistant, being written by ${streaming.node}`}>
            <div className="chat-role">assistant · {streaming.node} · streaming</div>
            <div className="chat-text">{streaming.text}</div>
          </article>
        </li>
      )}
      <li ref={end} className="chat-end" aria-hidden="true" />
    </ol>
  );
}
