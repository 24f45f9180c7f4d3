// One JSON encoding for the values a graph's state holds that plain JSON
// loses: LangChain messages, bytes, Dates, Maps, Sets, undefined, bigint,
// NaN/Infinity, class instances (by class name) and cycles. Every value that
// crosses a process boundary (state values, updates, inputs, events) uses it,
// so that browser mode and the desktop app show the same thing.
//
// A tagged value is a JSON object whose "$type" key names the tag. A plain
// object that happens to own a "$type" key is wrapped in an "object" tag so
// that it can never be mistaken for one.
//
// Messages are recognised structurally (an `lc_namespace` containing
// "messages", a string `type` and a `content`), so that this module need not
// load @langchain/core, which would weigh on the renderer's bundle.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const TYPE_KEY = "$type";

/** A path into the encoded JSON tree: object keys and array indices. */
export type EncodedPath = (string | number)[];

export type TaggedValue =
  | { $type: "undefined" }
  | { $type: "bigint"; value: string }
  | { $type: "number"; value: "NaN" | "Infinity" | "-Infinity" }
  | { $type: "Date"; value: string | null }
  | { $type: "bytes"; class: string; base64: string; length: number }
  | { $type: "Map"; entries: [JsonValue, JsonValue][] }
  | { $type: "Set"; values: JsonValue[] }
  | { $type: "RegExp"; source: string; flags: string }
  | { $type: "Error"; class: string; message: string; stack?: string }
  | ({ $type: "message"; class: string; type: string; content: JsonValue; id?: string } & JsonObject)
  | { $type: "instance"; class: string; value: JsonObject }
  | { $type: "object"; value: JsonObject }
  | { $type: "function"; name: string }
  | { $type: "symbol"; description: string }
  | { $type: "ref"; path: EncodedPath };

export type TagName = TaggedValue["$type"];

const TAG_NAMES: ReadonlySet<string> = new Set<TagName>([
  "undefined",
  "bigint",
  "number",
  "Date",
  "bytes",
  "Map",
  "Set",
  "RegExp",
  "Error",
  "message",
  "instance",
  "object",
  "function",
  "symbol",
  "ref",
]);

/** Fields of a message that belong to LangChain's serialisation machinery, not to the message. */
export const MESSAGE_INTERNAL_KEYS: ReadonlySet<string> = new Set(["lc_serializable", "lc_kwargs", "lc_namespace", "lc_direct_tool_output"]);

// ---------------------------------------------------------------------------
// encode

/**
 * Encodings of messages already encoded, for encoding many values that hold the same message
 * instances (the states of one history page) with each message encoded once. Only for one batch
 * of reads: a message must not change while the memo lives. Results then share the memoised
 * objects, so treat them as immutable (they are meant to be serialised and sent).
 */
export type EncodeMemo = WeakMap<object, JsonValue>;

export function encodeValue(value: unknown, memo?: EncodeMemo): JsonValue {
  return new Encoder(memo).encode(value, null);
}

/**
 * Where the encoder is, as a chain of parents: built for every value, but turned into an
 * EncodedPath only when a cycle needs one (most values never do).
 */
interface PathNode {
  parent: PathNode | null;
  key: string | number;
}

function at(path: PathNode | null, ...keys: (string | number)[]): PathNode {
  let node = path;
  for (const key of keys) node = { parent: node, key };
  return node!;
}

