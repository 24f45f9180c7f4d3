// The shape of `window.threadline` in the desktop app, derived from the contract: one named function
// per call (never a generic invoke or ipcRenderer) and one to subscribe to events. Calls resolve to an
// outcome rather than rejecting, because an Error thrown across contextBridge loses its code.
import { CALL_NAMES, type CallName } from "./contract";
import type { WireError } from "./errors";
import type { EventListener, Unsubscribe } from "./events";

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

export interface ThreadlineBridge {
  calls: { readonly [N in CallName]: (args: unknown) => Promise<CallOutcome> };
  onEvent(listener: EventListener): Unsubscribe;
  /** Desktop-only: the File menu's actions, for the renderer's empty states. */
  readonly platform: "electron";
}

/** IPC channel of one call; main registers exactly these. */
export const ipcChannel = (name: CallName) => `threadline:call:${name}`;
export const IPC_EVENT_CHANNEL = "threadline:event";
export const IPC_CHANNELS = CALL_NAMES.map(ipcChannel);
