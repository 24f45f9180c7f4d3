// Assistants: one per loaded graph, with the id LangGraph's server derives from the graph id.
import type { Hono } from "hono";
import type { JsonObject } from "../../shared/encoding";
import type { ApiContext } from "./context";
import { ApiError, route } from "./errors";
import { body, param, query } from "./request";
import { assistantCount, assistantSearch, graphQuery, subgraphsQuery } from "./schemas";
import { apiAssistant } from "./shapes";

export function assistantRoutes(app: Hono, ctx: ApiContext): void {
  app.post(
    "/assistants/search",
    route(async (c) => {
      const { graph_id: graphId, name, metadata = {}, limit, offset } = await body(c, assistantSearch);
      const all = (await ctx.graphs())
        .filter((g) => (!graphId || g.id === graphId) && (!name || g.id.includes(name)))
        .map((g) => apiAssistant(g, ctx.startedAt))
        .filter((a) => Object.entries(metadata).every(([k, v]) => (a.metadata as JsonObject)[k] === v));
      const found = all.slice(offset, offset + limit);
      c.header("x-pagination-total", String(all.length));
      if (offset + found.length < all.length) c.header("x-pagination-next", String(offset + found.length));
      return c.json(found);
    }),
  );
  app.post(
    "/assistants/count",
    route(async (c) => {
      const { graph_id: graphId } = await body(c, assistantCount);
      return c.json((await ctx.graphs()).filter((g) => !graphId || g.id === graphId).length);
    }),
  );
  app.post(
    "/assistants",
    route(async () => {
      throw new ApiError(501, "Threadline serves one assistant per graph of the open project; creating assistants is not supported", "NotImplemented");
    }),
  );
  app.get(
    "/assistants/:id",
    route(async (c) => c.json(apiAssistant(await ctx.graphOf(param(c, "id")), ctx.startedAt))),
  );
  app.post(
    "/assistants/:id/versions",
    route(async (c) => c.json([apiAssistant(await ctx.graphOf(param(c, "id")), ctx.startedAt)])),
  );
  app.get(
    "/assistants/:id/graph",
    route(async (c) => {
      const graph = await ctx.graphOf(param(c, "id"));
      const { xray } = query(c, graphQuery);
      return c.json((await ctx.tl.graphs.apiGraph({ graphId: graph.id, xray })).graph);
    }),
  );
  app.get(
    "/assistants/:id/schemas",
    route(async (c) => {
      const graph = await ctx.graphOf(param(c, "id"));
      const { schemas } = await ctx.tl.graphs.get({ graphId: graph.id });
      return c.json({
        graph_id: graph.id,
        input_schema: schemas.input ?? null,
        output_schema: schemas.state ?? null,
        state_schema: schemas.state ?? null,
        config_schema: null,
        context_schema: null,
      });
    }),
  );
  app.get(
    "/assistants/:id/subgraphs/:namespace?",
    route(async (c) => {
      const graph = await ctx.graphOf(param(c, "id"));
      const namespace = c.req.param("namespace");
      const { recurse } = query(c, subgraphsQuery);
      const { subgraphs } = await ctx.tl.graphs.apiSubgraphs({ graphId: graph.id, recurse, ...(namespace ? { namespace } : {}) });
      return c.json(subgraphs);
    }),
  );
}
