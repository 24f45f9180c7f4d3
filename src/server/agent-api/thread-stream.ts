// GET /threads/:id/stream (the SDK's threads.joinStream): every run on the thread, as it happens,
// each in the stream modes the client names or, without any, in those its run was started with.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../../shared/events";
import type { ApiContext } from "./context";
import { storedStreamRequest } from "./run-create";
import { Translator, type SseEvent, type StreamRequest } from "./streams";

/** The events of the thread's runs from now on, until `signal` aborts. */
async function* threadEvents(ctx: ApiContext, threadId: string, modes: readonly string[], signal: AbortSignal): AsyncGenerator<SseEvent> {
  const queue: RunEvent[] = [];
  let wake: (() => void) | undefined;
  const stop = ctx.logs.watchThread(threadId, (event) => {
    queue.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort, { once: true });
  const translators = new Map<string, Translator>();
  try {
    for (;;) {
      while (queue.length > 0) {
        const event = queue.shift()!;
        let translator = translators.get(event.runId);
        if (!translator) translators.set(event.runId, (translator = new Translator(await requestOf(ctx, event.runId, modes))));
        const out = translator.translate(event);
        for (let k = 0; k < out.length; k++) yield { id: `${event.runId}_${event.seq}_${k}`, event: out[k]!.event, data: out[k]!.data };
        if (event.type === "run.finished") translators.delete(event.runId);
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stop();
    signal.removeEventListener("abort", onAbort);
  }
}

async function requestOf(ctx: ApiContext, runId: string, modes: readonly string[]): Promise<StreamRequest> {
  const { requests } = await ctx.tl.runs.requests({ runIds: [runId] });
  const asked = storedStreamRequest(requests[runId]);
  return modes.length > 0 ? { modes: new Set(modes), subgraphs: asked.subgraphs } : asked;
}

export function threadStream(ctx: ApiContext, c: Context, threadId: string, modes: readonly string[]): Response {
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    for await (const event of threadEvents(ctx, threadId, modes, abort.signal)) {
      await stream.writeSSE({ id: event.id, event: event.event, data: JSON.stringify(event.data) });
    }
  });
}
