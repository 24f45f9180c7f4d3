// The desktop app's IPC surface — every call main handles and the preload exposes, the channel it
// travels on, the JSON schema of its argument and its facts — against the copy checked in beside
// this test. A call added, removed or changed fails here until the snapshot is regenerated on
// purpose (`npm run surface:update`), so a change to what the renderer can reach is always a
// reviewed diff. Main's handlers and the preload's functions are read from the real wiring code,
// each on its own, not from the contract's list of names.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CALLS, isCallName, type CallName } from "../../src/shared/contract";
import { registerIpcHandlers } from "../../src/main/ipc";
import { buildBridge } from "../../src/preload/index";

vi.mock("electron", () => ({ contextBridge: { exposeInMainWorld: vi.fn() }, ipcRenderer: {} }));

const SNAPSHOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "ipc-surface.json");

/** The channels main registers a handler on. */
function mainChannels(): string[] {
  const channels: string[] = [];
  registerIpcHandlers({ handle: (channel: string) => void channels.push(channel), removeHandler: () => undefined }, () => {
    throw new Error("not called");
  }, () => false);
  return channels.sort();
}

/** The preload's functions, each with the channel it actually invokes. */
async function preloadCalls(): Promise<{ name: string; channel: string }[]> {
  let channel = "";
  const bridge = buildBridge({
    invoke: (async (c: string) => ((channel = c), { ok: true, result: null })) as never,
    on: (() => undefined) as never,
    removeListener: (() => undefined) as never,
  });
  const calls: { name: string; channel: string }[] = [];
  for (const [name, fn] of Object.entries(bridge.calls)) {
    await fn({});
    calls.push({ name, channel });
  }
  return calls.sort((a, b) => a.name.localeCompare(b.name));
}

function argsSchema(name: CallName): unknown {
  const schema = z.toJSONSchema(CALLS[name].args, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

async function surface() {
  const calls = await preloadCalls();
  return {
    calls: Object.fromEntries(
      calls.map(({ name, channel }) => {
        if (!isCallName(name)) throw new Error(`the preload exposes ${name}, which is not a call of the contract`);
        return [name, { channel, facts: CALLS[name].facts, args: argsSchema(name) }];
      }),
    ),
    /** Calls of the contract the desktop surface leaves out (the Agent Server adapter's own). */
    notExposed: Object.keys(CALLS)
      .filter((name) => !calls.some((c) => c.name === name))
      .sort(),
  };
}

describe("the IPC surface", () => {
  it("is what main handles and what the preload exposes, one channel per call", async () => {
    expect(mainChannels()).toEqual((await preloadCalls()).map((c) => c.channel).sort());
  });

  it("matches the checked-in snapshot (npm run surface:update regenerates it)", async () => {
    const text = `${JSON.stringify(await surface(), null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOT === "1") {
      writeFileSync(SNAPSHOT, text);
      return;
    }
    expect(existsSync(SNAPSHOT), `${SNAPSHOT} is missing: run npm run surface:update`).toBe(true);
    expect(JSON.parse(text), "the IPC surface changed: check the change, then run npm run surface:update").toEqual(
      JSON.parse(readFileSync(SNAPSHOT, "utf8")),
    );
  });
});
