import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../../shared/encoding";
import { SchemaForm } from "../components/run-form/SchemaForm";
import { parseJson, skeletonFrom } from "./json-input";
import { fieldFits, formFieldsOf, formIsUseful, messagesValue, readJson, readNumber, singleMessage, withField } from "./schema-form";

// The fan-out example's input schema, as the engine derives it from its StateSchema (trimmed).
const fanOut = {
  type: "object",
  properties: {
    topic: { type: "string", description: "What to research, e.g. tidal energy" },
    aspects: { default: 3, type: "integer", minimum: 1, maximum: 6 },
    subtopics: { default: [], type: "array", items: { type: "string" } },
    findings: { type: "array", items: { type: "object", properties: { subtopic: { type: "string" } } } },
    mode: { enum: ["fast", "deep"] },
    code: { type: "string", maxLength: 8, title: "Project code" },
    strict: { type: ["boolean", "null"] },
    ratio: { anyOf: [{ type: "number" }, { type: "null" }] },
    weights: { type: "array", items: { type: "number" } },
    untyped: {},
  },
  required: ["topic"],
};

describe("formFieldsOf", () => {
  it("maps each property to the field for its type, in the schema's order", () => {
    const fields = formFieldsOf(fanOut);
    expect(fields.map((f) => [f.key, f.kind])).toEqual([
      ["topic", "longText"],
      ["aspects", "integer"],
      ["subtopics", "list"],
      ["findings", "json"],
      ["mode", "enum"],
      ["code", "text"],
      ["strict", "boolean"],
      ["ratio", "number"],
      ["weights", "list"],
      ["untyped", "json"],
    ]);
    expect(fields[0]).toMatchObject({ required: true, description: "What to research, e.g. tidal energy", label: "topic" });
    expect(fields[1]).toMatchObject({ required: false });
    expect(fields[2]).toMatchObject({ item: { kind: "text" } });
    expect(fields[4]).toMatchObject({ options: ["fast", "deep"] });
    expect(fields[5]).toMatchObject({ label: "Project code" });
    expect(fields[8]).toMatchObject({ item: { kind: "number" } });
  });

  it("recognises a messages channel from LangGraph's marker and from an Agent Server's array of messages", () => {
    expect(formFieldsOf({ properties: { messages: { langgraph_type: "messages" } } })[0]!.kind).toBe("messages");
    expect(formFieldsOf({ properties: { chat: { langgraph_type: "messages" } } })[0]!.kind).toBe("messages");
    expect(formFieldsOf({ properties: { messages: { type: "array", items: { oneOf: [{ type: "object" }] } } } })[0]!.kind).toBe("messages");
    // A key that is called messages but holds a string is a string.
    expect(formFieldsOf({ properties: { messages: { type: "string" } } })[0]!.kind).toBe("longText");
  });

  it("has nothing to show for a schema without properties, and only JSON editors for untyped keys", () => {
    expect(formFieldsOf(undefined)).toEqual([]);
    expect(formFieldsOf({ type: "object" })).toEqual([]);
    const keysOnly = formFieldsOf({ type: "object", properties: { request: {}, draft: {} } });
    expect(keysOnly.map((f) => f.kind)).toEqual(["json", "json"]);
    expect(formIsUseful(keysOnly)).toBe(false);
    expect(formIsUseful(formFieldsOf(fanOut))).toBe(true);
  });
});

