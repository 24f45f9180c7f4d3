// Main-process wiring, tested without Electron: the window's options, navigation lock, the IPC
// handlers and their sender check. Which channels main handles is checked against the checked-in
// surface (test/ipc-surface).
import type { CallOutcome } from "../shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannel } from "../shared/bridge";
import type { EngineEvent } from "../shared/events";
import { forwardEvents, registerIpcHandlers, trustedSender, type EngineForIpc } from "./ipc";
import { parseLaunchArgs } from "./options";
import { lockNavigation, windowOptions } from "./window";

type Handler = (event: any, args: unknown) => Promise<CallOutcome>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

function recordingEngine() {
  const calls: { name: string; args: unknown }[] = [];
  const listeners = new Set<(e: EngineEvent) => void>();
  const engine: EngineForIpc = {
    async callRaw(name, args) {
      calls.push({ name, args });
      return { ok: true, result: { echoed: name } };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { engine, calls, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

const ourWindow = { id: "ours" };
const ourUrl = "file:///app/out/renderer/index.html";
const senderEvent = (over: Partial<{ sender: unknown; url: string; parent: unknown }> = {}) => ({
  sender: over.sender ?? ourWindow,
  senderFrame: { url: over.url ?? ourUrl, parent: over.parent ?? null },
});
const check = trustedSender((c) => c === (ourWindow as never), (url) => url.startsWith("file:///app/out/renderer/"));

describe("the window", () => {
  it("is isolated, sandboxed and without Node", () => {
    const prefs = windowOptions("/app/preload.cjs").webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: "/app/preload.cjs" });
  });

  it("denies window.open and navigation away from its page", () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: (() => { action: string }) | undefined;
    lockNavigation(
      { on: ((name: string, fn: never) => listeners.set(name, fn)) as never, setWindowOpenHandler: ((fn: never) => (openHandler = fn)) as never },
      (url) => url === ourUrl,
    );
    expect(openHandler?.()).toEqual({ action: "deny" });
    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      listeners.get("will-navigate")!(event, url);
      return event.prevented;
    };
    expect(navigate("https://evil.example/")).toBe(true);
    expect(navigate(ourUrl)).toBe(false);
  });
});

describe("IPC handlers", () => {
  it("routes a trusted call to the engine with validated arguments", async () => {
    const ipc = fakeIpcMain();
    const { engine, calls } = recordingEngine();
    registerIpcHandlers(ipc, () => engine, check);
    const outcome = await ipc.handlers.get(ipcChannel("threads.search"))!(senderEvent(), { limit: 5 });
    expect(outcome).toEqual({ ok: true, result: { echoed: "threads.search" } });
    expect(calls[0]).toEqual({ name: "threads.search", args: { limit: 5, offset: 0 } });
  });

  it("refuses senders that are not our top frame on our page, before reaching the engine", async () => {
    const ipc = fakeIpcMain();
    const { engine, calls } = recordingEngine();
    registerIpcHandlers(ipc, () => engine, check);
    const handler = ipc.handlers.get(ipcChannel("threads.get"))!;
    for (const event of [senderEvent({ sender: { id: "other" } }), senderEvent({ url: "https://evil.example/" }), senderEvent({ parent: {} })]) {
      const outcome = await handler(event, { threadId: "t" });
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error.message).toMatch(/did not come from a Threadline window/);
    }
    expect(calls).toHaveLength(0);
  });

  it("answers invalid arguments with INVALID_ARGUMENT naming the field", async () => {
    const ipc = fakeIpcMain();
    const { engine, calls } = recordingEngine();
    registerIpcHandlers(ipc, () => engine, check);
    const outcome = await ipc.handlers.get(ipcChannel("threads.get"))!(senderEvent(), { threadId: 42 });
    expect(outcome).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT", message: expect.stringMatching(/threadId/) } });
    expect(calls).toHaveLength(0);
  });

  it("forwards engine events to live windows only", () => {
    const { engine, emit } = recordingEngine();
    const sent: unknown[] = [];
    const live = { webContents: { isDestroyed: () => false, send: (channel: string, e: unknown) => sent.push([channel, e]) } };
    const dead = { webContents: { isDestroyed: () => true, send: () => { throw new Error("sent to a destroyed window"); } } };
    forwardEvents(engine, () => [live, dead]);
    const event: EngineEvent = { type: "worker.restarted", reason: "test", at: "now" };
    emit(event);
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, event]]);
  });
});

describe("launch flags", () => {
  it("reads --db and --project in both spellings, relative to the working directory", () => {
    expect(parseLaunchArgs(["--db", "a.db", "--project=proj"], "/home/u")).toEqual({ dbFile: "/home/u/a.db", projectDir: "/home/u/proj" });
    expect(parseLaunchArgs([], "/x")).toEqual({ dbFile: null, projectDir: null });
    expect(parseLaunchArgs(["--project", "p", "--examples"], "/x")).toEqual({ dbFile: null, projectDir: "/x/p", examples: true });
  });
});
