// The preload's bridge, without Electron: exactly one named function per contract call.
import { UI_CALL_NAMES } from "../shared/contract";
import { ipcChannel } from "../shared/bridge";
import { buildBridge } from "./index";

vi.mock("electron", () => ({ contextBridge: { exposeInMainWorld: vi.fn() }, ipcRenderer: {} }));

describe("the preload bridge", () => {
  it("exposes one named function per call and an event subscription, never ipcRenderer", async () => {
    const invoked: unknown[] = [];
    const bridge = buildBridge({
      invoke: (async (channel: string, args: unknown) => (invoked.push([channel, args]), { ok: true, result: 1 })) as never,
      on: (() => undefined) as never,
      removeListener: (() => undefined) as never,
    });
    expect(Object.keys(bridge.calls).sort()).toEqual([...UI_CALL_NAMES].sort());
    expect(Object.keys(bridge).sort()).toEqual(["calls", "onEvent", "platform"]);
    expect(await bridge.calls["threads.get"]({ threadId: "t" })).toEqual({ ok: true, result: 1 });
    expect(invoked).toEqual([[ipcChannel("threads.get"), { threadId: "t" }]]);
  });
});
