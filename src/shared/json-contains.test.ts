// Each case's expected answer is what PostgreSQL 15 answers for `value::jsonb @> filter::jsonb`
// (checked against a real server when this rule was chosen).
import { jsonContains } from "./json-contains";
import type { JsonValue } from "./encoding";

const cases: [JsonValue, JsonValue, boolean][] = [
  [{ a: ["x", "y"] }, { a: "x" }, false],
  [{ a: ["x", "y"] }, { a: ["y"] }, true],
  [{ a: ["x", "y"] }, { a: ["y", "x", "x"] }, true],
  [{ a: ["x", "y"] }, { a: ["z"] }, false],
  [{ a: ["x", "y"] }, { a: [] }, true],
  [{ a: [{ k: 1, j: 2 }] }, { a: [{ k: 1 }] }, true],
  [{ a: [[1, 2], 3] }, { a: [[2]] }, true],
  [{ a: [[1, 2], 3] }, { a: [2] }, false],
  [{ a: null }, { a: null }, true],
  [{}, { a: null }, false],
  [{ a: 1 }, { a: 1.0 }, true],
  [{ a: "1" }, { a: 1 }, false],
  [{ a: {} }, { a: {} }, true],
  [{ a: [1] }, { a: {} }, false],
  [{ a: { b: 1 } }, { a: [] }, false],
  [{ a: { b: 1, c: { d: true } } }, { a: { c: { d: true } } }, true],
  [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }, false],
  [{ a: 1, b: 2 }, {}, true],
];

describe("jsonContains (LangGraph's metadata filter: JSONB @>)", () => {
  it.each(cases)("%j @> %j is %s", (value, filter, expected) => {
    expect(jsonContains(value, filter)).toBe(expected);
  });

  it("does not take an inherited key for a present one", () => {
    expect(jsonContains({}, { toString: null })).toBe(false);
  });
});
