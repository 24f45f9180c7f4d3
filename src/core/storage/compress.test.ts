// Large values are stored deflated and read back exactly; small or incompressible ones as they are.
import { randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { reusableDeflateRaw } from "./deflate-engine";
import { COMPRESS_MIN_BYTES, COMPRESSED, pack, RecentPacks, unpack } from "./compress";
import { SqliteCheckpointer } from "./index";
import { putStep, threadRoot } from "./test-helpers";

describe("compression of stored values", () => {
  it("deflates large text, keeps small and incompressible values, and unpacks to the same bytes", () => {
    const text = Buffer.from(JSON.stringify({ content: "lorem ipsum dolor sit amet ".repeat(100) }));
    const [type, packed] = pack("json", text);
    expect(type).toBe(`json${COMPRESSED}`);
    expect(packed.length).toBeLessThan(text.length / 5);
    expect(unpack(type, Buffer.from(packed))).toEqual({ type: "json", value: text });
    expect(pack("json", Buffer.from('{"a":1}'))).toEqual(["json", Buffer.from('{"a":1}')]);
    const noise = randomBytes(4096);
    expect(pack("bytes", noise)).toEqual(["bytes", noise]);
  });

  it("deflates through one reused zlib state to the same bytes as deflateRawSync, value after value", () => {
    const options = { level: 1, windowBits: 12, memLevel: 4 };
    const reused = reusableDeflateRaw(options);
    const inputs = [
      Buffer.alloc(0),
      Buffer.from("x"),
      Buffer.from(JSON.stringify({ content: "lorem ipsum dolor sit amet ".repeat(50) })),
      randomBytes(5000),
      Buffer.from("abc".repeat(100_000)),
      Buffer.from(JSON.stringify({ content: "lorem ipsum dolor sit amet ".repeat(50) })),
    ];
    for (const input of inputs) {
      const packed = reused(input);
      expect(packed.equals(deflateRawSync(input, options))).toBe(true);
      expect(inflateRawSync(packed).equals(input)).toBe(true);
    }
  });

  it("packs bytes seen a moment ago to the same result, and other bytes afresh", () => {
    const packs = new RecentPacks();
    const message = (n: number) => Buffer.from(JSON.stringify([{ id: `m${n}`, content: `message ${n} `.repeat(200) }]));
    const first = packs.pack("json", message(1));
    // Equal bytes in another buffer (the delta that appends the message written a moment before).
    expect(packs.pack("json", message(1))).toBe(first);
    const second = packs.pack("json", message(2));
    expect(second).not.toBe(first);
    expect(unpack(second[0], Buffer.from(second[1])).value).toEqual(message(2));
    expect(unpack(first[0], Buffer.from(first[1])).value).toEqual(message(1));
    // Same bytes under another serializer type are not the same stored value.
    expect(packs.pack("bytes", message(1))[0]).toBe(`bytes${COMPRESSED}`);
    const small = Buffer.alloc(COMPRESS_MIN_BYTES - 1, 0x61);
    expect(packs.pack("json", small)).toEqual(["json", small]);
  });

  it("stores a large channel value and write compressed and reads both back exactly", async () => {
    const saver = new SqliteCheckpointer(":memory:");
    const long = "a long value that repeats itself. ".repeat(200);
    const put = await putStep(saver, threadRoot("t"), { changes: { note: long, count: 1 }, nodes: ["n"], step: 0, source: "loop" });
    await saver.putWrites(put.config, [["note", { text: long }]], "task-1");
    saver.flushWrites();
    const types = saver.db.prepare("SELECT type FROM tl_blobs WHERE channel = 'note' UNION ALL SELECT type FROM tl_writes").all() as { type: string }[];
    expect(types.map((t) => t.type)).toEqual([`json${COMPRESSED}`, `json${COMPRESSED}`]);
    const tuple = await saver.getTuple(put.config);
    expect(tuple?.checkpoint.channel_values.note).toBe(long);
    expect(tuple?.pendingWrites).toEqual([["task-1", "note", { text: long }]]);
    saver.close();
  });
});
