import { describe, expect, it } from "vitest";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { apiStateText } from "../../shared/agent-api/state";
import { ApiValueMemo, liveApiJson, type LiveJsonMemo } from "../../shared/agent-api/values";
import type { EncodeMemo } from "../../shared/encoding";
import { fromGraphSnapshot, type GraphStateSnapshot } from "../threads/snapshot";
import { liveStateText } from "./live-state";

const config = (id: string, ns = "") => ({ configurable: { thread_id: "t", checkpoint_ns: ns, checkpoint_id: id } });
const ai = new AIMessage({ id: "a1", content: "Let me look.", tool_calls: [{ id: "c1", name: "weather", args: { city: "Paris" } }] });
const tool = new ToolMessage({ id: "t1", content: "18°C", tool_call_id: "c1" });

function snapshot(overrides: Partial<GraphStateSnapshot> = {}): GraphStateSnapshot {
  return {
    values: { messages: [ai, tool] },
    next: ["agent"],
    config: config("c2"),
    parentConfig: config("c1"),
    createdAt: "2026-01-02T03:04:05.000Z",
    metadata: { source: "loop", step: 3, parents: {}, run_id: "r", graph_id: "react-agent", writes: { tools: { messages: [tool] } } },
    tasks: [{ id: "task-1", name: "agent", interrupts: [], path: ["__pregel_pull", "agent"], result: { messages: [ai] } }],
    ...overrides,
  };
}

/** What apiStates writes without liveStateText (the long way), with the values written live. */
function longWay(state: GraphStateSnapshot): string | undefined {
  const values = liveApiJson(state.values, new WeakMap())!;
  const encodeMemo: EncodeMemo = new WeakMap();
  return apiStateText(fromGraphSnapshot({ ...state, values: {} }, [], undefined, encodeMemo), "t", new ApiValueMemo(), values, "r1")?.json;
}

function live(state: GraphStateSnapshot): string | undefined {
  const memo: LiveJsonMemo = new WeakMap();
  return liveStateText(state, "t", memo, liveApiJson(state.values, memo)!, "r1")?.json;
}

describe("liveStateText", () => {
  it("writes the long way's JSON byte for byte", () => {
    const cases: GraphStateSnapshot[] = [
      snapshot(),
      // No metadata at all, no parent, no tasks.
      snapshot({ metadata: undefined, parentConfig: undefined, tasks: [], next: [] }),
      // Metadata keys in an unusual order, numeric keys (which objects list first), dropped values, odd types.
      snapshot({ metadata: { "2": "two", step: "x", writes: null, source: 7, when: new Date(0), gone: undefined, parents: { "": "c0", bad: 1 } } }),
      snapshot({ metadata: { step: 1, source: "input", writes: { __start__: { messages: [{ role: "user", content: "hi" }] } } } }),
      // A task of a subgraph node (its state is the subgraph's config), a task without result, a null result.
      snapshot({
        tasks: [
          { id: "s", name: "sub", interrupts: [], path: ["__pregel_pull", "sub"], state: { configurable: { thread_id: "t", checkpoint_ns: "sub:s" } } },
          { id: "n", name: "tools", interrupts: [] },
          { id: "z", name: "zero", interrupts: [], result: null, path: undefined },
        ],
      }),
    ];
    for (const state of cases) {
      const text = live(state);
      expect(text).toBeDefined();
      expect(text).toBe(longWay(state));
    }
  });

  it("leaves errors, interrupts, subgraph states and what liveApiJson cannot write to the long way", () => {
    const leftOut: GraphStateSnapshot[] = [
      snapshot({ tasks: [{ id: "e", name: "agent", interrupts: [], error: new Error("boom") }] }),
      snapshot({ tasks: [{ id: "i", name: "human", interrupts: [{ value: "ok?", id: "x" }] }] }),
      snapshot({ tasks: [{ id: "s", name: "sub", interrupts: [], state: snapshot() }] }),
      snapshot({ tasks: [{ id: "m", name: "agent", interrupts: [], result: { seen: new Map([["a", 1]]) } }] }),
      snapshot({ metadata: { source: "loop", step: 1, extra: new Set([1]) } }),
      snapshot({ config: {} }),
    ];
    for (const state of leftOut) expect(live(state)).toBeUndefined();
  });
});
