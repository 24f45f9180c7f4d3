import { describe, expect, it } from "vitest";
import { diffValues, preview, tagLabel } from "./values";

describe("diffValues", () => {
  it("matches list items by id, and reports added, removed and changed paths", () => {
    const before = { messages: [{ id: "a", content: "hi" }, { id: "b", content: "old" }], n: 1 };
    const after = { messages: [{ id: "b", content: "new" }, { id: "c", content: "added" }], n: 1, extra: true };
    expect(diffValues(before, after)).toEqual([
      { path: ["messages", { id: "b", index: 0 }, "content"], kind: "changed", before: "old", after: "new" },
      { path: ["messages", { id: "c", index: 1 }], kind: "added", after: { id: "c", content: "added" } },
      { path: ["messages", { id: "a", index: 0 }], kind: "removed", before: { id: "a", content: "hi" } },
      { path: ["extra"], kind: "added", after: true },
    ]);
  });

  it("compares lists without ids by position", () => {
    expect(diffValues(["x"], ["x", "y"])).toEqual([{ path: [1], kind: "added", after: "y" }]);
  });
});

describe("display of encoded values", () => {
  it("labels tags and previews values on one line", () => {
    expect(tagLabel({ $type: "Date", value: "2026-01-01T00:00:00.000Z" })).toBe("2026-01-01T00:00:00.000Z");
    expect(tagLabel({ $type: "bytes", class: "Uint8Array", base64: "AAE=", length: 2 })).toBe("Uint8Array(2)");
    expect(tagLabel({ plain: 1 })).toBeNull();
    expect(preview({ $type: "message", class: "HumanMessage", type: "human", content: "hello" })).toBe('HumanMessage "hello"');
    expect(preview(["a", "b", "c", "d"])).toBe('["a", "b", "c", …]');
  });
});
