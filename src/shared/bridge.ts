// The shape of `window.threadline` in the desktop app, derived from the contract: one named function
// per call (never a generic invoke or ipcRenderer) and one to subscribe to events. Calls resolve to an
// outcome rather than rejecting, because an Error thrown across contextBridge loses its code.
import { UI_CALL_NAMES, type CallOutcome, type UiCallName } from "./contract";
import type { EventListener, Unsubscribe } from "./events";

export interface ThreadlineBridge {
  /** Every call the UI makes; the Agent Server adapter's own calls are not here. */
  calls: { readonly [N in UiCallName]: (args: unknown) => Promise<CallOutcome> };
  onEvent(listener: EventListener): Unsubscribe;
  /** Desktop-only: the File menu's actions, for the renderer's empty states. */
  readonly platform: "electron";
}

/** IPC channel of one call; main registers exactly these. */
export const ipcChannel = (name: UiCallName) => `threadline:call:${name}`;
export const IPC_EVENT_CHANNEL = "threadline:event";
export const IPC_CHANNELS = UI_CALL_NAMES.map(ipcChannel);
