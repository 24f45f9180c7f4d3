// Values cross Threadline's contract in its tagged encoding (src/shared/encoding.ts);
// LangGraph's REST API speaks plain JSON, with LangChain messages as their
// serialised dicts ({type, content, id, tool_calls, …}). These two functions
// translate at the adapter's edge.
import { isMessageLike, MESSAGE_INTERNAL_KEYS, tagOf, TYPE_KEY, type JsonObject, type JsonValue, type TaggedValue } from "../encoding";

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
 * as the encoded values are not changed meanwhile; the results share objects too, and toApiJson
 * writes each shared message's JSON text once.
 */
export class ApiValueMemo {
  readonly converted = new WeakMap<object, JsonValue>();
  /** The converted messages, and their JSON text once written. */
  readonly texts = new WeakMap<object, string | null>();
}

/**
 * JSON.stringify(value) for a converted value, writing the JSON of each message converted through
 * `memo` once however many states hold it (a history page of a long conversation repeats every
 * message in every state: most of the response).
 */
export function toApiJson(value: JsonValue, memo: ApiValueMemo): string {
  const parts: string[] = [];
  writeJson(value, memo, parts);
  return parts.join("");
}

function writeJson(value: JsonValue | undefined, memo: ApiValueMemo, parts: string[]): void {
  if (value === null || typeof value !== "object") {
    // undefined only inside arrays (objects skip it): JSON writes null there.
    parts.push(value === undefined ? "null" : JSON.stringify(value));
    return;
  }
  const text = memo.texts.get(value);
  if (text !== undefined) {
    if (text !== null) parts.push(text);
    else {
      const written = JSON.stringify(value);
      memo.texts.set(value, written);
      parts.push(written);
    }
    return;
  }
  if (Array.isArray(value)) {
    parts.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(",");
      writeJson(value[i], memo, parts);
    }
    parts.push("]");
    return;
  }
  parts.push("{");
  let first = true;
  for (const key of Object.keys(value)) {
    const field = value[key];
    if (field === undefined) continue;
    parts.push(first ? "" : ",", JSON.stringify(key), ":");
    first = false;
    writeJson(field, memo, parts);
  }
  parts.push("}");
}

function convert(value: JsonValue, memo?: ApiValueMemo): JsonValue | undefined {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => convert(item, memo) ?? null);
  const tag = tagOf(value);
  if (!tag) return convertFields(value, memo);
  if (memo && tag.$type === "message") {
    const known = memo.converted.get(value);
    if (known !== undefined) return known;
    const converted = convertTagged(tag, memo);
    if (converted !== undefined) {
      memo.converted.set(value, converted);
      if (converted !== null && typeof converted === "object") memo.texts.set(converted, null);
    }
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

// ---------------------------------------------------------------------------
// live values straight to JSON text

/** Thrown inside liveApiJson for a value it leaves to encodeValue + toApiValue. */
const NOT_PLAIN: unique symbol = Symbol("not plain");

/** The JSON text of live messages already written, by identity: the states of one history page share them. */
export type LiveJsonMemo = WeakMap<object, string>;

/**
 * JSON.stringify(toApiValue(encodeValue(value))) for a live value made of what a LangGraph state
 * mostly holds: plain objects and arrays, strings, finite numbers, booleans, null, undefined,
 * Dates and LangChain messages (each message's text written once per memo). Anything else (a
 * Map, bytes, a class instance, a cycle, an object with its own toJSON, ...) answers undefined:
 * take the long way then, which handles everything. Exactness is tested against the long way.
 */
export function liveApiJson(value: unknown, memo: LiveJsonMemo): string | undefined {
  const parts: string[] = [];
  try {
    writeLive(value, memo, parts, new Set());
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
  return parts.join("");
}

/** Whether JSON drops the value in an object (and writes null for it in an array). */
function isDropped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function writeLive(value: unknown, memo: LiveJsonMemo, parts: string[], open: Set<object>): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      parts.push(JSON.stringify(value));
      return;
    case "number":
      parts.push(Number.isFinite(value) ? JSON.stringify(value) : "null");
      return;
    case "undefined":
    case "function":
    case "symbol":
      parts.push("null");
      return;
    case "bigint":
      throw NOT_PLAIN;
  }
  if (value === null) {
    parts.push("null");
    return;
  }
  const object = value as object;
  // Only messages are memoised, and a page repeats each in every state: answer those first.
  const known = memo.get(object);
  if (known !== undefined) {
    parts.push(known);
    return;
  }
  if (open.has(object)) throw NOT_PLAIN;
  if (Array.isArray(object)) {
    open.add(object);
    parts.push("[");
    for (let i = 0; i < object.length; i++) {
      if (i > 0) parts.push(",");
      writeLive(object[i], memo, parts, open);
    }
    parts.push("]");
    open.delete(object);
    return;
  }
  if (object instanceof Date) {
    parts.push(Number.isNaN(object.getTime()) ? "null" : JSON.stringify(object.toISOString()));
    return;
  }
  const proto = Object.getPrototypeOf(object) as object | null;
  const plain = proto === Object.prototype || proto === null;
  if (!plain && isMessageLike(object)) {
    const text = messageJson(object, memo, open);
    memo.set(object, text);
    parts.push(text);
    return;
  }
  // A plain object that looks like a message is encoded as one: leave it to the long way, as any class instance.
  if (!plain || isMessageLike(object) || Object.prototype.hasOwnProperty.call(object, "toJSON")) throw NOT_PLAIN;
  writeFieldsInto(object, memo, parts, open, () => false);
}