function materialize(node: PathNode | null): EncodedPath {
  const path: EncodedPath = [];
  for (let n = node; n !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}

class Encoder {
  /** Objects being encoded, on the current path only: a second visit is a cycle. */
  private readonly open = new Map<object, PathNode | null>();
  /** Refs written so far: an encoding that wrote none does not depend on where it sits. */
  private refs = 0;

  constructor(private readonly memo?: EncodeMemo) {}

  encode(value: unknown, path: PathNode | null): JsonValue {
    switch (typeof value) {
      case "undefined":
        return { $type: "undefined" };
      case "boolean":
      case "string":
        return value;
      case "number":
        if (Number.isFinite(value)) return value;
        return { $type: "number", value: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
      case "bigint":
        return { $type: "bigint", value: value.toString() };
      case "symbol":
        return { $type: "symbol", description: value.description ?? "" };
      case "function":
        return { $type: "function", name: value.name };
      case "object":
        if (value === null) return null;
        return this.encodeObject(value, path);
    }
    return null;
  }

  private encodeObject(value: object, path: PathNode | null): JsonValue {
    if (this.open.has(value)) {
      this.refs++;
      return { $type: "ref", path: materialize(this.open.get(value) ?? null) };
    }
    const memo = this.memo && isMessageLike(value) ? this.memo : undefined;
    const known = memo?.get(value);
    if (known !== undefined) return known;
    const refsBefore = this.refs;
    this.open.set(value, path);
    try {
      const encoded = this.encodeFresh(value, path);
      // A ref holds an absolute path, so an encoding that wrote one is only right where it is.
      if (memo && this.refs === refsBefore) memo.set(value, encoded);
      return encoded;
    } finally {
      this.open.delete(value);
    }
  }

  private encodeFresh(value: object, path: PathNode | null): JsonValue {
    if (Array.isArray(value)) {
      const out = new Array<JsonValue>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.encode(value[i], { parent: path, key: i });
      return out;
    }
    if (value instanceof Date) {
      return { $type: "Date", value: Number.isNaN(value.getTime()) ? null : value.toISOString() };
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return encodeBytes(value);
    if (value instanceof Map) {
      return {
        $type: "Map",
        entries: [...value].map(([k, v], i) => [
          this.encode(k, at(path, "entries", i, 0)),
          this.encode(v, at(path, "entries", i, 1)),
        ]),
      };
    }
    if (value instanceof Set) {
      return { $type: "Set", values: [...value].map((v, i) => this.encode(v, at(path, "values", i))) };
    }
    if (value instanceof RegExp) return { $type: "RegExp", source: value.source, flags: value.flags };
    if (value instanceof Error) {
      const encoded: TaggedValue = { $type: "Error", class: className(value, "Error"), message: value.message };
      if (value.stack) encoded.stack = value.stack;
      return encoded;
    }
    if (isMessageLike(value)) return this.encodeMessage(value, path);
    if (isPlainObject(value)) {
      if (Object.prototype.hasOwnProperty.call(value, TYPE_KEY)) {
        return { $type: "object", value: this.encodeFields(value, { parent: path, key: "value" }) };
      }
      return this.encodeFields(value, path);
    }
    const isLangChain = Array.isArray((value as { lc_namespace?: unknown }).lc_namespace);
    return {
      $type: "instance",
      class: className(value, "Object"),
      value: this.encodeFields(value, { parent: path, key: "value" }, isLangChain ? MESSAGE_INTERNAL_KEYS : undefined),
    };
  }

  private encodeMessage(value: object, path: PathNode | null): JsonValue {
    const fields = this.encodeFields(value, path, MESSAGE_INTERNAL_KEYS);
    if (typeof fields.type !== "string") fields.type = messageTypeOf(value) ?? null;
    return { ...fields, $type: "message", class: className(value, "BaseMessage") };
  }

  /** Own enumerable string keys; undefined fields are dropped, as JSON.stringify drops them. */
  private encodeFields(value: object, path: PathNode | null, skip?: ReadonlySet<string>): JsonObject {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (skip?.has(key)) continue;
      const field = (value as Record<string, unknown>)[key];
      if (field === undefined && skip) continue;
      out[key] = this.encode(field, { parent: path, key });
    }
    return out;
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || proto === Object.prototype) return true;
  // An object from another realm (a vm context, a worker's structured clone) is still plain.
  return Object.getPrototypeOf(proto) === null && className(value, "") === "Object";
}

function className(value: object, fallback: string): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name ? ctor.name : fallback;
}

/** A LangChain message (BaseMessage or a chunk), recognised by shape. */
export function isMessageLike(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { lc_namespace?: unknown };
  return Array.isArray(v.lc_namespace) && v.lc_namespace.includes("messages") && messageTypeOf(value) !== undefined && "content" in value;
}

/** A message's type ("human", "ai"…): its `type` field, or _getType() in LangChain before 1.0, which has no such field. */
export function messageTypeOf(value: object): string | undefined {
  const v = value as { type?: unknown; _getType?: unknown };
  if (typeof v.type === "string") return v.type;
  if (typeof v._getType !== "function") return undefined;
  const type: unknown = (v._getType as () => unknown).call(value);
  return typeof type === "string" ? type : undefined;
}

function encodeBytes(value: ArrayBuffer | ArrayBufferView): TaggedValue {
  const bytes =
    value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return { $type: "bytes", class: className(value, "Uint8Array"), base64: bytesToBase64(bytes), length: bytes.length };
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---------------------------------------------------------------------------
// decode (display) and revive (live values)

/** The tag of an encoded value, or undefined for plain JSON. */
export function tagOf(value: unknown): TaggedValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const tag = (value as Record<string, unknown>)[TYPE_KEY];
  return typeof tag === "string" && TAG_NAMES.has(tag) ? (value as TaggedValue) : undefined;
}

export class EncodingError extends Error {
  override readonly name = "EncodingError";
}

/**
 * Checks that `json` is an encoded value and returns it as display-ready
 * data: plain JSON with its tags kept (a Date stays `{"$type":"Date",...}`),
 * which a JSON tree or a chat view can render without knowing any class.
 * Throws EncodingError naming the path of the first malformed tag.
 */
export function decodeValue(json: unknown): JsonValue {
  validate(json, []);
  return json as JsonValue;
}

function validate(value: unknown, path: EncodedPath): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new EncodingError(`not JSON at ${formatEncodedPath(path)}: ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => validate(item, [...path, i]));
    return;
  }
  if (typeof value !== "object") throw new EncodingError(`not JSON at ${formatEncodedPath(path)}: ${typeof value}`);
  const record = value as Record<string, unknown>;
  const tag = record[TYPE_KEY];
  if (tag !== undefined && (typeof tag !== "string" || !TAG_NAMES.has(tag))) {
    throw new EncodingError(`unknown $type ${JSON.stringify(tag)} at ${formatEncodedPath(path)}`);
  }
  for (const [key, field] of Object.entries(record)) validate(field, [...path, key]);
}

export interface Revivers {
  /** Builds a message from its fields (type, content, id, tool_calls…); the default keeps a plain message-like object. */
  message?: (fields: Record<string, unknown>, className: string) => unknown;
  /** Builds a class instance; the default returns its fields as a plain object. */
  instance?: (className: string, fields: Record<string, unknown>) => unknown;
}

/**
 * Turns an encoded value back into live JavaScript values: Date, Map, Set,
 * Uint8Array (or the typed array it was), bigint, undefined, NaN, cycles.
 * Messages become `{type, content, id, …}` objects, which LangGraph's
 * messages reducer accepts as messages, unless `revivers.message` builds
 * real classes (the engine does, with the project's own LangChain).
 */
export function reviveValue(json: JsonValue, revivers: Revivers = {}): unknown {
  return new Reviver(revivers).revive(json, []);
}

class Reviver {
  private readonly byPath = new Map<string, unknown>();

  constructor(private readonly revivers: Revivers) {}

  revive(value: JsonValue, path: EncodedPath): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      this.byPath.set(pathKey(path), out);
      value.forEach((item, i) => out.push(this.revive(item, [...path, i])));
      return out;
    }
    const tag = tagOf(value);
    if (!tag) return this.reviveFields(value, path, {});
    try {
      return this.reviveTagged(tag, path);
    } catch (error) {
      if (error instanceof EncodingError) throw error;
      throw new EncodingError(`malformed ${tag.$type} at ${formatEncodedPath(path)}: ${(error as Error).message}`);
    }
  }

  private reviveFields(value: JsonObject, path: EncodedPath, out: Record<string, unknown>): Record<string, unknown> {
    this.byPath.set(pathKey(path), out);
    for (const [key, field] of Object.entries(value)) out[key] = this.revive(field, [...path, key]);
    return out;
  }

  private reviveTagged(tag: TaggedValue, path: EncodedPath): unknown {
    const shape = TAG_SHAPES[tag.$type];
    for (const [field, kind] of Object.entries(shape)) {
      const actual = (tag as unknown as Record<string, unknown>)[field];
      const ok = kind === "array" ? Array.isArray(actual) : kind === "string?" ? actual === null || typeof actual === "string" : typeof actual === kind;
      if (!ok) throw new EncodingError(`malformed ${tag.$type} at ${formatEncodedPath(path)}: ${field} should be ${kind}`);
    }
    switch (tag.$type) {
      case "undefined":
        return undefined;
      case "bigint":
        return BigInt(tag.value);
      case "number":
        return Number(tag.value);
      case "Date":
        return new Date(tag.value ?? Number.NaN);
      case "bytes":
        return reviveBytes(tag);
      case "RegExp":
        return new RegExp(tag.source, tag.flags);
      case "Error": {
        const error = new Error(tag.message);
        if (tag.class !== "Error") Object.defineProperty(error, "name", { value: tag.class, enumerable: false });
        if (tag.stack !== undefined) error.stack = tag.stack;
        return error;
      }
      case "Map": {
        const map = new Map<unknown, unknown>();
        this.byPath.set(pathKey(path), map);
        tag.entries.forEach(([k, v], i) =>
          map.set(this.revive(k, [...path, "entries", i, 0]), this.revive(v, [...path, "entries", i, 1])),
        );
        return map;
      }
      case "Set": {
        const set = new Set<unknown>();
        this.byPath.set(pathKey(path), set);
        tag.values.forEach((v, i) => set.add(this.revive(v, [...path, "values", i])));
        return set;
      }
      case "message": {
        const { $type: _tag, class: cls, ...fields } = tag;
        const revived = this.reviveFields(fields, path, {});
        return this.revivers.message ? this.revivers.message(revived, cls) : revived;
      }
      case "instance": {
        // A cycle refers to the instance by its own path; inside its own fields
        // that can only be the fields object (a reviver builds the instance after).
        const fields: Record<string, unknown> = {};
        this.byPath.set(pathKey(path), fields);
        this.reviveFields(tag.value, [...path, "value"], fields);
        const instance = this.revivers.instance ? this.revivers.instance(tag.class, fields) : fields;
        this.byPath.set(pathKey(path), instance);
        return instance;
      }
      case "object": {
        const out: Record<string, unknown> = {};
        this.byPath.set(pathKey(path), out);
        return this.reviveFields(tag.value, [...path, "value"], out);
      }
      case "function":
      case "symbol":
        // Neither can cross a process boundary; what the user saw was only a label.
        return undefined;
      case "ref":
        return this.byPath.get(pathKey(tag.path));
    }
  }
}

/** The fields each tag needs before it can be revived. */
const TAG_SHAPES: Record<TagName, Record<string, "string" | "string?" | "number" | "array" | "object">> = {
  undefined: {},
  bigint: { value: "string" },
  number: { value: "string" },
  Date: { value: "string?" },
  bytes: { class: "string", base64: "string" },
  Map: { entries: "array" },
  Set: { values: "array" },
  RegExp: { source: "string", flags: "string" },
  Error: { class: "string", message: "string" },
  message: { class: "string", type: "string" },
  instance: { class: "string", value: "object" },
  object: { value: "object" },
  function: {},
  symbol: {},
  ref: { path: "array" },
};

const TYPED_ARRAYS: Record<string, (buffer: ArrayBuffer) => ArrayBufferView> = {
  Int8Array: (b) => new Int8Array(b),
  Uint8ClampedArray: (b) => new Uint8ClampedArray(b),
  Int16Array: (b) => new Int16Array(b),
  Uint16Array: (b) => new Uint16Array(b),
  Int32Array: (b) => new Int32Array(b),
  Uint32Array: (b) => new Uint32Array(b),
  Float32Array: (b) => new Float32Array(b),
  Float64Array: (b) => new Float64Array(b),
  BigInt64Array: (b) => new BigInt64Array(b),
  BigUint64Array: (b) => new BigUint64Array(b),
  DataView: (b) => new DataView(b),
};

function reviveBytes(tag: Extract<TaggedValue, { $type: "bytes" }>): unknown {
  const bytes = base64ToBytes(tag.base64);
  if (tag.class === "ArrayBuffer") return bytes.buffer;
  const make = TYPED_ARRAYS[tag.class];
  // Buffer and Uint8Array both revive as Uint8Array: Buffer does not exist outside Node.
  return make ? make(bytes.buffer as ArrayBuffer) : bytes;
}

function pathKey(path: EncodedPath): string {
  return JSON.stringify(path);
}

export function formatEncodedPath(path: EncodedPath): string {
  return (
    "$" +
    path.map((seg) => (typeof seg === "number" ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`)).join("")
  );
}
