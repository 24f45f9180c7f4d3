// What goes wrong when connecting to an Agent Server, each said as what it is: nothing listening,
// a wrong key, a server that is not one or of an unsupported version, a connection lost during a
// run; and the source coming back when the server does. A small HTTP server plays each part.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../../shared/events";
import { SourceShelf } from "../shelf";
import type { Source } from "../source";
import { normaliseServerUrl } from "./connection";
import { RemoteSource } from "./remote-source";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const INFO = { version: "0.4.0", context: "js", flags: { assistants: true } };
const KEY = "the-right-key";

/** An Agent Server in miniature: /info open, everything else behind x-api-key. */
function agentServer(extra: Record<string, Handler> = {}): Handler {
  return (req, res) => {
    const route = `${req.method} ${req.url?.split("?")[0]}`;
    if (route === "GET /info") return json(res, 200, INFO);
    if (req.headers["x-api-key"] !== KEY) return json(res, 401, { detail: "Invalid API key" });
    if (extra[route]) return extra[route](req, res);
    if (route === "POST /assistants/search") return json(res, 200, []);
    return json(res, 404, { detail: `no route ${route}` });
  };
}

async function freeUrl(): Promise<string> {
  const url = await serve(() => undefined);
  const server = servers.pop()!;
  await new Promise((r) => server.close(r));
  return url;
}

describe("connecting to an Agent Server", () => {
  it("says a server that is not listening cannot be reached", async () => {
    const url = await freeUrl();
    await expect(RemoteSource.connect(url, null)).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/cannot reach the Agent Server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/) });
  });

  it("says a wrong key was refused (401), and never repeats the key", async () => {
    const url = await serve(agentServer());
    const failure = await RemoteSource.connect(url, "wrong-key-1234").catch((e: Error) => e);
    expect(failure).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("refused the API key (401): Invalid API key") });
    expect((failure as Error).message).not.toContain("wrong-key-1234");
    await expect(RemoteSource.connect(url, null)).rejects.toMatchObject({ message: expect.stringContaining("(401)") });
    const source = await RemoteSource.connect(url, KEY);
    expect(source.info()).toMatchObject({ kind: "remote", label: url });
  });

  it("says a server without /info, or whose /info is not an Agent Server's, is not supported", async () => {
    const noInfo = await serve((_req, res) => json(res, 404, { detail: "Not Found" }));
    await expect(RemoteSource.connect(noInfo, null)).rejects.toMatchObject({ message: expect.stringContaining("has no /info: not a LangGraph Agent Server") });
    const old = await serve((_req, res) => json(res, 200, { version: "0.0.1", flags: { assistants: false } }));
    await expect(RemoteSource.connect(old, null)).rejects.toMatchObject({ message: expect.stringContaining("a server of an unsupported version") });
    const notJson = await serve((_req, res) => json(res, 200, ["an", "array"]));
    await expect(RemoteSource.connect(notJson, null)).rejects.toMatchObject({ message: expect.stringContaining("unsupported version") });
  });

  it("refuses addresses that are not http(s) or that carry credentials", () => {
    expect(normaliseServerUrl(" http://127.0.0.1:2024/ ")).toBe("http://127.0.0.1:2024");
    expect(() => normaliseServerUrl("ftp://example.com")).toThrow(/http:\/\/ or https:\/\//);
    expect(() => normaliseServerUrl("http://user:secret@example.com")).toThrow(/API key in the key field/);
    expect(() => normaliseServerUrl("not a url")).toThrow(/is not a URL/);
  });

  it("ends a run whose connection is lost with an error saying so, and recovers when the server is back", async () => {
    let down = false;
    const url = await serve(
      agentServer({
        "POST /threads/t1/runs/stream": (_req, res) => {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(`event: metadata\ndata: ${JSON.stringify({ run_id: "r1" })}\n\n`);
          // The server goes away in the middle of the run.
          setTimeout(() => res.socket?.destroy(), 50);
          down = true;
        },
        "POST /threads/search": (_req, res) => (down ? res.socket?.destroy() : json(res, 200, [])),
      }),
    );
    const local = { info: () => ({}), subscribe: () => () => undefined } as unknown as Source;
    const shelf = new SourceShelf(local);
    const events: EngineEvent[] = [];
    shelf.subscribe((e) => events.push(e));
    const list = await shelf.connect(url, KEY);
    expect(list.sources.find((s) => s.id === list.activeId)).toMatchObject({ kind: "remote", label: url, connected: true });
    const remote = shelf.active as RemoteSource;
    const run = await remote.runs["runs.start"]({
      threadId: "t1", graphId: "agent", input: {}, config: {}, metadata: {}, multitaskStrategy: "reject", ifNotExists: "reject", step: false,
    });
    const finished = await remote.runs["runs.join"]({ runId: run.runId });
    expect(finished).toMatchObject({ status: "error", error: { className: "ConnectionLost", message: expect.stringContaining("connection to the Agent Server was lost during the run") } });
    expect(events.some((e) => e.type === "run.finished")).toBe(true);

    await expect(remote.reads["threads.search"]({ limit: 10, offset: 0 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(shelf.list().sources.find((s) => s.kind === "remote")).toMatchObject({ connected: false, error: expect.stringContaining("cannot reach") });
    down = false;
    const before = events.length;
    await expect(remote.reads["threads.search"]({ limit: 10, offset: 0 })).resolves.toEqual([]);
    expect(shelf.list().sources.find((s) => s.kind === "remote")).toMatchObject({ connected: true, error: null });
    // Back: everything the page shows is read again.
    expect(events.slice(before)).toContainEqual(expect.objectContaining({ type: "threads.changed", threadIds: null }));
    await shelf.closeAll();
  });
});
