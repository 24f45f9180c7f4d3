// What an agent-chat-ui (useStream) app does besides chatting: regenerate an answer (a run from the
// checkpoint before the AI message was first seen, with no input) and edit a human message (a run
// from the checkpoint before it, with the new message), as useStream sends them: runs.stream with a
// `checkpoint` (without its thread_id), `onDisconnect: "cancel"`, then the history it reads to draw
// the branches. And the same edit made as a state update at the old checkpoint, then a run.
import type { RecordStep } from "./steps";
import type { Client, Message, ThreadState } from "@langchain/langgraph-sdk";

type Values = { messages: Message[] };

async function streamed(stream: AsyncIterable<{ event: string; data: unknown }>): Promise<{ names: string[]; last: Values | undefined }> {
  const names: string[] = [];
  let last: Values | undefined;
  for await (const { event, data } of stream) {
    names.push(event);
    if (event === "values") last = data as Values;
  }
  return { names, last };
}

/** useStream's branch point for a message: the parent checkpoint of the oldest state that holds it. */
function parentOfFirstSeen(history: ThreadState<Values>[], messageId: string) {
  const firstSeen = [...history].reverse().find((s) => s.values.messages?.some((m) => m.id === messageId));
  const parent = firstSeen?.parent_checkpoint;
  if (!parent) throw new Error(`no checkpoint before message ${messageId}`);
  const { thread_id: _threadId, ...checkpoint } = parent as typeof parent & { thread_id?: string };
  return checkpoint;
}

const contents = (values: Values | undefined) => values?.messages.map((m) => `${m.type}: ${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`);

export async function runChatUiSession(client: Client, record: RecordStep, question: Record<string, unknown>): Promise<void> {
  const chat = { streamMode: ["values", "messages-tuple"] as ("values" | "messages-tuple")[], onDisconnect: "cancel" as const };
  const thread = await client.threads.create();
  const first = await streamed(client.runs.stream(thread.thread_id, "react-agent", { ...chat, input: question }));
  record("chatUi.first", contents(first.last));
  const second = await streamed(
    client.runs.stream(thread.thread_id, "react-agent", { ...chat, input: { messages: [{ type: "human", content: "What is 2 + 3?" }] } }),
  );
  record("chatUi.second", contents(second.last));

  // -- regenerate the last answer
  let history = await client.threads.getHistory<Values>(thread.thread_id, { limit: 100 });
  const answer = history[0]!.values.messages.at(-1)!;
  const regenerateFrom = parentOfFirstSeen(history, answer.id!);
  const regenerated = await streamed(client.runs.stream(thread.thread_id, "react-agent", { ...chat, input: undefined, checkpoint: regenerateFrom }));
  record("chatUi.regenerate.names", [...new Set(regenerated.names)]);
  record("chatUi.regenerate", contents(regenerated.last));
  history = await client.threads.getHistory<Values>(thread.thread_id, { limit: 100 });
  // LangGraph first copies the checkpoint it starts from (source "fork"), then runs on from the copy.
  const fork = history.find((s) => s.metadata?.source === "fork");
  record("chatUi.regenerate.branchesFromIt", fork?.parent_checkpoint?.checkpoint_id === regenerateFrom.checkpoint_id && history[1] === fork);
  record("chatUi.regenerate.history", history.map((s) => [s.metadata?.source, s.metadata?.step, s.next]));

  // -- edit the second question: a new branch from the checkpoint before it
  const secondQuestion = history.find((s) => s.values.messages?.some((m) => m.content === "What is 2 + 3?"))!.values.messages.find((m) => m.content === "What is 2 + 3?")!;
  const editFrom = parentOfFirstSeen(history, secondQuestion.id!);
  const edited = await streamed(
    client.runs.stream(thread.thread_id, "react-agent", { ...chat, input: { messages: [{ type: "human", content: "What is 4 + 4?" }] }, checkpoint: editFrom }),
  );
  record("chatUi.edit", contents(edited.last));
  record("chatUi.edit.state", contents((await client.threads.getState<Values>(thread.thread_id)).values));
  history = await client.threads.getHistory<Values>(thread.thread_id, { limit: 100 });
  record("chatUi.edit.historyLength", history.length);

  // -- the next message after the edit, sent as useStream sends it when the latest state is shown (no checkpoint);
  // one the example model answers without a tool (it numbers tool calls per question, and a repeated call id
  // would make the new tool message replace an earlier one)
  const next = await streamed(client.runs.stream(thread.thread_id, "react-agent", { ...chat, input: { messages: [{ type: "human", content: "Thanks!" }] } }));
  record("chatUi.afterEdit", contents(next.last));
  record("chatUi.afterEdit.threadConfig", (await client.threads.get(thread.thread_id)).config);

  // -- the same edit made as a state update at the old checkpoint, then a run with no input (a thread of its own)
  const other = await client.threads.create();
  await client.runs.wait(other.thread_id, "react-agent", { input: question });
  await client.runs.wait(other.thread_id, "react-agent", { input: { messages: [{ type: "human", content: "What is 2 + 3?" }] } });
  const otherHistory = await client.threads.getHistory<Values>(other.thread_id, { limit: 100 });
  const otherQuestion = otherHistory[0]!.values.messages.find((m) => m.content === "What is 2 + 3?")!;
  const updateAt = parentOfFirstSeen(otherHistory, otherQuestion.id!);
  const updated = await client.threads.updateState(other.thread_id, {
    values: { messages: [{ type: "human", content: "What is 6 + 1?" }] },
    checkpoint: { ...updateAt, thread_id: other.thread_id },
  });
  record("chatUi.editByUpdate.update", updated);
  const byUpdate = await client.runs.wait(other.thread_id, "react-agent", { input: null });
  record("chatUi.editByUpdate", contents(byUpdate as Values));
  record("chatUi.editByUpdate.state", await client.threads.getState(other.thread_id));
}
