// The server's own resources: /info (what LangGraph's clients check first) and /ok.
import type { Hono } from "hono";
import { INSTANCE_HEADER } from "../../core/sources/remote/instance";
import type { ApiContext } from "./context";
import { route } from "./errors";

/** Reported as the server's version in /info, next to LangGraph's own fields. */
const API_FLAVOUR = "threadline";

export function metaRoutes(app: Hono, ctx: ApiContext): void {
  app.get(
    "/info",
    route(async (c) => {
      const [project, { graphs }] = await Promise.all([ctx.tl.project.info(), ctx.tl.graphs.list()]);
      if (project.instance) c.header(INSTANCE_HEADER, project.instance);
      return c.json({
        version: project.version,
        // The project's own release, which its graphs run on; null with only the built-in examples.
        langgraph_js_version: graphs.find((g) => g.langgraphVersion)?.langgraphVersion ?? null,
        context: "js",
        server: API_FLAVOUR,
        flags: { assistants: true, crons: false, langsmith: false, langsmith_tracing_replicas: false },
      });
    }),
  );
  app.get("/ok", (c) => c.json({ ok: true }));
}
