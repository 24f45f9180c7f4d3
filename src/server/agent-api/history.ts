// Thread history: pages of states, answered from the history cache where every state's revision
// is unchanged, building only the missing ones otherwise, and streamed as the engine writes them.
import type { Context, Hono } from "hono";
import type { JsonValue } from "../../shared/encoding";
import type { ApiStateText } from "../../shared/agent-api/state";
import { fromApiValue } from "../../shared/agent-api/values";
import type { AgentApiEngine, ApiContext } from "./context";
import { route } from "./errors";
import { jsonArrayBytes } from "./history-cache";
import { body, param, query } from "./request";
import { historyQuery, historyRequest, type HistoryRequest } from "./schemas";
import { StateStream } from "./state-stream";

export const JSON_TYPE = { "content-type": "application/json" } as const;

type PageArgs = { threadId: string; checkpointNs: string; limit: number; before?: string; metadata?: Record<string, JsonValue> };

export function historyRoutes(app: Hono, ctx: ApiContext): void {
  const { tl, historyCache: cache } = ctx;

  async function history(c: Context, threadId: string, request: HistoryRequest) {
    const { before, limit } = request;
    const filter = "metadata" in request ? request.metadata : undefined;
    const metadata = filter && Object.keys(filter).length > 0 ? (fromApiValue(filter) as Record<string, JsonValue>) : undefined;
    const checkpointNs = ("checkpoint" in request ? request.checkpoint?.checkpoint_ns : undefined) ?? "";
    const page = { threadId, checkpointNs, ...(before ? { before } : {}) };
    if (metadata) return historyBody(c, { ...page, limit, metadata }, null);
    // Nothing of the thread kept (its first page in this process, as after a restart): no revisions
    // to check, so the page is built at once, with one call to the engine instead of two.
    if (!cache.holds(threadId)) return historyBody(c, { ...page, limit }, (states) => cache.put(threadId, states));
    // Which checkpoints the page holds, and whether each state in memory is still what it reads.
    const { items } = await tl.history.revisions({ ...page, limit });
    const cached = cache.lookup(threadId, checkpointNs, items);
    if (cached.every((json) => json !== undefined)) return c.body(jsonArrayBytes(cached as string[]), 200, JSON_TYPE);
    // After a run only its new checkpoints, at the top of the page, are missing: build just those.
    const missing = cached.findIndex((json) => json !== undefined);
    if (missing > 0 && cached.slice(missing).every((json) => json !== undefined)) {
      const { states } = await tl.history.apiStates({ ...page, limit: missing });
      if (states.every((state, i) => state.checkpointId === items[i]!.checkpointId)) {
        cache.put(threadId, states);
        return c.body(jsonArrayBytes([...states.map((s) => s.json), ...(cached.slice(missing) as string[])]), 200, JSON_TYPE);
      }
      // The thread moved on meanwhile: read the whole page.
    }
    return historyBody(c, { ...page, limit }, (states) => cache.put(threadId, states));
  }

  /** Builds every state of a page; streamed as it is built when the engine can. */
  async function historyBody(c: Context, args: PageArgs, remember: ((states: readonly ApiStateText[]) => void) | null) {
    if (!ctx.engine.stream) {
      const { states } = await tl.history.apiStates(args);
      remember?.(states);
      return c.body(jsonArrayBytes(states.map((s) => s.json)), 200, JSON_TYPE);
    }
    return c.body(await streamedStates(ctx.engine, "history.apiStates", args, remember), 200, JSON_TYPE);
  }

  app.get(
    "/threads/:thread_id/history",
    route(async (c) => history(c, param(c, "thread_id"), query(c, historyQuery))),
  );
  app.post(
    "/threads/:thread_id/history",
    route(async (c) => history(c, param(c, "thread_id"), await body(c, historyRequest))),
  );
}

/**
 * The engine writes each state's JSON as soon as it has read it, and the body goes out as it
 * comes: a long page is on the wire while the rest of it is being read. An error before the first
 * state (no such thread, a bad cursor) rejects, so that it answers with its status.
 */
export async function streamedStates(
  engine: AgentApiEngine,
  name: "history.apiStates" | "history.warmUp",
  args: object,
  remember: ((states: readonly ApiStateText[]) => void) | null,
): Promise<ReadableStream<Uint8Array>> {
  const out = new StateStream();
  const done = engine.stream!(name, args, (part) => out.push((part as { states: ApiStateText[] }).states)).then((result) =>
    out.push((result as { states: ApiStateText[] }).states),
  );
  await Promise.race([out.started, done]);
  done.then(
    () => {
      out.end();
      remember?.(out.states);
    },
    (error: unknown) => out.fail(error),
  );
  return out.readable;
}
