// The renderer's one way to reach the engine. In the desktop app that is the preload's
// `window.threadline`; in a browser it is browser mode's HTTP API. Inside Electron a missing bridge
// is an error to show, never a reason to fall back to HTTP (that would bypass the sandbox's IPC checks).
import { createClient, isUiCall, UI_CALL_NAMES, type UiClient } from "../../../shared/contract";
import type { ThreadlineBridge } from "../../../shared/bridge";
import { ThreadlineError } from "../../../shared/errors";
import { httpTransport, type Transport } from "../../../shared/http-client";

declare global {
  interface Window {
    threadline?: ThreadlineBridge;
  }
}

export function isElectron(): boolean {
  return navigator.userAgent.includes("Electron") || location.protocol === "file:";
}

export type { Transport };

export function bridgeTransport(bridge: ThreadlineBridge): Transport {
  return {
    kind: "electron",
    async invoke(name, args) {
      const call = isUiCall(name) ? bridge.calls[name] : undefined;
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

export type TransportResult = { ok: true; transport: Transport; client: UiClient } | { ok: false; message: string };

export function connect(): TransportResult {
  if (isElectron()) {
    if (!window.threadline) {
      return { ok: false, message: "Threadline's desktop bridge (window.threadline) is missing: the preload script did not load. Restart the app; if it persists, reinstall it." };
    }
    const transport = bridgeTransport(window.threadline);
    return { ok: true, transport, client: createClient(transport.invoke, UI_CALL_NAMES) };
  }
  const token = pageToken();
  if (!token) {
    return { ok: false, message: "This page needs the token that `threadline serve` printed: open the full URL it shows (…/?token=…)." };
  }
  const transport = httpTransport(location.origin, token);
  return { ok: true, transport, client: createClient(transport.invoke, UI_CALL_NAMES) };
}
