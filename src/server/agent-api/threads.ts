// Threads: create (with supersteps), search and count, get, patch, delete, copy.
import type { Hono } from "hono";
import type { JsonValue } from "../../shared/encoding";
import { fromApiValue, toApiValue } from "../../shared/agent-api/values";
import { jsonContains } from "../../shared/json-contains";
import type { ThreadInfo, ThreadStatus } from "../../shared/types";
import type { ApiContext } from "./context";
import { route } from "./errors";
import { body, param } from "./request";
import { threadCount, threadCreate, threadPatch, threadSearch } from "./schemas";
import { apiThread } from "./shapes";

/** How many threads a search that the engine cannot order or filter itself looks at. */
const SEARCH_WINDOW = 1000;

const asMetadata = (v: Record<string, unknown> | undefined) => (fromApiValue(v ?? {}) ?? {}) as Record<string, JsonValue>;

export function threadRoutes(app: Hono, ctx: ApiContext): void {
  const { tl } = ctx;

  /**
   * Threads whose head state contains the given values, as the Agent Server's JSONB containment
   * does (jsonContains). A thread with no state matches nothing.
   */
  async function filterByValues(threads: ThreadInfo[], values: Record<string, unknown>): Promise<ThreadInfo[]> {
    const heads = await Promise.all(threads.map((t) => (t.headCheckpointId ? ctx.head(t.threadId) : null)));
    return threads.filter((_, i) => {
      const state = heads[i];
      return state?.checkpoint ? jsonContains(toApiValue(state.values), values as JsonValue) : false;
    });
  }

  function filterOf(payload: { status?: ThreadStatus | null; metadata?: Record<string, unknown> }) {
    const metadata = payload.metadata && Object.keys(payload.metadata).length > 0 ? asMetadata(payload.metadata) : undefined;
    return { ...(metadata ? { metadata } : {}), ...(payload.status ? { status: payload.status } : {}) };
  }

  app.post(
    "/threads",
    route(async (c) => {
      const payload = await body(c, threadCreate);
      const metadata = asMetadata(payload.metadata);
      const graphId = typeof metadata.graph_id === "string" ? metadata.graph_id : undefined;
      // The SDK always sends graph_id (undefined when not given, which JSON drops).
      const thread = await tl.threads.create({
        metadata,
        ifExists: payload.if_exists ?? "raise",
        ...(payload.thread_id ? { threadId: payload.thread_id } : {}),
        ...(graphId && (await tl.graphs.list()).graphs.some((g) => g.id === graphId) ? { graphId } : {}),
      });
      for (const step of payload.supersteps ?? []) {
        for (const update of step.updates ?? []) {
          const values = update.values ?? null;
          await tl.state.update({
            threadId: thread.threadId,
            values: fromApiValue(values),
            throughReducer: Object.keys(typeof values === "object" && values !== null ? values : {}),
            ...(update.as_node ? { asNode: update.as_node } : {}),
          });
        }
      }
      return c.json(await ctx.threadResource(await tl.threads.get({ threadId: thread.threadId })));
    }),
  );
  app.post(
    "/threads/search",
    route(async (c) => {
      const payload = await body(c, threadSearch);
      const { limit, offset, values } = payload;
      const filter = filterOf(payload);
      const ids = payload.ids ? new Set(payload.ids) : null;
      const sortBy = payload.sort_by ?? "created_at";
      const order = (payload.sort_order ?? "desc") === "asc" ? 1 : -1;
      let threads: ThreadInfo[];
      if (!ids && !values && sortBy === "updated_at" && order === -1) {
        // The engine's own order: it pages.
        threads = await tl.threads.search({ ...filter, limit, offset });
      } else {
        // Other orders and filters are applied here, over the most recently updated threads.
        let all = await tl.threads.search({ ...filter, limit: SEARCH_WINDOW, offset: 0 });
        if (ids) all = all.filter((t) => ids.has(t.threadId));
        if (values) all = await filterByValues(all, values);
        const key = (t: ThreadInfo) =>
          sortBy === "thread_id" ? t.threadId : sortBy === "status" ? t.status : sortBy === "updated_at" ? t.updatedAt : t.createdAt;
        threads = all.sort((a, b) => order * key(a).localeCompare(key(b))).slice(offset, offset + limit);
      }
      const select = payload.select ? new Set(payload.select) : null;
      const resources = await Promise.all(threads.map((t) => ctx.threadResource(t)));
      c.header("x-pagination-total", String(offset + resources.length + (resources.length === limit ? 1 : 0)));
      if (resources.length === limit) c.header("x-pagination-next", String(offset + limit));
      return c.json(select ? resources.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => select.has(k)))) : resources);
    }),
  );
  app.post(
    "/threads/count",
    route(async (c) => {
      const payload = await body(c, threadCount);
      const filter = filterOf(payload);
      if (!payload.values) return c.json(await tl.threads.count(filter));
      return c.json((await filterByValues(await tl.threads.search({ ...filter, limit: SEARCH_WINDOW, offset: 0 }), payload.values)).length);
    }),
  );
  app.get(
    "/threads/:thread_id",
    route(async (c) => c.json(await ctx.threadResource(await tl.threads.get({ threadId: param(c, "thread_id") })))),
  );
  app.patch(
    "/threads/:thread_id",
    route(async (c) => {
      const payload = await body(c, threadPatch);
      const thread = await tl.threads.updateMetadata({ threadId: param(c, "thread_id"), metadata: asMetadata(payload.metadata), mode: "merge" });
      return c.json(await ctx.threadResource(thread));
    }),
  );
  app.delete(
    "/threads/:thread_id",
    route(async (c) => {
      ctx.historyCache.forget(param(c, "thread_id"));
      await tl.threads.delete({ threadId: param(c, "thread_id") });
      return c.body(null, 204);
    }),
  );
  app.post(
    "/threads/:thread_id/copy",
    route(async (c) => {
      const copy = await tl.threads.copy({ threadId: param(c, "thread_id") });
      // As LangGraph's server does, the copy's metadata names the copy.
      return c.json(apiThread(await tl.threads.updateMetadata({ threadId: copy.threadId, metadata: { thread_id: copy.threadId } }), null));
    }),
  );
}
