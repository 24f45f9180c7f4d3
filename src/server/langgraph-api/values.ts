// Values cross Threadline's contract in its tagged encoding (src/shared/encoding.ts);
// LangGraph's REST API speaks plain JSON, with LangChain messages as their
// serialised dicts ({type, content, id, tool_calls, …}). These two functions
// translate at the adapter's edge.
import { tagOf, TYPE_KEY, type JsonObject, type JsonValue, type TaggedValue } from "../../shared/encoding";

/**
 * An encoded value as LangGraph's server would send it: what JSON.stringify
 * makes of the live value, with messages as the dicts LangChain serialises
 * them to. Nothing the server's JSON would drop is kept (undefined,
 * functions, symbols).
 */
export function toApiValue(value: JsonValue, memo?: ApiValueMemo): JsonValue {
  return convert(value, memo) ?? null;
}

/**
 * Messages already converted, by the identity of their encoding: the states of one history page
 * share their encoded messages (see EncodeMemo), so each is converted once. A conversion does not
 * depend on where the value sits (a cycle's ref becomes null anywhere), so sharing is exact as long
 * as the encoded values are not changed meanwhile; the results share objects too.
 */
export type ApiValueMemo = WeakMap<object, JsonValue>;

function convert(value: JsonValue, memo?: ApiValueMemo): JsonValue | undefined {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => convert(item, memo) ?? null);
  const tag = tagOf(value);
  if (!tag) return convertFields(value, memo);
  if (memo && tag.$type === "message") {
    const known = memo.get(value);
    if (known !== undefined) return known;
    const converted = convertTagged(tag, memo);
    if (converted !== undefined) memo.set(value, converted);
    return converted;
  }
  return convertTagged(tag, memo);
}

function convertTagged(tag: TaggedValue, memo?: ApiValueMemo): JsonValue | undefined {
  switch (tag.$type) {
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      return tag.value;
    case "number":
      return null;
    case "Date":
      return tag.value;
    case "bytes":
      return tag.base64;
    case "Map":
      return Object.fromEntries(tag.entries.map(([k, v]) => [typeof k === "string" ? k : JSON.stringify(k), convert(v, memo) ?? null]));
    case "Set":
      return tag.values.map((v) => convert(v, memo) ?? null);
    case "RegExp":
      return {};
    case "Error":
      return { error: tag.class, message: tag.message };
    case "message": {
      const { [TYPE_KEY]: _tag, class: _class, ...fields } = tag;
      return convertFields(fields, memo);
    }
    case "instance":
    case "object":
      return convertFields(tag.value, memo);
    case "ref":
      // A cycle: JSON has no way to say it.
      return null;
  }
}

function convertFields(fields: JsonObject, memo?: ApiValueMemo): JsonObject {
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(fields)) {
    const converted = convert(field, memo);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/**
 * Plain JSON from a LangGraph client as an encoded value: only an object that
 * happens to own a "$type" key needs wrapping, so that the engine never
 * mistakes it for one of its tags.
 */
export function fromApiValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value as JsonValue;
  if (Array.isArray(value)) return value.map(fromApiValue);
  const fields: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) fields[key] = fromApiValue(field);
  }
  return Object.prototype.hasOwnProperty.call(value, TYPE_KEY) ? { [TYPE_KEY]: "object", value: fields } : fields;
}
