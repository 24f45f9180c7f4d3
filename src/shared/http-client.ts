// Browser mode's client side: the contract over HTTP (one POST per call) and the event stream over
// SSE. Process-agnostic (fetch and streams exist in browsers and in Node), so the UI and the tests
// that drive a real server process use the same code.
import { createParser } from "eventsource-parser";
import type { CallName, Invoke } from "./contract";
import { ThreadlineError } from "./errors";
import type { EngineEvent, EventListener, Unsubscribe } from "./events";

export interface Transport {
  kind: "electron" | "http";
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
}

export const API_PREFIX = "/api";
export const callPath = (name: CallName) => `${API_PREFIX}/calls/${name}`;
export const EVENTS_PATH = `${API_PREFIX}/events`;
/** The header that carries the launch token (what LangGraph's SDK sends for its `apiKey`). */
export const TOKEN_HEADER = "x-api-key";

export function httpTransport(baseUrl: string, token: string): Transport {
  const headers = { "content-type": "application/json", [TOKEN_HEADER]: token };
  const invoke = async (name: CallName, args: unknown) => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${callPath(name)}`, { method: "POST", headers, body: JSON.stringify(args ?? {}) });
    } catch (error) {
      throw new ThreadlineError("UNAVAILABLE", `cannot reach Threadline at ${baseUrl}: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => null)) as { result?: unknown; code?: string; message?: string } | null;
    if (response.ok && body && "result" in body) return body.result;
    throw ThreadlineError.from(body ?? { code: "INTERNAL", message: `HTTP ${response.status} from ${name}` });
  };
  return { kind: "http", invoke, onEvent: (listener) => subscribeHttpEvents(baseUrl, headers, listener) };
}

/** Reads the SSE stream with fetch (EventSource cannot send the token header), reconnecting from the last id. */
function subscribeHttpEvents(baseUrl: string, headers: Record<string, string>, listener: EventListener): Unsubscribe {
  const abort = new AbortController();
  let lastId: string | null = null;
  const connect = async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`${baseUrl}${EVENTS_PATH}`, {
          headers: lastId ? { ...headers, "last-event-id": lastId } : headers,
          signal: abort.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const parser = createParser({
          onEvent(message) {
            if (message.id) lastId = message.id;
            if (message.event === "ready") return;
            listener(JSON.parse(message.data) as EngineEvent);
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void connect();
  return () => abort.abort();
}