describe("form ↔ JSON", () => {
  // What the composer does: the form writes the JSON text, and reads the text the JSON tab wrote.
  const edit = (text: string, key: string, value: Parameters<typeof withField>[2]) => {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return JSON.stringify(withField(parsed.value as JsonObject, key, value), null, 2);
  };

  it("a form edit changes only its key in the JSON, and an emptied optional field leaves the input", () => {
    let text = JSON.stringify({ topic: "tidal energy", aspects: 3 }, null, 2);
    text = edit(text, "aspects", 5);
    text = edit(text, "subtopics", ["cost", "ecology"]);
    expect(JSON.parse(text)).toEqual({ topic: "tidal energy", aspects: 5, subtopics: ["cost", "ecology"] });
    expect(Object.keys(JSON.parse(text))).toEqual(["topic", "aspects", "subtopics"]);
    text = edit(text, "aspects", undefined);
    expect(JSON.parse(text)).toEqual({ topic: "tidal energy", subtopics: ["cost", "ecology"] });
  });

  it("JSON typed by hand is shown by the field when it fits, and edited as JSON when it does not", () => {
    const [topic, aspects, subtopics, , mode] = formFieldsOf(fanOut);
    expect(fieldFits(topic!, "wind")).toBe(true);
    expect(fieldFits(topic!, 42)).toBe(false);
    expect(fieldFits(aspects!, 2)).toBe(true);
    expect(fieldFits(aspects!, 2.5)).toBe(false);
    expect(fieldFits(subtopics!, ["a", "b"])).toBe(true);
    expect(fieldFits(subtopics!, ["a", 1])).toBe(false);
    expect(fieldFits(mode!, "deep")).toBe(true);
    expect(fieldFits(mode!, "slow")).toBe(false);
    expect(fieldFits(aspects!, undefined)).toBe(true);
  });

  it("a messages field writes one message with its role, and reads one back", () => {
    expect(messagesValue("user", "What's the weather in Paris?")).toEqual([{ role: "user", content: "What's the weather in Paris?" }]);
    expect(messagesValue("system", "")).toBeUndefined();
    expect(singleMessage([{ role: "system", content: "be brief" }])).toEqual({ role: "system", content: "be brief" });
    expect(singleMessage(undefined)).toEqual({ role: "user", content: "" });
    // Several messages, other keys or rich content: not one chat box, so edited as JSON.
    expect(singleMessage([{ role: "user", content: "a" }, { role: "user", content: "b" }])).toBeNull();
    expect(singleMessage([{ role: "user", content: "a", id: "m1" }])).toBeNull();
    expect(singleMessage([{ role: "user", content: [{ type: "text", text: "a" }] }])).toBeNull();
    expect(fieldFits({ kind: "messages" }, [{ role: "tool", content: "x" }])).toBe(false);
  });

  it("reads numbers and JSON typed in a field, with an error for text that is neither", () => {
    expect(readNumber(" 4 ", true)).toEqual({ ok: true, value: 4 });
    expect(readNumber("", true)).toEqual({ ok: true, value: undefined });
    expect(readNumber("-2.5e1", false)).toEqual({ ok: true, value: -25 });
    expect(readNumber("2.5", true)).toEqual({ ok: false, error: "2.5 is not a whole number" });
    expect(readNumber("12abc", false)).toEqual({ ok: false, error: '"12abc" is not a number' });
    expect(readNumber("0x10", false).ok).toBe(false);
    expect(readJson('{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(readJson("  ")).toEqual({ ok: true, value: undefined });
    const bad = readJson("{a}");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^not valid JSON \(/);
  });

  it("starts a messages graph with one empty user message", () => {
    expect(skeletonFrom({ properties: { messages: { langgraph_type: "messages" }, n: { type: "integer" } } })).toEqual({
      messages: [{ role: "user", content: "" }],
      n: 0,
    });
  });
});

describe("SchemaForm", () => {
  const render = (value: JsonObject) =>
    renderToStaticMarkup(createElement(SchemaForm, { fields: formFieldsOf(fanOut), value, onChange: () => {}, onProblem: () => {} }));

  it("gives every control a label that points at it", () => {
    const html = render({ topic: "wind", subtopics: ["cost"] });
    const controls = [...html.matchAll(/<(input|textarea|select)[^>]* id="([^"]+)"/g)].map((m) => m[2]!);
    // Eight plain fields and one item of "subtopics"; the empty list "weights" has only its Add button.
    expect(controls).toHaveLength(9);
    for (const id of controls) expect(html, id).toContain(`for="${id}"`);
  });

  it("shows user content as text, never as HTML", () => {
    const html = render({ topic: "<img src=x onerror=alert(1)>" });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("edits a value the field cannot show as JSON, and says why", () => {
    const html = render({ topic: { nested: true } });
    expect(html).toMatch(/data-field="topic" data-kind="json"/);
    expect(html).toContain("edited as JSON: the value is not one text");
  });
});
