// Runs, on a thread and stateless: create, stream, wait, batch, list, get, cancel, join and join
// the stream (resuming after Last-Event-ID).
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { ThreadlineError } from "../../shared/errors";
import type { RunInfo } from "../../shared/types";
import type { ApiContext } from "./context";
import { ApiError, notFound, route } from "./errors";
import { createRun, storedStreamRequest, type CreatedRun } from "./run-create";
import { dropWhenDone, runEvents, runResult } from "./run-stream";
import { threadStream } from "./thread-stream";
import { body, param, query } from "./request";
import { cancelMany, cancelQuery, joinStreamQuery, runBatch, runCreate, runList, threadStreamQuery } from "./schemas";

/** How many of a thread's runs a list looks at. */
const RUNS_WINDOW = 1000;

const contentLocation = (run: RunInfo, stateless: boolean) => (stateless ? `/runs/${run.runId}` : `/threads/${run.threadId}/runs/${run.runId}`);

export function runRoutes(app: Hono, ctx: ApiContext): void {
  const { tl } = ctx;
  const resource = async (run: RunInfo) => (await ctx.runResources([run]))[0]!;

  for (const scope of ["thread", "stateless"] as const) {
    const base = scope === "thread" ? "/threads/:thread_id/runs" : "/runs";
    const stateless = scope === "stateless";
    const start = async (c: Context): Promise<CreatedRun & { payload: Awaited<ReturnType<typeof runCreate.parse>> }> => {
      const payload = await body(c, runCreate);
      const created = await createRun(ctx, stateless ? null : param(c, "thread_id"), payload, new URL(c.req.url).origin);
      c.header("content-location", contentLocation(created.run, stateless));
      return { ...created, payload };
    };

    app.post(
      base,
      route(async (c) => {
        const { run, temporary } = await start(c);
        if (temporary) dropWhenDone(ctx, run);
        return c.json(await resource(run));
      }),
    );
    app.post(
      `${base}/stream`,
      route(async (c) => {
        const { run, temporary, stream, payload } = await start(c);
        if (temporary) dropWhenDone(ctx, run);
        return runEvents(ctx, c, run.runId, stream, { cancelOnDisconnect: payload.on_disconnect === "cancel" });
      }),
    );
    app.post(
      `${base}/wait`,
      route(async (c) => {
        const { run, temporary } = await start(c);
        const result = await runResult(ctx, await tl.runs.join({ runId: run.runId }));
        // A stateless run's thread goes once its result is read.
        if (temporary) await tl.threads.delete({ threadId: run.threadId }).catch(() => undefined);
        return c.json(result);
      }),
    );
  }

  app.post(
    "/runs/batch",
    route(async (c) => {
      const payloads = await body(c, runBatch);
      const runs: RunInfo[] = [];
      for (const payload of payloads) {
        const { run, temporary } = await createRun(ctx, payload.thread_id ?? null, payload, new URL(c.req.url).origin);
        if (temporary) dropWhenDone(ctx, run);
        runs.push(run);
      }
      return c.json(await ctx.runResources(runs));
    }),
  );

  async function runOn(threadId: string | null, runId: string): Promise<RunInfo> {
    const run = await tl.runs.get({ runId }).catch((error: unknown) => {
      throw ThreadlineError.from(error).code === "NOT_FOUND" ? notFound("Run not found") : error;
    });
    if (threadId !== null && run.threadId !== threadId) throw notFound("Run not found");
    return run;
  }

  app.get(
    "/threads/:thread_id/runs",
    route(async (c) => {
      const { status, limit, offset } = query(c, runList);
      const threadId = param(c, "thread_id");
      // Oldest first, as langgraph dev lists them (the engine lists newest first).
      const runs = [...(await tl.runs.list({ threadId, limit: RUNS_WINDOW, offset: 0 }))].reverse();
      const selected = (status ? runs.filter((r) => r.status === status) : runs).slice(offset, offset + limit);
      return c.json(await ctx.runResources(selected));
    }),
  );
  app.post(
    "/runs/cancel",
    route(async (c) => {
      const payload = await body(c, cancelMany);
      const action = query(c, cancelQuery).action ?? "interrupt";
      let runIds = payload.run_ids ?? [];
      if (runIds.length === 0 && payload.thread_id) {
        const active = (await tl.runs.list({ threadId: payload.thread_id, limit: 1000 })).filter((r) => r.status === "pending" || r.status === "running");
        runIds = active.map((r) => r.runId);
      }
      for (const runId of runIds) void tl.runs.cancel({ runId, action }).catch(() => undefined);
      return c.body(null, 204);
    }),
  );
  app.get(
    "/threads/:thread_id/runs/:run_id",
    route(async (c) => c.json(await resource(await runOn(param(c, "thread_id"), param(c, "run_id"))))),
  );
  app.post(
    "/threads/:thread_id/runs/:run_id/cancel",
    route(async (c) => {
      const run = await runOn(param(c, "thread_id"), param(c, "run_id"));
      const { action, wait } = query(c, cancelQuery);
      const cancelled = tl.runs.cancel({ runId: run.runId, action: action ?? "interrupt" });
      if (wait) {
        await cancelled;
        return c.body(null, 204);
      }
      void cancelled.catch(() => undefined);
      return c.body(null, 202);
    }),
  );
  app.get(
    "/threads/:thread_id/runs/:run_id/join",
    route(async (c) => {
      const run = await runOn(param(c, "thread_id"), param(c, "run_id"));
      return c.json(await runResult(ctx, await tl.runs.join({ runId: run.runId })));
    }),
  );

  const joinStream = route(async (c) => {
    const run = await runOn(c.req.param("thread_id") ?? null, param(c, "run_id"));
    const { stream_mode: modes, cancel_on_disconnect: cancelOnDisconnect } = query(c, joinStreamQuery, ["stream_mode"]);
    const finished = run.status !== "pending" && run.status !== "running";
    if (finished && !ctx.logs.has(run.runId)) return streamSSE(c, async () => undefined);
    const { requests } = await tl.runs.requests({ runIds: [run.runId] });
    const asked = storedStreamRequest(requests[run.runId]);
    const request = modes?.length ? { modes: new Set<string>(modes), subgraphs: asked.subgraphs } : asked;
    const lastEventId = c.req.header("last-event-id");
    return runEvents(ctx, c, run.runId, request, { ...(lastEventId ? { lastEventId } : {}), cancelOnDisconnect });
  });
  app.get(
    "/threads/:thread_id/stream",
    route(async (c) => {
      const threadId = param(c, "thread_id");
      await tl.threads.get({ threadId });
      const { stream_mode: modes } = query(c, threadStreamQuery, ["stream_mode"]);
      return threadStream(ctx, c, threadId, modes);
    }),
  );
  app.get("/threads/:thread_id/runs/:run_id/stream", joinStream);
  app.get("/runs/:run_id/stream", joinStream);

  app.delete(
    "/threads/:thread_id/runs/:run_id",
    route(async (c) => {
      await runOn(param(c, "thread_id"), param(c, "run_id"));
      throw new ApiError(501, "Threadline keeps every run of a thread; delete the thread instead", "NotImplemented");
    }),
  );
}