/** A message's own fields, but LangChain's machinery and the keys its tag takes ("$type", "class"). */
const isMessageInternal = (key: string) => MESSAGE_INTERNAL_KEYS.has(key) || key === TYPE_KEY || key === "class";

/**
 * A message's JSON. Its fields are usually plain JSON all the way down, which the native
 * JSON.stringify writes exactly as the long way would, faster than any walk written here; a
 * field holding anything else (a nested message, a Map, ...) is written field by field.
 */
function messageJson(message: object, memo: LiveJsonMemo, open: Set<object>): string {
  // LangChain before 1.0 has no `type` field, only _getType(): the long way writes it.
  if (!Object.prototype.hasOwnProperty.call(message, "type")) throw NOT_PLAIN;
  const fields: Record<string, unknown> = {};
  let plainJson = true;
  for (const key of Object.keys(message)) {
    if (isMessageInternal(key)) continue;
    const field = (message as Record<string, unknown>)[key];
    if (isDropped(field)) continue;
    // Assigning "__proto__" would set the prototype instead (writeFields leaves it to the long way).
    if (key === "__proto__" || (plainJson && !isPlainJson(field, 0))) plainJson = false;
    else fields[key] = field;
  }
  return plainJson ? JSON.stringify(fields) : writeFields(message, memo, open, isMessageInternal);
}

/**
 * Whether JSON.stringify writes `value` as toApiValue(encodeValue(value)) would be written:
 * primitives (undefined, functions and symbols dropped or null, like the long way; non-finite
 * numbers null), Dates (their ISO text), and arrays and plain objects of those. Depth-limited, so
 * that a cycle answers false rather than overflowing.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "bigint";
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Date.prototype) return !Object.prototype.hasOwnProperty.call(value, "toJSON");
  if (proto !== Object.prototype && proto !== null) return false;
  // A plain object shaped like a message is encoded as one (its lc_ keys dropped): not plain here.
  if (Object.prototype.hasOwnProperty.call(value, "toJSON") || isMessageLike(value)) return false;
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function writeFields(object: object, memo: LiveJsonMemo, open: Set<object>, skip: (key: string) => boolean): string {
  const parts: string[] = [];
  writeFieldsInto(object, memo, parts, open, skip);
  return parts.join("");
}

/** writeFields into the caller's parts: a state's values hold a whole page's worth of text, joined once. */
function writeFieldsInto(object: object, memo: LiveJsonMemo, parts: string[], open: Set<object>, skip: (key: string) => boolean): void {
  open.add(object);
  parts.push("{");
  let first = true;
  for (const key of Object.keys(object)) {
    if (skip(key)) continue;
    // The long way assigns it, which sets a prototype: leave such an object to it.
    if (key === "__proto__") throw NOT_PLAIN;
    const field = (object as Record<string, unknown>)[key];
    if (isDropped(field)) continue;
    parts.push(first ? "" : ",", JSON.stringify(key), ":");
    first = false;
    writeLive(field, memo, parts, open);
  }
  parts.push("}");
  open.delete(object);
}
