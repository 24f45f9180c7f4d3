// Thread state: at the head, at a checkpoint, and updates (which fork when made at an old one).
import type { Context, Hono } from "hono";
import type { JsonValue } from "../../shared/encoding";
import { apiThreadState } from "../../shared/agent-api/state";
import { fromApiValue } from "../../shared/agent-api/values";
import type { ApiContext } from "./context";
import { route } from "./errors";
import { body, param, query } from "./request";
import { stateAtCheckpoint, stateQuery, stateUpdate } from "./schemas";

export function stateRoutes(app: Hono, ctx: ApiContext): void {
  const { tl } = ctx;

  async function stateAt(c: Context, threadId: string, checkpointId: string | undefined, checkpointNs: string, subgraphs: boolean) {
    const state = await tl.state.get({ threadId, checkpointNs, subgraphs, ...(checkpointId ? { checkpointId } : {}) });
    return c.json(apiThreadState(state, threadId));
  }

  app.get(
    "/threads/:thread_id/state",
    route(async (c) => stateAt(c, param(c, "thread_id"), undefined, "", query(c, stateQuery).subgraphs)),
  );
  app.post(
    "/threads/:thread_id/state/checkpoint",
    route(async (c) => {
      const { checkpoint, subgraphs } = await body(c, stateAtCheckpoint);
      return stateAt(c, param(c, "thread_id"), checkpoint?.checkpoint_id, checkpoint?.checkpoint_ns ?? "", subgraphs);
    }),
  );
  app.get(
    "/threads/:thread_id/state/:checkpoint_id",
    route(async (c) => stateAt(c, param(c, "thread_id"), param(c, "checkpoint_id"), "", query(c, stateQuery).subgraphs)),
  );
  app.post(
    "/threads/:thread_id/state",
    route(async (c) => {
      const payload = await body(c, stateUpdate);
      const checkpointId = payload.checkpoint_id ?? payload.checkpoint?.checkpoint_id;
      const values = payload.values === undefined ? null : payload.values;
      // What LangGraph's server writes into the update's checkpoint metadata: the thread's graph and
      // the request's configurable keys (a `checkpoint` given as an object, with its checkpoint_map).
      const thread = await tl.threads.get({ threadId: param(c, "thread_id") });
      const metadata = {
        ...(typeof thread.metadata.graph_id === "string" ? { graph_id: thread.metadata.graph_id } : {}),
        ...(payload.checkpoint && "checkpoint_map" in payload.checkpoint ? { checkpoint_map: (payload.checkpoint.checkpoint_map ?? null) as JsonValue } : {}),
      };
      // LangGraph's updateState applies each key's reducer (messages merge by id, lists append).
      const result = await tl.state.update({
        threadId: param(c, "thread_id"),
        values: fromApiValue(values),
        throughReducer: Object.keys(typeof values === "object" && values !== null && !Array.isArray(values) ? values : {}),
        checkpointNs: payload.checkpoint?.checkpoint_ns ?? "",
        ...(checkpointId ? { checkpointId } : {}),
        ...(payload.as_node ? { asNode: payload.as_node } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      });
      const ref = result.checkpoint;
      return c.json({ checkpoint: { thread_id: ref.threadId, checkpoint_ns: ref.checkpointNs, checkpoint_id: ref.checkpointId } });
    }),
  );
}
