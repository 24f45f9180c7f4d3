import { describe, expect, it } from "vitest";
import { checkSchema, parseJson, skeletonFrom } from "./json-input";

describe("parseJson", () => {
  it("says where the JSON breaks", () => {
    const result = parseJson('{\n  "a": 1,\n}', "Input");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Input: .* at line 3, column 1$/);
  });
});

describe("checkSchema", () => {
  const schema = {
    type: "object",
    properties: { topic: { type: "string" }, aspects: { type: "integer" }, mode: { enum: ["a", "b"] } },
    required: ["topic"],
    additionalProperties: false,
  };
  it("accepts a valid input and names each problem of an invalid one", () => {
    expect(checkSchema({ topic: "x", aspects: 2 }, schema)).toEqual([]);
    expect(checkSchema({ aspects: 1.5, mode: "c", other: 1 }, schema)).toEqual([
      'input: missing required key "topic"',
      "input.aspects: expected integer, got number",
      'input.mode: must be one of "a", "b"',
      'input: unknown key "other" (expected topic, aspects, mode)',
    ]);
  });
  it("builds a starting input from the schema", () => {
    expect(skeletonFrom(schema)).toEqual({ topic: "", aspects: 0, mode: "" });
  });
});
