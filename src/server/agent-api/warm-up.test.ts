// The adapter's half of the warm-up: it asks the engine for the synthetic page as a stream and reads
// it through the same body a real page goes out as, to its end.
import type { CallName } from "../../shared/contract";
import { warmUpHistory } from "./history";

describe("the adapter's history warm-up", () => {
  it("streams the engine's synthetic page to its end, and keeps nothing", async () => {
    const asked: CallName[] = [];
    let delivered = 0;
    const engine = {
      invoke: () => Promise.reject(new Error("not expected")),
      onEvent: () => () => undefined,
      async stream(name: CallName, _args: unknown, partial: (value: unknown) => void) {
        asked.push(name);
        for (const n of [1, 2, 3]) {
          partial({ states: [{ checkpointNs: "", checkpointId: `c${n}`, json: `{"n":${n}}`, revision: null }] });
          delivered++;
        }
        return { states: [] };
      },
    };
    await warmUpHistory(engine);
    expect(asked).toEqual(["history.warmUp"]);
    expect(delivered).toBe(3);
  });

  it("does nothing for an engine that cannot stream", async () => {
    const engine = { invoke: () => Promise.reject(new Error("not expected")), onEvent: () => () => undefined };
    await expect(warmUpHistory(engine)).resolves.toBeUndefined();
  });
});
