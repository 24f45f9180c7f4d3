// A request counts as work in flight (idle collections wait) until its response is sent; an event
// stream does not count, however long it stays open.
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { request } from "node:http";
import { activityClock } from "../core/worker/process-activity";
import { requestActivity } from "./request-activity";

const inFlight = () => Atomics.load(new Int32Array(activityClock(), 0, 1), 0);

/** A body whose end the test decides. */
function heldBody(type: string) {
  let close!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("x"));
      close = () => controller.close();
    },
  });
  return { body, type, close: () => close() };
}

describe("requestActivity", () => {
  it("counts a response until it is sent, and an event stream not at all", async () => {
    const held = { page: heldBody("application/json"), events: heldBody("text/event-stream") };
    const app = new Hono().use("*", requestActivity());
    app.get("/page", (c) => c.body(held.page.body, 200, { "content-type": held.page.type }));
    app.get("/events", (c) => c.body(held.events.body, 200, { "content-type": held.events.type }));
    const server = createAdaptorServer({ fetch: app.fetch });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const get = (path: string) =>
      new Promise<{ ended: Promise<void> }>((resolve) => {
        request({ host: "127.0.0.1", port, path, agent: false }, (response) => {
          const ended = new Promise<void>((done) => response.on("data", () => undefined).once("end", done));
          resolve({ ended });
        }).end();
      });
    try {
      const before = inFlight();
      const page = await get("/page");
      expect(inFlight()).toBe(before + 1);
      held.page.close();
      await page.ended;
      await vi.waitFor(() => expect(inFlight()).toBe(before));

      const events = await get("/events");
      expect(inFlight()).toBe(before);
      held.events.close();
      await events.ended;
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
