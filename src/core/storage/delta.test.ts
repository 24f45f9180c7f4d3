import { JsonPlusSerializer, type CheckpointTuple } from "@langchain/langgraph-checkpoint";
import { BLOB_DELTA, BLOB_WHOLE, KEYFRAME_INTERVAL, WalkCache } from "./delta";
import { SqliteCheckpointer } from "./index";
import { type Put, collect, putStep, threadRoot } from "./test-helpers";

interface Message {
  id: number;
  text: string;
}

const message = (id: number): Message => ({ id, text: `message ${id} `.repeat(1 + (id % 7)) });

/** Appends one message per step, and every `rewriteEvery` steps drops the first one (not an append). */
async function appendingThread(saver: SqliteCheckpointer, threadId: string, steps: number, rewriteEvery = 97): Promise<Put[]> {
  const puts: Put[] = [];
  let messages: Message[] = [];
  let parent = threadRoot(threadId);
  for (let i = 0; i < steps; i++) {
    messages = i % rewriteEvery === rewriteEvery - 1 ? messages.slice(1) : messages.concat([message(i)]);
    const put = await putStep(saver, parent, { changes: { messages, count: i }, nodes: ["agent"] });
    puts.push(put);
    parent = put;
  }
  return puts;
}

function rowsOf(saver: SqliteCheckpointer, threadId: string): Record<string, number> {
  saver.flushWrites();
  const counts: Record<string, number> = {};
  for (const table of ["tl_checkpoints", "tl_blobs", "tl_writes", "tl_threads"]) {
    counts[table] = (saver.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE thread_id = ?`).get(threadId) as { n: number }).n;
  }
  return counts;
}

/** Rows a read of the newest `messages` version walks. */
function chainLength(saver: SqliteCheckpointer, threadId: string, version: unknown): number {
  const select = saver.db.prepare("SELECT kind, base_version FROM tl_blobs WHERE thread_id = ? AND channel = 'messages' AND version = ?");
  let length = 0;
  let next = version;
  while (next !== null) {
    const row = select.get(threadId, next) as { kind: number; base_version: unknown };
    length++;
    next = row.kind === BLOB_DELTA ? row.base_version : null;
  }
  return length;
}

describe("append-delta storage", () => {
  let saver: SqliteCheckpointer;
  beforeEach(() => {
    saver = new SqliteCheckpointer(":memory:");
  });
  afterEach(() => saver.close());

  it("reads back every checkpoint of a long appending thread exactly", async () => {
    const puts = await appendingThread(saver, "long", 400);
    for (const put of puts) {
      expect((await saver.getTuple(put.config))?.checkpoint).toEqual(put.checkpoint);
    }
    const listed = await collect(saver.list({ configurable: { thread_id: "long" } }));
    expect(listed.map((t) => t.checkpoint)).toEqual(puts.map((p) => p.checkpoint).reverse());

    const kinds = saver.db.prepare("SELECT kind, count(*) AS n FROM tl_blobs WHERE channel = 'messages' GROUP BY kind").all() as { kind: number; n: number }[];
    const whole = kinds.find((k) => k.kind === BLOB_WHOLE)!.n;
    const deltas = kinds.find((k) => k.kind === BLOB_DELTA)!.n;
    // Mostly deltas; snapshots only geometrically often (plus one after each rewrite).
    expect(deltas).toBeGreaterThan(350);
    expect(whole).toBeLessThan(30);
    for (const put of puts) {
      const depthBound = 400 / KEYFRAME_INTERVAL + KEYFRAME_INTERVAL + 1;
      expect(chainLength(saver, "long", put.checkpoint.channel_versions.messages)).toBeLessThanOrEqual(depthBound);
    }
  });

  it("keeps storage close to linear in the number of steps", async () => {
    const bytes = (threadId: string) =>
      (saver.db.prepare("SELECT sum(length(value)) AS n FROM tl_blobs WHERE thread_id = ? AND channel = 'messages'").get(threadId) as { n: number }).n;
    const rawBytes = (steps: number) => JSON.stringify(Array.from({ length: steps }, (_, i) => message(i))).length;
    await appendingThread(saver, "short", 150, Infinity);
    await appendingThread(saver, "longer", 600, Infinity);
    // Deltas, keyframes (as much again) and snapshots at doubling sizes (at most twice the data):
    // a constant times the data, where whole copies would be steps^2 / 2 times a message.
    expect(bytes("short")).toBeLessThan(4.5 * rawBytes(150));
    expect(bytes("longer")).toBeLessThan(4.5 * rawBytes(600));
    // Four times the steps (4.3 times the data): about four times the bytes, not sixteen.
    expect(bytes("longer") / bytes("short")).toBeLessThan(5.5);
  });

  it("reads branches forked from the middle of a delta chain exactly", async () => {
    const trunk = await appendingThread(saver, "t", 60);
    const forkPoint = trunk[37]!;
    const base = forkPoint.checkpoint.channel_values.messages as Message[];

    const branches: Put[][] = [];
    for (const label of ["left", "right"]) {
      const branch: Put[] = [];
      let parent: Put = forkPoint;
      let messages = base;
      for (let i = 0; i < 40; i++) {
        messages = messages.concat([{ id: 1000 + i, text: `${label} ${i}` }]);
        parent = await putStep(saver, parent, { changes: { messages }, nodes: [label] });
        branch.push(parent);
      }
      branches.push(branch);
    }
    // The trunk goes on after the forks, from its own head.
    const more = await putStep(saver, trunk.at(-1)!, { changes: { messages: (trunk.at(-1)!.checkpoint.channel_values.messages as Message[]).concat([message(-1)]) } });

    for (const put of [...trunk, ...branches.flat(), more]) {
      expect((await saver.getTuple(put.config))?.checkpoint.channel_values).toEqual(put.checkpoint.channel_values);
    }
  });

  it("is exact when a branch forks from the version before the head, which the tracker still extends", async () => {
    // The tracker keeps a chain's two newest versions and extends one copy of the list along the
    // chain: a fork from the older one must not see the head's elements.
    const trunk = await appendingThread(saver, "f", 20, Infinity);
    const forkPoint = trunk.at(-2)!;
    let fork = forkPoint;
    let head = trunk.at(-1)!;
    const puts: Put[] = [];
    for (let i = 0; i < 6; i++) {
      const forkMessages = fork.checkpoint.channel_values.messages as Message[];
      fork = await putStep(saver, fork, { changes: { messages: forkMessages.concat([{ id: 500 + i, text: `fork ${i}` }]) } });
      const headMessages = head.checkpoint.channel_values.messages as Message[];
      head = await putStep(saver, head, { changes: { messages: headMessages.concat([message(100 + i)]) } });
      puts.push(fork, head);
    }
    // The fork's first steps extend their parents and are stored as deltas: its first from the
    // older version, its second from the tracker's copy of its first.
    const kindOf = saver.db.prepare("SELECT kind FROM tl_blobs WHERE thread_id = 'f' AND channel = 'messages' AND version = ?");
    const forkKinds = [puts[0]!, puts[2]!].map((put) => (kindOf.get(put.checkpoint.channel_versions.messages) as { kind: number }).kind);
    expect(forkKinds).toEqual([BLOB_DELTA, BLOB_DELTA]);
    for (const put of [...trunk, ...puts]) {
      expect((await saver.getTuple(put.config))?.checkpoint.channel_values).toEqual(put.checkpoint.channel_values);
    }
  });

  it("is exact when a reducer grows the same array in place", async () => {
    const messages: Message[] = [];
    let parent: Put | undefined;
    const expected: Message[][] = [];
    for (let i = 0; i < 40; i++) {
      messages.push(message(i));
      // The same array object every step, as a mutating reducer would hand it over.
      parent = await putStep(saver, parent ?? threadRoot("t"), { changes: { messages } });
      expected.push(structuredClone(messages));
      if (i === 20) messages[3] = message(333);
    }
    const listed = (await collect(saver.list({ configurable: { thread_id: "t" } }))).reverse();
    expect(listed.map((t: CheckpointTuple) => t.checkpoint.channel_values.messages)).toEqual(expected);
  });

  it("is exact with a serializer that is not LangGraph's JSON one", async () => {
    class TaggedSerializer extends JsonPlusSerializer {
      override async dumpsTyped(data: unknown): Promise<[string, Uint8Array]> {
        const [, bytes] = await super.dumpsTyped(data);
        return ["tagged", bytes];
      }
      override async loadsTyped(type: string, data: Uint8Array | string): Promise<unknown> {
        if (type !== "tagged") throw new Error(`unexpected type ${type}`);
        return super.loadsTyped("json", data);
      }
    }
    const tagged = new SqliteCheckpointer(":memory:", { serde: new TaggedSerializer() });
    try {
      const puts = await appendingThread(tagged, "t", 80);
      for (const put of puts) expect((await tagged.getTuple(put.config))?.checkpoint).toEqual(put.checkpoint);
    } finally {
      tagged.close();
    }
  });

  it("round-trips LangChain messages and special values through deltas", async () => {
    const { AIMessage, HumanMessage } = await import("@langchain/core/messages");
    let parent: Put | undefined;
    let messages: unknown[] = [];
    const puts: Put[] = [];
    for (let i = 0; i < 30; i++) {
      const next = i % 2 === 0 ? new HumanMessage({ content: `question ${i}`, id: `h${i}` }) : new AIMessage({ content: `answer ${i}`, id: `a${i}` });
      messages = messages.concat([next, ...(i === 5 ? [undefined, new Set([1, 2])] : [])]);
      parent = await putStep(saver, parent ?? threadRoot("t"), { changes: { messages } });
      puts.push(parent);
    }
    for (const put of puts) {
      const read = (await saver.getTuple(put.config))!.checkpoint.channel_values.messages as unknown[];
      expect(read).toEqual(put.checkpoint.channel_values.messages);
      expect(read[0]).toBeInstanceOf(HumanMessage);
    }
    const listed = await collect(saver.list({ configurable: { thread_id: "t" } }));
    expect(listed.map((t) => t.checkpoint.channel_values.messages)).toEqual(puts.map((p) => p.checkpoint.channel_values.messages).reverse());
  });

  it("gives every checkpoint of a list its own objects", async () => {
    await appendingThread(saver, "t", 60, Infinity);
    const listed = await collect(saver.list({ configurable: { thread_id: "t" } }));
    const newest = listed[0]!.checkpoint.channel_values.messages as Message[];
    const older = listed[1]!.checkpoint.channel_values.messages as Message[];
    expect(older[0]).toEqual(newest[0]);
    newest[0]!.text = "changed by the caller";
    newest.push(message(-1));
    expect(older[0]!.text).not.toBe("changed by the caller");
    expect(older).toHaveLength(59);

    const head = { configurable: { thread_id: "t" } };
    const first = (await saver.getTuple(head))!.checkpoint.channel_values.messages as Message[];
    first[1]!.text = "changed by the caller";
    const second = (await saver.getTuple(head))!.checkpoint.channel_values.messages as Message[];
    expect(second[1]).toEqual(message(1));
  });

  it("frees every row of a deleted thread and keeps the others", async () => {
    const puts = await appendingThread(saver, "doomed", 50);
    await saver.putWrites(puts[10]!.config, [["messages", [message(1)]]], "task", "~1");
    await putStep(saver, threadRoot("doomed", "child:1"), { changes: { messages: [message(1)] } });
    const kept = await appendingThread(saver, "kept", 20);
    const keptBefore = rowsOf(saver, "kept");

    await saver.deleteThread("doomed");
    expect(rowsOf(saver, "doomed")).toEqual({ tl_checkpoints: 0, tl_blobs: 0, tl_writes: 0, tl_threads: 0 });
    expect(rowsOf(saver, "kept")).toEqual(keptBefore);
    expect((await saver.getTuple(kept.at(-1)!.config))?.checkpoint).toEqual(kept.at(-1)!.checkpoint);

    // A new thread under the same id starts from scratch, not from a forgotten cache entry.
    const again = await appendingThread(saver, "doomed", 20);
    for (const put of again) expect((await saver.getTuple(put.config))?.checkpoint).toEqual(put.checkpoint);
  });

  it("parses a row once per list walk and forgets rows the last checkpoint did not use", async () => {
    const cache = new WalkCache(new JsonPlusSerializer());
    let reads = 0;
    const row = () => {
      reads++;
      return '[{"id":1,"text":"a"},{"id":2,"__proto__":{"x":1}}]';
    };
    const first = (await cache.part("row", row))!;
    cache.endCheckpoint();
    const again = (await cache.part("row", row))!;
    expect(reads).toBe(1);
    expect(again).toBe(first);
    expect(again.shared).toBe(false);
    const [copy] = cache.assemble([again]);
    expect(copy).toEqual(first.elements[0]);
    expect(copy).not.toBe(first.elements[0]);
    expect(Object.getPrototypeOf(cache.assemble([again])[1])).toBe(Object.prototype);
    cache.endCheckpoint();
    cache.endCheckpoint();
    await cache.part("row", row);
    expect(reads).toBe(2);
    // Rows LangGraph's serializer must revive are kept only by a cache that may share them; non-arrays never.
    expect(await cache.part("messages", () => '[{"lc":1,"type":"constructor"}]')).toBeUndefined();
    expect(await cache.part("count", () => "3")).toBeUndefined();
    expect(new WalkCache({ dumpsTyped: async () => ["json", new Uint8Array()], loadsTyped: async () => null }).enabled).toBe(false);
  });

  it("revives a row of messages once per list walk and shares its messages, never its arrays", async () => {
    const { AIMessage, HumanMessage } = await import("@langchain/core/messages");
    const serde = new JsonPlusSerializer();
    const sharing = new WalkCache(serde, true);
    const [, bytes] = await serde.dumpsTyped([new HumanMessage({ content: "hi", id: "h" }), new AIMessage({ content: "yo", id: "a" })]);
    const text = new TextDecoder().decode(bytes);
    let reads = 0;
    const row = () => {
      reads++;
      return text;
    };
    const part = (await sharing.part("messages", row))!;
    expect(part.shared).toBe(true);
    const one = sharing.assemble([part]);
    sharing.endCheckpoint();
    const two = sharing.assemble([(await sharing.part("messages", row))!]);
    expect(reads).toBe(1);
    expect(one[0]).toBeInstanceOf(HumanMessage);
    expect(two[1]).toBeInstanceOf(AIMessage);
    expect(two).not.toBe(one);
    expect(two[0]).toBe(one[0]);

    // Through the checkpointer: one list call shares, separate calls and getTuple do not.
    let messages: unknown[] = [];
    let parent: Put | undefined;
    for (let i = 0; i < 40; i++) {
      messages = messages.concat([i % 2 === 0 ? new HumanMessage({ content: `q${i}`, id: `h${i}` }) : new AIMessage({ content: `a${i}`, id: `a${i}` })]);
      parent = await putStep(saver, parent ?? threadRoot("m"), { changes: { messages } });
    }
    const config = { configurable: { thread_id: "m" } };
    const listed = await collect(saver.list(config));
    const newest = listed[0]!.checkpoint.channel_values.messages as unknown[];
    const older = listed[1]!.checkpoint.channel_values.messages as unknown[];
    expect(older[0]).toBe(newest[0]);
    newest.push(new HumanMessage({ content: "pushed by the caller" }));
    expect(older).toHaveLength(39);
    expect(newest).toHaveLength(41);
    const again = await collect(saver.list(config, { limit: 1 }));
    expect((again[0]!.checkpoint.channel_values.messages as unknown[])[0]).not.toBe(newest[0]);
    const head = (await saver.getTuple(config))!.checkpoint.channel_values.messages as unknown[];
    expect(head[0]).not.toBe(newest[0]);
    expect(head).toEqual(newest.slice(0, 40));

    // A project's own copy of the serializer (another class) shares only once declared as one.
    class ProjectCopy extends JsonPlusSerializer {}
    for (const declared of [false, true]) {
      const copy = new SqliteCheckpointer(saver.db, { serde: new ProjectCopy(), serdeIsJsonPlus: declared });
      const [first, second] = await collect(copy.list(config, { limit: 2 }));
      const a = first!.checkpoint.channel_values.messages as unknown[];
      const b = second!.checkpoint.channel_values.messages as unknown[];
      expect(a).toEqual(newest.slice(0, 40));
      expect(b[0] === a[0]).toBe(declared);
    }
  });
});

describe("the append tracker's memory", () => {
  it("holds lists up to a byte budget: past it, the oldest versions are forgotten, the newest kept", async () => {
    const { AppendTracker, CACHE_BYTE_BUDGET } = await import("./delta");
    const tracker = new AppendTracker();
    const size = Math.ceil(CACHE_BYTE_BUDGET / 4);
    const versionOf = (t: number) => `v${t}`;
    // Five threads, each one whole list of a quarter of the budget: the first no longer fits.
    const lists = Array.from({ length: 5 }, (_, t) => [`${t}`.padEnd(16, "x")]);
    lists.forEach((list, t) => tracker.remember(`t${t}`, "", "messages", versionOf(t), undefined, { kind: BLOB_WHOLE, value: list }, list, size));
    const grown = (t: number) => tracker.plan(`t${t}`, "", "messages", `${versionOf(t)}b`, versionOf(t), [...lists[t]!, "next"]).kind;
    expect(grown(0)).toBe(BLOB_WHOLE);
    for (const t of [2, 3, 4]) expect(grown(t)).toBe(BLOB_DELTA);
  });
});
