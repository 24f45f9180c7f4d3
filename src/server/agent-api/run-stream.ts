// A run's outcome for its clients: its events as Server-Sent Events (LangGraph's stream, from the
// run's event log), the result `wait` and `join` answer, and the end of a stateless run's thread.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { JsonValue } from "../../shared/encoding";
import { toApiValue } from "../../shared/agent-api/values";
import type { RunInfo } from "../../shared/types";
import type { ApiContext } from "./context";
import type { StreamRequest } from "./streams";

export interface SseOptions {
  lastEventId?: string;
  cancelOnDisconnect?: boolean;
}

export function runEvents(ctx: ApiContext, c: Context, runId: string, request: StreamRequest, options: SseOptions): Response {
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => {
      abort.abort();
      if (options.cancelOnDisconnect) void ctx.tl.runs.cancel({ runId }).catch(() => undefined);
    });
    const events = ctx.logs.stream(runId, request, { signal: abort.signal, ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}) });
    for await (const event of events) {
      await stream.writeSSE({ id: event.id, event: event.event, data: JSON.stringify(event.data) });
    }
  });
}

/** What LangGraph's `wait` and `join` answer: the final values, the interrupt, or the error. */
export async function runResult(ctx: ApiContext, run: RunInfo): Promise<JsonValue> {
  if (run.status === "error" && run.error) return { __error__: { error: run.error.className, message: run.error.message } };
  const last = ctx.logs.lastValues(run.runId);
  if (last !== undefined) return last;
  const state = await ctx.tl.state.get({ threadId: run.threadId });
  const interrupts = state.tasks.flatMap((t) => t.interrupts);
  if (run.status === "interrupted" && interrupts.length > 0 && !run.cancelled) {
    return { __interrupt__: interrupts.map((i) => ({ ...(i.id !== null ? { id: i.id } : {}), value: toApiValue(i.value) })) };
  }
  return toApiValue(state.values);
}

/** Deletes a stateless run's thread once it ends, unless it was asked to be kept. */
export function dropWhenDone(ctx: ApiContext, run: RunInfo): void {
  void ctx.tl.runs
    .join({ runId: run.runId })
    .then(() => ctx.tl.threads.delete({ threadId: run.threadId }))
    .catch(() => undefined);
}
