// Each HTTP request is work in flight for the process's activity clock (core/worker/process-activity.ts):
// no thread's idle collection starts while a response is being built or sent (a history page right
// after a run, issue 15). Event streams do not count: a run's stream lasts as long as the run, and
// the collectors must still be free to run between its events as they did before. Any other request
// counts until its response is sent, and at most IN_FLIGHT_CAP_MS (a `runs/wait` on a long run); one
// that outlived the cap still marks the time when its response is sent, so collections wait after it.
import type { ServerResponse } from "node:http";
import type { MiddlewareHandler } from "hono";
import { beginActivity } from "../core/worker/process-activity";

const IN_FLIGHT_CAP_MS = 10_000;

export function requestActivity(): MiddlewareHandler {
  return async (c, next) => {
    const end = beginActivity();
    const cap = setTimeout(end, IN_FLIGHT_CAP_MS);
    cap.unref();
    const done = () => {
      clearTimeout(cap);
      end();
    };
    try {
      await next();
    } catch (error) {
      done();
      throw error;
    }
    // @hono/node-server hands the response over as `outgoing`; the body is written after this returns.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    const streaming = c.res.headers.get("content-type")?.startsWith("text/event-stream") === true;
    if (!outgoing || streaming || outgoing.closed) done();
    else outgoing.once("close", done);
  };
}
