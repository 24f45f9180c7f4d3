import { parseArgs } from "./contract";
import { cutAtDepth, jsonTextNestingExceeds, MAX_NESTING_DEPTH, nestingExceeds } from "./nesting";

const deepText = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

describe("nesting limit", () => {
  it("measures values and text alike, on any depth, without recursion", () => {
    for (const n of [MAX_NESTING_DEPTH, MAX_NESTING_DEPTH + 1, 100_000]) {
      const over = n > MAX_NESTING_DEPTH;
      expect(jsonTextNestingExceeds(deepText(n))).toBe(over);
      expect(nestingExceeds(JSON.parse(deepText(n)))).toBe(over);
    }
    // Brackets inside strings, escaped quotes included, are not nesting.
    expect(jsonTextNestingExceeds(JSON.stringify({ s: `\\"${"[".repeat(500)}` }))).toBe(false);
    expect(nestingExceeds({ a: { b: { c: 1 } } }, 3)).toBe(false);
    expect(nestingExceeds({ a: { b: { c: {} } } }, 3)).toBe(true);
  });

  it("refuses every call's over-deep arguments before zod sees them", () => {
    const deep = JSON.parse(deepText(100_000)) as unknown;
    expect(() => parseArgs("threads.create", { metadata: { v: deep } })).toThrow(/nested deeper than 100 levels/);
    expect(() => parseArgs("state.update", { threadId: "t", values: deep })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("cuts a stored value at the limit, keeping the rest", () => {
    const cut = cutAtDepth({ keep: 1, deep: [[[1]]] }, 3) as { keep: number; deep: unknown };
    expect(cut).toEqual({ keep: 1, deep: [["[nested deeper than 100 levels (the limit for objects and arrays): not shown]"]] });
  });
});
