// The open thread's conversation on the run screen: the state the running run last streamed, with the
// answer being written appended as it streams; between runs, the thread's latest state.
import { isObject } from "../lib/values";
import { checkpointSelectors, useCheckpoint } from "../stores/checkpoint";
import { runSelectors, useRun } from "../stores/run";
import { threadSelectors, useThreads } from "../stores/threads";
import { ChatView, hasMessages } from "./ChatView";

export function LiveConversation() {
  const threadId = useThreads(threadSelectors.selectedId);
  const live = useRun(runSelectors.liveValues);
  const streaming = useRun(runSelectors.streaming);
  const running = useRun(runSelectors.live);
  const shown = useCheckpoint(checkpointSelectors.values);
  const atSelected = useCheckpoint(checkpointSelectors.selection) !== null;
  const values = live ?? shown;
  const messages = isObject(values) && Array.isArray(values.messages) && hasMessages(values) ? values.messages : null;
  return (
    <section className="conversation" aria-label="Conversation" data-testid="live-conversation" data-streaming={streaming ? "true" : undefined}>
      <header>
        <strong>Conversation</strong>
        <span className="muted small">{running ? "streaming" : !threadId ? "" : live === null && atSelected ? "at the selected checkpoint" : "latest state"}</span>
      </header>
      <div className="conversation-body" tabIndex={0} aria-label="Messages of the conversation">
        {messages ? (
          <ChatView messages={messages} streaming={streaming} follow />
        ) : streaming ? (
          <ChatView messages={[]} streaming={streaming} follow />
        ) : (
          <div className="empty small">{threadId ? "This thread's state has no messages." : "Run a graph: its conversation shows here as it streams."}</div>
        )}
      </div>
    </section>
  );
}
