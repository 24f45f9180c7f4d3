// The renderer's one way to reach the engine. In the desktop app that is the preload's
// `window.threadline`; in a browser it is browser mode's HTTP API. Inside Electron a missing bridge
// is an error to show, never a reason to fall back to HTTP (that would bypass the sandbox's IPC checks).
import { createParser } from "eventsource-parser";
import { createClient, type CallName, type EngineClient, type Invoke } from "../../../shared/contract";
import type { ThreadlineBridge } from "../../../shared/bridge";
import { ThreadlineError } from "../../../shared/errors";
import type { EngineEvent, EventListener, Unsubscribe } from "../../../shared/events";

export interface Transport {
  kind: "electron" | "http";
  invoke: Invoke;
  onEvent(listener: EventListener): Unsubscribe;
}

declare global {
  interface Window {
    threadline?: ThreadlineBridge;
  }
}

export function isElectron(): boolean {
  return navigator.userAgent.includes("Electron") || location.protocol === "file:";
}

export function bridgeTransport(bridge: ThreadlineBridge): Transport {
  return {
    kind: "electron",
    async invoke(name, args) {
      const call = bridge.calls[name];
      if (!call) throw new ThreadlineError("INVALID_ARGUMENT", `the desktop bridge has no call ${name}`);
      const outcome = await call(args);
      if (!outcome.ok) throw ThreadlineError.fromWire(outcome.error);
      return outcome.result;
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

const TOKEN_KEY = "threadline.token";

/** The launch token: from the page's URL (?token=…, as `threadline serve` prints it), kept for reloads of this tab. */
export function pageToken(): string | null {
  const fromUrl = new URL(location.href).searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpTransport(baseUrl: string, token: string): Transport {
  const headers = { "content-type": "application/json", "x-api-key": token };
  const invoke = async (name: CallName, args: unknown) => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/calls/${name}`, { method: "POST", headers, body: JSON.stringify(args ?? {}) });
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
        const response = await fetch(`${baseUrl}/api/events`, {
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

export type TransportResult = { ok: true; transport: Transport; client: EngineClient } | { ok: false; message: string };

export function connect(): TransportResult {
  if (isElectron()) {
    if (!window.threadline) {
      return { ok: false, message: "Threadline's desktop bridge (window.threadline) is missing: the preload script did not load. Restart the app; if it persists, reinstall it." };
    }
    const transport = bridgeTransport(window.threadline);
    return { ok: true, transport, client: createClient(transport.invoke) };
  }
  const token = pageToken();
  if (!token) {
    return { ok: false, message: "This page needs the token that `threadline serve` printed: open the full URL it shows (…/?token=…)." };
  }
  const transport = httpTransport(location.origin, token);
  return { ok: true, transport, client: createClient(transport.invoke) };
}
