// The preload's bridge, without Electron: named functions that each invoke their own channel. Which
// calls it exposes is checked against the checked-in surface (test/ipc-surface).
import { ipcChannel } from "../shared/bridge";
import { buildBridge } from "./index";

vi.mock("electron", () => ({ contextBridge: { exposeInMainWorld: vi.fn() }, ipcRenderer: {} }));

describe("the preload bridge", () => {
  it("exposes named functions and an event subscription, never ipcRenderer", async () => {
    const invoked: unknown[] = [];
    const bridge = buildBridge({
      invoke: (async (channel: string, args: unknown) => (invoked.push([channel, args]), { ok: true, result: 1 })) as never,
      on: (() => undefined) as never,
      removeListener: (() => undefined) as never,
    });
    expect(Object.keys(bridge).sort()).toEqual(["calls", "onEvent", "platform"]);
    expect(await bridge.calls["threads.get"]({ threadId: "t" })).toEqual({ ok: true, result: 1 });
    expect(invoked).toEqual([[ipcChannel("threads.get"), { threadId: "t" }]]);
  });
});
