import { expect, it, vi } from "vitest";
import type { UiClient } from "../../../shared/contract";
import type { ThreadInfo } from "../../../shared/types";
import { setEngine } from "../api/engine";
import type { Transport } from "../api/transport";

// The UI store reads the page's saved preferences and colour scheme when it loads: Node has neither.
const saved = new Map<string, string>();
vi.stubGlobal("localStorage", { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) });
vi.stubGlobal("matchMedia", () => ({ matches: false }));
const { refreshCurrent, useThreads } = await import("./threads");

it("shows the open thread's latest status when an older re-read answers last", async () => {
  const held: (() => void)[] = [];
  let status: ThreadInfo["status"] = "busy";
  const client = {
    threads: {
      // The thread as it is when asked for; answered when the test releases it.
      get: ({ threadId }: { threadId: string }) => {
        const thread = { threadId, status } as ThreadInfo;
        return new Promise<ThreadInfo>((resolve) => held.push(() => resolve(thread)));
      },
    },
  } as unknown as UiClient;
  setEngine(client, {} as Transport);
  useThreads.setState({ selectedId: "t1", items: [] });
  const older = refreshCurrent("t1");
  status = "idle";
  const newer = refreshCurrent("t1");
  held[1]!();
  await newer;
  expect(useThreads.getState().current?.status).toBe("idle");
  held[0]!();
  await older;
  expect(useThreads.getState().current?.status).toBe("idle");
});
