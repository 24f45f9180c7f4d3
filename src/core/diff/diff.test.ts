import { encodeValue } from "../../shared/encoding";
import { formatPath } from "../../shared/types";
import { diffValues } from "./diff";

const paths = (before: unknown, after: unknown) =>
  diffValues(encodeValue(before), encodeValue(after)).map((e) => `${e.kind} ${formatPath(e.path)}`);

describe("diffValues", () => {
  it("reports added, removed and changed keys", () => {
    expect(paths({ a: 1, b: 2, c: { d: 1 } }, { a: 1, b: 3, e: 4, c: {} })).toEqual(
      expect.arrayContaining(["changed b", "added e", "removed c.d"]),
    );
    expect(paths({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it("matches list items by id, so an insert does not shift every later item", () => {
    const before = { items: [{ id: "a", v: 1 }, { id: "b", v: 2 }] };
    const after = { items: [{ id: "z", v: 0 }, { id: "a", v: 1 }, { id: "b", v: 3 }] };
    expect(paths(before, after)).toEqual(["added items[id=z]", "changed items[id=b].v"]);
    expect(paths(after, { items: [{ id: "a", v: 1 }] })).toEqual(["removed items[id=z]", "removed items[id=b]"]);
  });

  it("keeps positions right past the elements two lists share from their start", () => {
    const item = (id: string, v = 1) => ({ id, v });
    const at = (before: unknown, after: unknown) =>
      diffValues(encodeValue(before), encodeValue(after)).map((e) => [e.kind, formatPath(e.path), JSON.stringify(e.path.at(-1)), e.path.length]);
    const base = [item("a"), item("b"), item("c")];
    expect(at({ m: base }, { m: [...base, item("d")] })).toEqual([["added", "m[id=d]", '{"id":"d","index":3}', 2]]);
    expect(at({ m: base }, { m: [item("a"), item("z"), item("b"), item("c")] })).toEqual([["added", "m[id=z]", '{"id":"z","index":1}', 2]]);
    expect(at({ m: base }, { m: [item("a"), item("c")] })).toEqual([["removed", "m[id=b]", '{"id":"b","index":1}', 2]]);
    expect(at({ m: base }, { m: [item("a"), item("b"), item("c", 2)] })).toEqual([["changed", "m[id=c].v", '"v"', 3]]);
    expect(diffValues(encodeValue({ m: base }), encodeValue({ m: [item("a"), item("b"), item("c", 2)] }))[0]!.path[1]).toEqual({ id: "c", index: 2 });
    // As jsondiffpatch reports it on the whole lists: the differing tail as removed, then added.
    expect(at({ l: [1, 2, 3] }, { l: [1, 2, 4, 5] })).toEqual([
      ["removed", "l[2]", "2", 2],
      ["added", "l[2]", "2", 2],
      ["added", "l[3]", "3", 2],
    ]);
  });

  it("diffs lists without ids by position", () => {
    expect(paths({ l: [1, 2] }, { l: [1, 2, 3] })).toEqual(["added l[2]"]);
    expect(paths({ l: [{ x: 1 }] }, { l: [{ x: 2 }] })).toEqual(["changed l[0].x"]);
  });

  it("treats Dates, bytes and other atomic values as one value, with decoded before and after", () => {
    const entries = diffValues(encodeValue({ when: new Date(0) }), encodeValue({ when: new Date(1000) }));
    expect(entries).toEqual([
      {
        path: ["when"],
        kind: "changed",
        before: { $type: "Date", value: "1970-01-01T00:00:00.000Z" },
        after: { $type: "Date", value: "1970-01-01T00:00:01.000Z" },
      },
    ]);
    expect(paths({ b: new Uint8Array([1]) }, { b: new Uint8Array([2]) })).toEqual(["changed b"]);
    expect(paths({ u: undefined }, { u: 1 })).toEqual(["changed u"]);
  });

  it("leaves the wrapper of class instances out of paths", () => {
    class Box {
      constructor(public size: number) {}
    }
    expect(paths({ box: new Box(1) }, { box: new Box(2) })).toEqual(["changed box.size"]);
  });
});
