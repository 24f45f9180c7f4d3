// The desktop app's bridge: `window.threadline` with one named function per call the UI makes and an
// event subscription. ipcRenderer itself never reaches the page. Bundled into one CommonJS file,
// since a sandboxed preload can load neither ES modules nor npm packages.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { UI_CALL_NAMES, type CallOutcome, type UiCallName } from "../shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannel, type ThreadlineBridge } from "../shared/bridge";
import type { EngineEvent, EventListener } from "../shared/events";

export function buildBridge(renderer: Pick<typeof ipcRenderer, "invoke" | "on" | "removeListener">): ThreadlineBridge {
  const calls = {} as Record<UiCallName, (args: unknown) => Promise<CallOutcome>>;
  for (const name of UI_CALL_NAMES) {
    const channel = ipcChannel(name);
    calls[name] = (args: unknown) => renderer.invoke(channel, args) as Promise<CallOutcome>;
  }
  return {
    calls: Object.freeze(calls),
    onEvent(listener: EventListener) {
      const handler = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
      renderer.on(IPC_EVENT_CHANNEL, handler);
      return () => void renderer.removeListener(IPC_EVENT_CHANNEL, handler);
    },
    platform: "electron",
  };
}

if (process.contextIsolated) contextBridge.exposeInMainWorld("threadline", buildBridge(ipcRenderer));
