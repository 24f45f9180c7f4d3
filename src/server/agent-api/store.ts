// The store routes of the Agent Server API (what the SDK's client.store.* calls): LangGraph's
// long-term memory, the same store every graph of the engine gets. Values cross as plain JSON, as
// `langgraph dev` sends them; items carry created_at/updated_at.
import type { Hono } from "hono";
import type { StoreItemInfo } from "../../shared/store";
import { fromApiValue, toApiValue } from "../../shared/agent-api/values";
import type { ApiContext } from "./context";
import { ApiError, route } from "./errors";
import { body, query } from "./request";
import { storeDelete, storeGet, storeNamespaces, storePut, storeSearch } from "./schemas";

function apiItem(item: StoreItemInfo) {
  return {
    namespace: item.namespace,
    key: item.key,
    value: toApiValue(item.value),
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    ...(item.score !== undefined ? { score: item.score } : {}),
  };
}

/** langgraph dev's own first check, with its statuses: no namespace 400, an empty or dotted label 422. */
function checkLabels(namespace: readonly string[]): void {
  if (namespace.length === 0) throw new ApiError(400, "Namespace is required");
  if (namespace.some((label) => !label || label.includes("."))) {
    throw new ApiError(422, `Namespace labels cannot be empty or contain periods. Received: ${namespace.join(".")}`);
  }
}

export function storeRoutes(app: Hono, ctx: ApiContext): void {
  app.put(
    "/store/items",
    route(async (c) => {
      const req = await body(c, storePut);
      checkLabels(req.namespace);
      await ctx.tl.store.put({
        namespace: req.namespace,
        key: req.key,
        value: fromApiValue(req.value),
        ...(req.index !== undefined && req.index !== null ? { index: req.index } : {}),
        ...(req.ttl !== undefined ? { ttl: req.ttl } : {}),
      });
      return c.body(null, 204);
    }),
  );
  app.get(
    "/store/items",
    route(async (c) => {
      const req = query(c, storeGet);
      const item = await ctx.tl.store.get({ namespace: req.namespace, key: req.key });
      return c.json(item ? apiItem(item) : null);
    }),
  );
  app.delete(
    "/store/items",
    route(async (c) => {
      const req = await body(c, storeDelete);
      if (req.namespace.length > 0) checkLabels(req.namespace);
      await ctx.tl.store.delete({ namespace: req.namespace, key: req.key });
      return c.body(null, 204);
    }),
  );
  app.post(
    "/store/items/search",
    route(async (c) => {
      const req = await body(c, storeSearch);
      if (req.namespace_prefix.length > 0) checkLabels(req.namespace_prefix);
      const items = await ctx.tl.store.search({
        namespacePrefix: req.namespace_prefix,
        limit: req.limit,
        offset: req.offset,
        ...(req.filter ? { filter: req.filter as never } : {}),
        ...(req.query ? { query: req.query } : {}),
      });
      return c.json({ items: items.map(apiItem) });
    }),
  );
  app.post(
    "/store/namespaces",
    route(async (c) => {
      const req = await body(c, storeNamespaces);
      if (req.prefix) checkLabels(req.prefix);
      if (req.suffix) checkLabels(req.suffix);
      const namespaces = await ctx.tl.store.listNamespaces({
        limit: req.limit,
        offset: req.offset,
        ...(req.prefix ? { prefix: req.prefix } : {}),
        ...(req.suffix ? { suffix: req.suffix } : {}),
        ...(req.max_depth !== undefined ? { maxDepth: req.max_depth } : {}),
      });
      return c.json({ namespaces });
    }),
  );
}
