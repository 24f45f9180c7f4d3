import { describe, expect, it } from "vitest";
import { HistoryCache, joinedBytes, jsonArrayBytes, type CachedState } from "./history-cache";

const state = (checkpointId: string, revision: string | null = `r-${checkpointId}`, text = checkpointId): CachedState => ({
  checkpointNs: "",
  checkpointId,
  json: JSON.stringify({ values: { text } }),
  revision,
});
const item = (checkpointId: string, revision: string | null = `r-${checkpointId}`) => ({ checkpointId, revision });

describe("HistoryCache", () => {
  it("answers each state while its checkpoint's revision is the one it was read at", () => {
    const cache = new HistoryCache();
    cache.put("t", [state("c2"), state("c1")]);
    expect(cache.lookup("t", "", [item("c2"), item("c1")])).toEqual([state("c2").json, state("c1").json]);
    // A write to c1 (a resumed task, say) gives it a new revision: only c1 must be read again.
    expect(cache.lookup("t", "", [item("c3"), item("c2"), item("c1", "r-c1-later")])).toEqual([undefined, state("c2").json, undefined]);
    cache.put("t", [state("c1", "r-c1-later", "newer")]);
    expect(cache.lookup("t", "", [item("c1", "r-c1-later")])).toEqual([state("c1", "r-c1-later", "newer").json]);
    // Another namespace, another thread, an unknown revision: misses.
    expect(cache.lookup("t", "sub:1", [item("c2")])).toEqual([undefined]);
    expect(cache.lookup("u", "", [item("c2")])).toEqual([undefined]);
    expect(cache.lookup("t", "", [item("c2", null)])).toEqual([undefined]);
  });

  it("keeps nothing without a revision, and forgets on a worker restart or a deleted thread", () => {
    const cache = new HistoryCache();
    cache.put("t", [state("c1", null)]);
    expect(cache.bytes).toBe(0);
    cache.put("t", [state("c1")]);
    cache.put("u", [state("c9")]);
    cache.forget("t");
    expect(cache.lookup("t", "", [item("c1")])).toEqual([undefined]);
    expect(cache.lookup("u", "", [item("c9")])).toEqual([state("c9").json]);
    cache.accept({ type: "threads.changed", threadIds: ["u"], source: "engine", at: "" });
    expect(cache.lookup("u", "", [item("c9")])).toEqual([state("c9").json]);
    cache.accept({ type: "worker.restarted", reason: "project edited", at: "" });
    expect(cache.lookup("u", "", [item("c9")])).toEqual([undefined]);
    expect(cache.bytes).toBe(0);
  });

  it("drops the least recently used threads beyond its size, never the one just written", () => {
    const one = state("c1").json.length;
    const cache = new HistoryCache(one * 2);
    cache.put("a", [state("c1")]);
    cache.put("b", [state("c1")]);
    cache.lookup("a", "", [item("c1")]);
    cache.put("c", [state("c1")]);
    expect(cache.lookup("b", "", [item("c1")])).toEqual([undefined]);
    expect(cache.lookup("a", "", [item("c1")])).toEqual([state("c1").json]);
    expect(cache.lookup("c", "", [item("c1")])).toEqual([state("c1").json]);
    expect(cache.bytes).toBe(one * 2);
  });

  it("writes a response body of cached texts as one JSON array", () => {
    const texts = [state("c2").json, '{"ü":"\u2028"}', state("c1").json];
    expect(JSON.parse(jsonArrayBytes(texts).toString("utf8"))).toEqual(texts.map((t) => JSON.parse(t) as unknown));
    expect(jsonArrayBytes([]).toString()).toBe("[]");
    // A streamed body's pieces: the opening bracket or a comma, then the states.
    expect(joinedBytes(",", texts, "").toString("utf8")).toBe(`,${texts.join(",")}`);
  });
});
