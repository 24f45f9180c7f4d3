// The stream options of a run request (client.runs.stream), as LangGraph documents them:
// `stream_resumable` (a resumable run's stream can be joined again from the start, as useStream does
// on reconnect; another one's cannot) and `on_disconnect` (a client that goes away cancels the run
// with "cancel", and leaves it running with "continue").
import type { RecordStep } from "./steps";
import type { Client } from "@langchain/langgraph-sdk";

interface SseEvent {
  event: string;
  data: unknown;
}

async function collect(stream: AsyncIterable<unknown>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const chunk of stream) events.push({ event: (chunk as SseEvent).event, data: (chunk as SseEvent).data });
  return events;
}

const runIdOf = (events: SseEvent[]) => (events.find((e) => e.event === "metadata")!.data as { run_id: string }).run_id;

/** The run's status once it has ended (a cancelled run takes a moment to stop). */
async function settled(client: Client, threadId: string, runId: string): Promise<string> {
  for (let tries = 0; tries < 400; tries++) {
    const { status } = await client.runs.get(threadId, runId);
    if (status !== "pending" && status !== "running") return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} did not end within 20 s`);
}

export async function runStreamSession(client: Client, record: RecordStep, input: { quick: Record<string, unknown>; slow: Record<string, unknown> }): Promise<void> {
  // -- stream_resumable: the whole stream again after it ended ("-1" is useStream's "from the start")
  const resumable = await client.threads.create();
  const first = await collect(client.runs.stream(resumable.thread_id, "human-in-the-loop", { input: input.quick, streamMode: ["updates"], streamResumable: true }));
  record("resumable.stream", first.map((e) => e.event));
  const again = await collect(client.runs.joinStream(resumable.thread_id, runIdOf(first), { lastEventId: "-1" }));
  record("resumable.replay", again);
  record("resumable.replay.same", JSON.stringify(again) === JSON.stringify(first));

  // -- not resumable: what the first stream delivered is gone for a later one
  const plain = await client.threads.create();
  const delivered = await collect(client.runs.stream(plain.thread_id, "human-in-the-loop", { input: input.quick, streamMode: ["updates"] }));
  record("notResumable.join", await collect(client.runs.joinStream(plain.thread_id, runIdOf(delivered), { lastEventId: "-1" })));

  // -- on_disconnect: the client goes away after the first update of a slow run
  for (const mode of ["cancel", "continue"] as const) {
    const thread = await client.threads.create();
    const controller = new AbortController();
    let runId = "";
    try {
      for await (const event of client.runs.stream(thread.thread_id, "react-agent", {
        input: input.slow,
        config: { recursion_limit: 100 },
        streamMode: ["updates"],
        onDisconnect: mode,
        signal: controller.signal,
      })) {
        if (event.event === "metadata") runId = (event.data as { run_id: string }).run_id;
        if (event.event === "updates") {
          controller.abort();
          break;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    record(`onDisconnect.${mode}.status`, await settled(client, thread.thread_id, runId));
  }
}
