// Each HTTP request is work in flight for the process's activity clock (core/worker/process-activity.ts):
// no thread's idle collection starts while a response is being built or sent. A stream (SSE) may stay
// open for hours, so a request counts as in flight for at most IN_FLIGHT_CAP_MS.
import type { Server } from "node:http";
import { beginActivity } from "../core/worker/process-activity";

const IN_FLIGHT_CAP_MS = 10_000;

export function countRequestsAsActivity(server: Server): void {
  server.on("request", (_request, response) => {
    const end = beginActivity();
    const cap = setTimeout(end, IN_FLIGHT_CAP_MS);
    cap.unref();
    response.once("close", () => {
      clearTimeout(cap);
      end();
    });
  });
}
