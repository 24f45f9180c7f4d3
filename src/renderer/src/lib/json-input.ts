// Parsing what the user typed in a JSON editor, with errors that say where, and a light check against the
// graph's input schema (the engine validates for real; this only catches mistakes before a run starts).
import type { JsonSchema } from "../../../shared/graph";
import type { JsonValue } from "../../../shared/encoding";
import { formFieldsOf } from "./schema-form";

export type Parsed = { ok: true; value: JsonValue } | { ok: false; error: string };

export function parseJson(text: string, what = "JSON"): Parsed {
  if (text.trim() === "") return { ok: false, error: `${what} is empty` };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at) {
      const pos = Number(at[1]);
      const before = text.slice(0, pos);
      const line = before.split("\n").length;
      const col = pos - before.lastIndexOf("\n");
      const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
      return { ok: false, error: `${what}: ${reason} at line ${line}, column ${col}` };
    }
    return { ok: false, error: `${what}: ${message}` };
  }
}

function typeOf(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: JsonValue, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = typeOf(value);
  return types.some((t) => t === actual || (t === "number" && actual === "integer"));
}

/** Problems with `value` under a JSON schema's type, properties, required, items and enum keywords. */
export function checkSchema(value: JsonValue, schema: JsonSchema | undefined, path = "input"): string[] {
  if (!schema || typeof schema !== "object") return [];
  const problems: string[] = [];
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined && !matchesType(value, s.type)) {
    return [`${path}: expected ${Array.isArray(s.type) ? s.type.join(" or ") : String(s.type)}, got ${typeOf(value)}`];
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) problems.push(`${path}: must be at least ${s.minimum}`);
    if (typeof s.maximum === "number" && value > s.maximum) problems.push(`${path}: must be at most ${s.maximum}`);
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${path}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(key in value)) problems.push(`${path}: missing required key "${key}"`);
    }
    for (const [key, field] of Object.entries(value)) {
      if (props[key]) problems.push(...checkSchema(field, props[key], `${path}.${key}`));
      else if (s.additionalProperties === false) {
        problems.push(`${path}: unknown key "${key}" (expected ${Object.keys(props).join(", ") || "no keys"})`);
      }
    }
  }
  if (Array.isArray(value) && s.items && typeof s.items === "object") {
    value.slice(0, 50).forEach((item, i) => problems.push(...checkSchema(item, s.items as JsonSchema, `${path}[${i}]`)));
  }
  return problems.slice(0, 8);
}

/** A starting input from a schema: each property with an empty value of its type (one empty user message for a messages channel). */
export function skeletonFrom(schema: JsonSchema | undefined): JsonValue {
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const messages = new Set(formFieldsOf(schema).filter((f) => f.kind === "messages").map((f) => f.key));
  const out: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(props)) {
    const type = Array.isArray(field.type) ? field.type[0] : field.type;
    if (field.default !== undefined) out[key] = field.default as JsonValue;
    else if (messages.has(key)) out[key] = [{ role: "user", content: "" }];
    else if (type === "array") out[key] = [];
    else if (type === "object") out[key] = {};
    else if (type === "number" || type === "integer") out[key] = 0;
    else if (type === "boolean") out[key] = false;
    else out[key] = "";
  }
  return out;
}
