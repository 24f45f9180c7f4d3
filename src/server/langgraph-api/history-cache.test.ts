import { describe, expect, it } from "vitest";
import { cachedState, HistoryCache } from "./history-cache";
import type { ApiThreadState } from "./shapes";

const state = (threadId: string, checkpointId: string) => cachedState(apiState(threadId, checkpointId))!;
const apiState = (threadId: string, checkpointId: string): ApiThreadState => ({
  values: { id: checkpointId },
  next: [],
  tasks: [],
  metadata: null,
  created_at: null,
  checkpoint: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: checkpointId, checkpoint_map: null },
  parent_checkpoint: null,
});

describe("HistoryCache", () => {
  it("answers a page only when every state of it is cached", () => {
    const cache = new HistoryCache();
    cache.put("t", [state("t", "c2"), state("t", "c1")], cache.generation("t"));
    expect(cache.get("t", "", ["c2", "c1"])?.map((json) => (JSON.parse(json) as ApiThreadState).checkpoint?.checkpoint_id)).toEqual([
      "c2",
      "c1",
    ]);
    expect(cache.get("t", "", ["c3", "c2"])).toBeUndefined();
    expect(cache.get("t", "sub", ["c2"])).toBeUndefined();
  });

  it("forgets a thread on its run events and on threads.changed, and everything when another process wrote", () => {
    const cache = new HistoryCache();
    cache.put("a", [state("a", "c1")], cache.generation("a"));
    cache.put("b", [state("b", "c1")], cache.generation("b"));
    cache.accept({ type: "custom", runId: "r", threadId: "a", seq: 1, at: "", node: null, data: null, namespace: [] });
    expect(cache.get("a", "", ["c1"])).toBeUndefined();
    expect(cache.get("b", "", ["c1"])).toBeDefined();
    cache.accept({ type: "threads.changed", threadIds: null, source: "external", at: "" });
    expect(cache.get("b", "", ["c1"])).toBeUndefined();
  });

  it("does not keep states read before a write that happened meanwhile", () => {
    const cache = new HistoryCache();
    const before = cache.generation("t");
    cache.accept({ type: "threads.changed", threadIds: ["t"], source: "engine", at: "" });
    cache.put("t", [state("t", "c1")], before);
    expect(cache.get("t", "", ["c1"])).toBeUndefined();
  });

  it("drops the least recently used threads beyond its size", () => {
    const cache = new HistoryCache(2 * state("a", "c1").json.length);
    cache.put("a", [state("a", "c1")], cache.generation("a"));
    cache.put("b", [state("b", "c1")], cache.generation("b"));
    cache.get("a", "", ["c1"]);
    cache.put("c", [state("c", "c1")], cache.generation("c"));
    expect(cache.get("b", "", ["c1"])).toBeUndefined();
    expect(cache.get("a", "", ["c1"])).toBeDefined();
    expect(cache.get("c", "", ["c1"])).toBeDefined();
  });
});

describe("HistoryCache pages", () => {
  it("remembers which checkpoints a page holds until the thread is written", () => {
    const cache = new HistoryCache();
    cache.putPage("t", "p", ["c2", "c1"], cache.generation("t"));
    expect(cache.page("t", "p")).toEqual(["c2", "c1"]);
    cache.forget("t");
    expect(cache.page("t", "p")).toBeUndefined();
  });
});
