// The adapter's half of the warm-up: it asks the engine for the synthetic page as a stream, sends it
// through a throwaway HTTP server to its end, then asks the real server for a missing thread's history.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallName } from "../../shared/contract";
import { TOKEN_HEADER } from "../../shared/http-client";
import { warmUpServer } from "./warm-up";

function streamingEngine() {
  const asked: CallName[] = [];
  let delivered = 0;
  return {
    asked,
    delivered: () => delivered,
    invoke: () => Promise.reject(new Error("not expected")),
    onEvent: () => () => undefined,
    async stream(name: CallName, _args: unknown, partial: (value: unknown) => void) {
      asked.push(name);
      for (const n of [1, 2, 3]) {
        partial({ states: [{ checkpointNs: "", checkpointId: `c${n}`, json: `{"n":${n}}`, revision: null }] });
        delivered++;
      }
      return { states: [] };
    },
  };
}

/** A stand-in for the served app: records each request and answers `status`. */
async function target(status: number) {
  const seen: { method?: string; url?: string; token?: string; body: string }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({ method: request.method, url: request.url, token: request.headers[TOKEN_HEADER] as string | undefined, body });
      response.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the server's warm-up", () => {
  it("streams the engine's synthetic page to its end, then asks the server for a missing thread's history with the token", async () => {
    const engine = streamingEngine();
    const server = await target(404);
    try {
      await warmUpServer(engine, { url: server.url, token: "secret" });
      expect(engine.asked).toEqual(["history.warmUp"]);
      expect(engine.delivered()).toBe(3);
      expect(server.seen).toEqual([
        { method: "POST", url: "/threads/00000000-0000-0000-0000-000000000000/history", token: "secret", body: '{"limit":50}' },
      ]);
    } finally {
      await server.close();
    }
  });

  it("fails, naming the status, when the server answers that request with anything but 404", async () => {
    const server = await target(401);
    try {
      await expect(warmUpServer(streamingEngine(), { url: server.url, token: "wrong" })).rejects.toThrow(/answered 401, not 404/);
    } finally {
      await server.close();
    }
  });

  it("does nothing for an engine that cannot stream", async () => {
    const engine = { invoke: () => Promise.reject(new Error("not expected")), onEvent: () => () => undefined };
    await expect(warmUpServer(engine, { url: "http://127.0.0.1:1", token: "x" })).resolves.toBeUndefined();
  });
});
