import { MAX_NESTING_DEPTH } from "../../shared/nesting";
import { openTestEngine, rejection, type TestEngine } from "../../../test/support/engine";

let engine: TestEngine;
beforeEach(() => {
  engine = openTestEngine();
});
afterEach(async () => {
  await engine.close();
});

/** The reproduction's value: arrays nested 2,500 deep. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function depthOf(value: unknown): number {
  let depth = 0;
  while (Array.isArray(value)) {
    depth++;
    value = value[0];
  }
  return depth;
}

describe("over-deep metadata", () => {
  it("is refused as INVALID_ARGUMENT naming the limit, and nothing is written", async () => {
    const error = await rejection(engine.client.threads.create({ threadId: "deep", metadata: { v: nested(2_500) } as never }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
    const written = engine.checkpointer.db.prepare("SELECT count(*) AS n FROM tl_thread_meta").get() as { n: number };
    expect(written.n).toBe(0);
    expect(await engine.client.threads.search({})).toEqual([]);
  });

  it("at the limit is kept whole", async () => {
    // metadata object (1) + its array levels
    const created = await engine.client.threads.create({ threadId: "ok", metadata: { v: nested(MAX_NESTING_DEPTH - 1) } as never });
    expect(depthOf(created.metadata.v)).toBe(MAX_NESTING_DEPTH - 1);
  });

  it("already stored (before the limit, or by another program) does not break the listing", async () => {
    await engine.client.threads.create({ threadId: "fine", metadata: { user: "ada" } });
    const deep = `{"v":${"[".repeat(2_500)}1${"]".repeat(2_500)}}`;
    engine.checkpointer.db
      .prepare("INSERT INTO tl_thread_meta (thread_id, created_at, updated_at, metadata) VALUES ('deep', ?, ?, ?)")
      .run("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", deep);
    engine.checkpointer.db
      .prepare("INSERT INTO tl_thread_meta (thread_id, created_at, updated_at, metadata) VALUES ('garbled', ?, ?, ?)")
      .run("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "{not json");
    const listed = await engine.client.threads.search({});
    expect(listed.map((t) => t.threadId).sort()).toEqual(["deep", "fine", "garbled"]);
    const shown = listed.find((t) => t.threadId === "deep")!.metadata.v;
    // Cut at the limit (the metadata object is level 1), with a string saying why.
    expect(depthOf(shown)).toBe(MAX_NESTING_DEPTH - 1);
    expect(JSON.stringify(shown)).toContain("not shown");
    expect(listed.find((t) => t.threadId === "garbled")!.metadata).toEqual({});
    expect((await engine.client.threads.get({ threadId: "deep" })).threadId).toBe("deep");
  });
});
