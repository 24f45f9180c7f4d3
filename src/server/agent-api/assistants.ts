// Assistants as LangGraph's Agent Server has them: a default one per graph (id: uuid5 of the graph
// id) and the ones clients create, patch (each patch a new version), set to a version, search,
// count and delete. Stored by the engine (core/agent-api/assistants.ts); a graph id stands for its
// default assistant wherever an assistant id is taken.
import type { Hono } from "hono";
import type { ApiAssistant } from "../../shared/agent-api/assistants";
import type { JsonObject } from "../../shared/encoding";
import type { ApiContext } from "./context";
import { route } from "./errors";
import { body, param, query } from "./request";
import {
  assistantCount,
  assistantCreate,
  assistantDeleteQuery,
  assistantLatest,
  assistantPatch,
  assistantSearch,
  assistantVersions,
  graphQuery,
  subgraphsQuery,
} from "./schemas";

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
const objectOf = (v: object | undefined) => v as JsonObject | undefined;

export function assistantRoutes(app: Hono, ctx: ApiContext): void {
  app.post(
    "/assistants",
    route(async (c) => {
      const b = await body(c, assistantCreate);
      return c.json(await ctx.tl.assistants.put(defined({ assistantId: b.assistant_id, graphId: b.graph_id, ...fieldsOf(b), ifExists: b.if_exists })));
    }),
  );
  app.post(
    "/assistants/search",
    route(async (c) => {
      const b = await body(c, assistantSearch);
      const { assistants, total } = await ctx.tl.assistants.search(
        defined({ graphId: b.graph_id, name: b.name, metadata: objectOf(b.metadata), limit: b.limit, offset: b.offset, sortBy: b.sort_by, sortOrder: b.sort_order }),
      );
      c.header("x-pagination-total", String(total));
      if (b.offset + assistants.length < total) c.header("x-pagination-next", String(b.offset + assistants.length));
      return c.json(b.select ? assistants.map((a) => selected(a, b.select!)) : assistants);
    }),
  );
  app.post(
    "/assistants/count",
    route(async (c) => {
      const b = await body(c, assistantCount);
      return c.json(await ctx.tl.assistants.count(defined({ graphId: b.graph_id, name: b.name, metadata: objectOf(b.metadata) })));
    }),
  );
  app.get(
    "/assistants/:id",
    route(async (c) => c.json(await ctx.assistantOf(param(c, "id")))),
  );
  app.patch(
    "/assistants/:id",
    route(async (c) => {
      const b = await body(c, assistantPatch);
      return c.json(await ctx.tl.assistants.patch(defined({ assistantId: param(c, "id"), graphId: b.graph_id, ...fieldsOf(b) })));
    }),
  );
  app.delete(
    "/assistants/:id",
    route(async (c) => {
      const { delete_threads: deleteThreads } = query(c, assistantDeleteQuery);
      const { assistantIds } = await ctx.tl.assistants.delete({ assistantId: param(c, "id"), deleteThreads });
      return c.json(assistantIds);
    }),
  );
  app.post(
    "/assistants/:id/versions",
    route(async (c) => {
      const b = await body(c, assistantVersions);
      return c.json(await ctx.tl.assistants.versions(defined({ assistantId: param(c, "id"), metadata: objectOf(b.metadata), limit: b.limit, offset: b.offset })));
    }),
  );
  app.post(
    "/assistants/:id/latest",
    route(async (c) => {
      const { version } = await body(c, assistantLatest);
      return c.json(await ctx.tl.assistants.setLatest({ assistantId: param(c, "id"), version }));
    }),
  );
  app.get(
    "/assistants/:id/graph",
    route(async (c) => {
      const { graph_id: graphId } = await ctx.assistantOf(param(c, "id"));
      const { xray } = query(c, graphQuery);
      return c.json((await ctx.tl.graphs.apiGraph({ graphId, xray })).graph);
    }),
  );
  app.get(
    "/assistants/:id/schemas",
    route(async (c) => {
      const { graph_id: graphId } = await ctx.assistantOf(param(c, "id"));
      // Waits for an Annotation's TypeScript types (read off the engine's thread; runs keep going).
      const schemas = await ctx.tl.graphs.schemas({ graphId });
      return c.json({
        graph_id: graphId,
        input_schema: schemas.input ?? null,
        output_schema: schemas.output ?? schemas.state ?? null,
        state_schema: schemas.state ?? null,
        config_schema: schemas.config ?? null,
        context_schema: null,
      });
    }),
  );
  app.get(
    "/assistants/:id/subgraphs/:namespace?",
    route(async (c) => {
      const { graph_id: graphId } = await ctx.assistantOf(param(c, "id"));
      const namespace = c.req.param("namespace");
      const { recurse } = query(c, subgraphsQuery);
      const { subgraphs } = await ctx.tl.graphs.apiSubgraphs({ graphId, recurse, ...(namespace ? { namespace } : {}) });
      return c.json(subgraphs);
    }),
  );
}

/** The fields a create and a patch both take, as the engine's call names them. */
function fieldsOf(b: { config?: object | undefined; context?: object | undefined; metadata?: object | undefined; name?: string | undefined; description?: string | undefined }) {
  return { config: objectOf(b.config), context: objectOf(b.context), metadata: objectOf(b.metadata), name: b.name, description: b.description };
}

/** Only the fields a search's `select` names. */
function selected(assistant: ApiAssistant, fields: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(assistant).filter(([key]) => fields.includes(key))) as JsonObject;
}
