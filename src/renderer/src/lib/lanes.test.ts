import { describe, expect, it } from "vitest";
import { layoutLanes } from "./lanes";

describe("layoutLanes", () => {
  it("keeps a straight history in one lane", () => {
    const { rows, width } = layoutLanes([
      { id: "c", parentId: "b" },
      { id: "b", parentId: "a" },
      { id: "a", parentId: null },
    ]);
    expect(width).toBe(1);
    expect(rows.map((r) => r.col)).toEqual([0, 0, 0]);
    expect(rows[2]!.bottom).toEqual([]);
  });

  it("opens a lane for a fork and merges it back at the shared parent, then reuses it", () => {
    // b2 forks from a (as a replay would); d is a later fork from c.
    const { rows, width } = layoutLanes([
      { id: "d", parentId: "c" },
      { id: "b2", parentId: "a" },
      { id: "c", parentId: "b" },
      { id: "b", parentId: "a" },
      { id: "a", parentId: null },
    ]);
    expect(rows.map((r) => r.col)).toEqual([0, 1, 0, 0, 0]);
    expect(width).toBe(2);
    // The fork's lane ends at its parent a.
    expect(rows[4]!.merges).toEqual([1]);
    expect(rows[4]!.top).toEqual([0, 1]);
    // Between b2 and a, lane 1 waits for a.
    expect(rows[3]!.bottom).toEqual([0, 1]);
  });

  it("reuses a freed lane for the next branch head", () => {
    const { rows } = layoutLanes([
      { id: "x2", parentId: "x1" },
      { id: "y2", parentId: "y1" },
      { id: "y1", parentId: null },
      { id: "z", parentId: null },
      { id: "x1", parentId: null },
    ]);
    expect(rows.map((r) => r.col)).toEqual([0, 1, 1, 1, 0]);
  });
});
