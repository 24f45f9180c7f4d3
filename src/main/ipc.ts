// Main's side of the contract: one ipcMain handler per call the UI makes (the preload bridge's), each checking that
// the sender is one of our own windows showing our own page before the call reaches the engine.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { UI_CALL_NAMES, parseArgs, type CallOutcome } from "../shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannel } from "../shared/bridge";
import { ThreadlineError } from "../shared/errors";
import type { EngineEvent, EventListener, Unsubscribe } from "../shared/events";

export interface EngineForIpc {
  callRaw(name: string, args: unknown): Promise<CallOutcome>;
  onEvent(listener: EventListener): Unsubscribe;
}

/** True when the frame that sent an IPC message is the top frame of a Threadline window showing our page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function trustedSender(isOurWindow: (contents: WebContents) => boolean, isOurPage: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return !!frame && frame.parent === null && isOurWindow(event.sender) && isOurPage(frame.url);
  };
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, "handle" | "removeHandler">, engine: () => EngineForIpc, isTrusted: SenderCheck): () => void {
  for (const name of UI_CALL_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, raw: unknown): Promise<CallOutcome> => {
      if (!isTrusted(event)) {
        return { ok: false, error: { code: "INVALID_ARGUMENT", message: "IPC call refused: it did not come from a Threadline window" } };
      }
      try {
        // Validated here as well as in the worker, so that garbage never crosses the thread boundary.
        return await engine().callRaw(name, parseArgs(name, raw));
      } catch (error) {
        return { ok: false, error: ThreadlineError.from(error).toWire() };
      }
    });
  }
  return () => UI_CALL_NAMES.forEach((name) => ipcMain.removeHandler(ipcChannel(name)));
}

/** Pushes every engine event to every live window. */
export function forwardEvents(engine: EngineForIpc, windows: () => Iterable<{ webContents: Pick<WebContents, "send" | "isDestroyed"> }>): Unsubscribe {
  return engine.onEvent((event: EngineEvent) => {
    for (const win of windows()) if (!win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
}
