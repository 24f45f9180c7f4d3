// The run composer's form, as data: which field each top-level key of a graph's input JSON schema becomes,
// and the pure edits the form makes to the input value. The JSON text stays the one source of truth; the form
// reads the parsed value and writes a new one, so the Form and JSON tabs can never disagree.
import type { JsonSchema } from "../../../shared/graph";
import type { JsonObject, JsonValue } from "../../../shared/encoding";

/** What a single value of a list (or a plain field) can be edited as. */
export type PrimitiveKind = "text" | "longText" | "number" | "integer" | "boolean" | "enum";

export type FieldSpec =
  | { kind: PrimitiveKind; options?: JsonValue[] }
  | { kind: "list"; item: { kind: PrimitiveKind; options?: JsonValue[] } }
  /** A LangGraph messages channel: one message, a role and its text. */
  | { kind: "messages" }
  /** Anything the form cannot express (objects, lists of objects, unions, untyped keys): a JSON editor. */
  | { kind: "json" };

export type FormField = FieldSpec & {
  key: string;
  label: string;
  description?: string;
  required: boolean;
};

export const MESSAGE_ROLES = ["user", "system", "assistant"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** Strings no longer than this (by the schema's maxLength) get a one-line box; any other string a text area. */
const SHORT_TEXT = 120;

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema without its "or null" part: `["string","null"]`, or an anyOf/oneOf of one type and null. */
function nonNull(schema: Schema): Schema {
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    return types.length === 1 ? { ...schema, type: types[0] } : schema;
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const rest = options.filter((o) => !(isSchema(o) && o.type === "null"));
    if (rest.length === 1 && isSchema(rest[0])) {
      const { [key]: _dropped, ...outer } = schema;
      return nonNull({ ...outer, ...rest[0] });
    }
  }
  return schema;
}

function primitiveOf(raw: Schema): { kind: PrimitiveKind; options?: JsonValue[] } | null {
  const schema = nonNull(raw);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { kind: "enum", options: schema.enum as JsonValue[] };
  switch (schema.type) {
    case "string": {
      const short = typeof schema.format === "string" || (typeof schema.maxLength === "number" && schema.maxLength <= SHORT_TEXT);
      return { kind: short ? "text" : "longText" };
    }
    case "number":
    case "integer":
    case "boolean":
      return { kind: schema.type };
    default:
      return null;
  }
}

function isMessagesChannel(key: string, schema: Schema): boolean {
  if (schema.langgraph_type === "messages") return true;
  // Python and JS Agent Servers describe a messages key as an array of message objects.
  return key === "messages" && (schema.type === undefined || schema.type === "array");
}

function specOf(key: string, raw: Schema): FieldSpec {
  if (isMessagesChannel(key, raw)) return { kind: "messages" };
  const primitive = primitiveOf(raw);
  if (primitive) return primitive;
  const schema = nonNull(raw);
  if (schema.type === "array" && isSchema(schema.items)) {
    const item = primitiveOf(schema.items);
    // A list of long texts is still edited one line per item.
    if (item) return { kind: "list", item: item.kind === "longText" ? { kind: "text" } : item };
  }
  return { kind: "json" };
}

/** The form's fields, one per top-level property of the input schema, in the schema's order. */
export function formFieldsOf(schema: JsonSchema | undefined): FormField[] {
  const properties = isSchema(schema?.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([key, value]) => {
    const field = isSchema(value) ? value : {};
    return {
      ...specOf(key, field),
      key,
      label: typeof field.title === "string" && field.title.trim() ? field.title : key,
      ...(typeof field.description === "string" && field.description.trim() ? { description: field.description } : {}),
      required: required.has(key),
    };
  });
}

/** True when the form shows at least one real field (not only JSON editors): then it is the default tab. */
export function formIsUseful(fields: FormField[]): boolean {
  return fields.some((f) => f.kind !== "json");
}

/** The value with `key` set, or left out when `next` is undefined (an empty optional field). Key order is kept. */
export function withField(value: JsonObject, key: string, next: JsonValue | undefined): JsonObject {
  if (next === undefined) {
    const { [key]: _removed, ...rest } = value;
    return rest;
  }
  return { ...value, [key]: next };
}

function primitiveFits(kind: PrimitiveKind, options: JsonValue[] | undefined, value: JsonValue): boolean {
  switch (kind) {
    case "text":
    case "longText":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return (options ?? []).some((o) => JSON.stringify(o) === JSON.stringify(value));
  }
}

/** The one message a messages field shows, or null when the value holds something else (several messages…). */
export function singleMessage(value: JsonValue | undefined): { role: MessageRole; content: string } | null {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return { role: "user", content: "" };
  if (!Array.isArray(value) || value.length !== 1) return null;
  const [message] = value;
  if (!isSchema(message) || Object.keys(message).some((k) => k !== "role" && k !== "content")) return null;
  const { role, content } = message;
  if (typeof content !== "string" || !MESSAGE_ROLES.includes(role as MessageRole)) return null;
  return { role: role as MessageRole, content };
}

/** The messages value for one message; an empty text leaves the key out (no message to send). */
export function messagesValue(role: MessageRole, content: string): JsonValue | undefined {
  return content === "" ? undefined : [{ role, content }];
}

/** Whether the field's own editor can show `value`; when not, the form edits that key as JSON instead. */
export function fieldFits(field: FieldSpec, value: JsonValue | undefined): boolean {
  if (value === undefined || field.kind === "json") return true;
  if (field.kind === "messages") return singleMessage(value) !== null;
  if (field.kind === "list") return Array.isArray(value) && value.every((v) => primitiveFits(field.item.kind, field.item.options, v));
  return primitiveFits(field.kind, field.options, value);
}

export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/** A number typed in a field: empty means "left out"; integers must be whole. */
export function readNumber(text: string, integer: boolean): Read<number | undefined> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    return { ok: false, error: `"${trimmed}" is not a number` };
  }
  if (integer && !Number.isInteger(value)) return { ok: false, error: `${trimmed} is not a whole number` };
  return { ok: true, value };
}

/** A value typed in a per-field JSON editor: empty means "left out". */
export function readJson(text: string): Read<JsonValue | undefined> {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message.replace(/^JSON\.parse: /, "")})` };
  }
}

/** A new list item of the list's type: the empty text, zero, false or the first option. */
export function newItem(item: { kind: PrimitiveKind; options?: JsonValue[] }): JsonValue {
  if (item.kind === "enum") return item.options?.[0] ?? "";
  if (item.kind === "number" || item.kind === "integer") return 0;
  if (item.kind === "boolean") return false;
  return "";
}
