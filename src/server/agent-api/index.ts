// LangGraph's Agent Server REST API over Threadline's engine, so that the official SDK client (and
// tools built on it, such as `useStream`) work against `threadline serve` unchanged. Paths,
// bodies, status codes and SSE events follow the Agent Server's documentation and what
// `langgraph dev` does; the differences that remain are listed in the README.
//
// This file is the mount: one module per resource adds its routes (a new resource, such as the
// store, is one more module and one more line here). Mounted at the root of browser mode's app,
// behind its Host/Origin and token checks (see AGENT_API_PATHS).
import { Hono } from "hono";
import { assistantRoutes } from "./assistants";
import { ApiContext, type AgentApiEngine } from "./context";
import { historyRoutes } from "./history";
import { metaRoutes } from "./meta";
import { runRoutes } from "./runs";
import { stateRoutes } from "./state";
import { storeRoutes } from "./store";
import { threadRoutes } from "./threads";

export type { AgentApiEngine } from "./context";
export { warmUpServer } from "./warm-up";

/** The path patterns this API answers, for the token check and body limit in front of it. */
export const AGENT_API_PATHS = ["/info", "/ok", "/assistants", "/assistants/*", "/threads", "/threads/*", "/runs", "/runs/*", "/store/*"] as const;

const RESOURCES = [metaRoutes, assistantRoutes, threadRoutes, stateRoutes, historyRoutes, runRoutes, storeRoutes];

export function createAgentApi(engine: AgentApiEngine): Hono {
  const ctx = new ApiContext(engine);
  const app = new Hono();
  for (const addRoutes of RESOURCES) addRoutes(app, ctx);
  for (const pattern of AGENT_API_PATHS) {
    app.all(pattern, (c) => c.json({ error: "NotFound", message: `no route ${c.req.method} ${c.req.path}` }, 404));
  }
  return app;
}
