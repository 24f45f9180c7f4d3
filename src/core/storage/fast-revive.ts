/**
 * A synchronous equivalent of LangGraph's JsonPlusSerializer reviver for the documents a
 * LangGraph agent writes most: lists of LangChain messages.
 *
 * The serializer revives bottom-up through promises, and hands each `lc: 1` object to
 * @langchain/core's `load`, which stringifies it, parses it again, walks it once more through
 * promises and computes the class's key aliases, before it calls the constructor. On a history
 * page of a long conversation that is most of the read. This module makes the same constructor
 * call with the same arguments without any of that, for the shapes it can prove equivalent:
 *
 * - `{lc: 2, type: "undefined"}` becomes undefined, as in the serializer;
 * - `{lc: 1, type: "constructor", id: ["langchain_core", "messages", Name], kwargs}` becomes
 *   `new Name(kwargs with keys mapped as load maps them)`, Name taken from the same
 *   @langchain/core/messages module that `load`'s import map resolves to, when the kwargs (after
 *   the JSON round trip `load` applies) hold nothing `load` would treat specially: no `lc` key, no
 *   escaped object, no `__proto__` key, and no nesting deeper than `load` allows.
 *
 * Anything else (Sets, Maps, Errors, other LangChain classes, secrets, ...) makes the whole
 * document go through the serializer itself, so the result is always what the serializer would
 * have returned. The equivalence is tested value by value against the serializer
 * (fast-revive.test.ts).
 */

/** Thrown inside the walk when a shape is not one this module handles. */
const UNSUPPORTED: unique symbol = Symbol("unsupported");

/** `load` refuses to go deeper than 50 levels; stay well inside that. */
const MAX_KWARGS_DEPTH = 40;

type MessagesModule = Record<string, unknown>;
type Builder = new (fields: Record<string, unknown>) => object;

/** The inverted `lc_aliases` of a class and its ancestors, as `load` computes them. */
const aliasesByBuilder = new WeakMap<Builder, Record<string, string>>();

function invertedAliases(builder: Builder): Record<string, string> {
  let inverted = aliasesByBuilder.get(builder);
  if (inverted) return inverted;
  const aliases: Record<string, string> = {};
  for (let current: unknown = builder; current && (current as { prototype?: unknown }).prototype; current = Object.getPrototypeOf(current)) {
    Object.assign(aliases, Reflect.get((current as { prototype: object }).prototype, "lc_aliases"));
  }
  inverted = {};
  for (const [key, value] of Object.entries(aliases)) inverted[value] = key;
  aliasesByBuilder.set(builder, inverted);
  return inverted;
}

/** @langchain/core's camelCase for serialised keys (load/map_keys), remembered per key. */
const camelKeys = new Map<string, string>();

function camelCase(key: string): string {
  let camel = camelKeys.get(key);
  if (camel !== undefined) return camel;
  const trimmed = key.trim();
  camel = /[-_\s]/.test(trimmed)
    ? trimmed
        .replace(/[-_\s]+/g, "_")
        .toLowerCase()
        .replace(/_+([a-z0-9])/g, (_match, char: string) => char.toUpperCase())
    : trimmed;
  if (camelKeys.size < 10_000) camelKeys.set(key, camel);
  return camel;
}

/**
 * JSON.parse(JSON.stringify(value)) for a revived value, as `load` receives it: undefined dropped
 * from objects and null in arrays. Throws UNSUPPORTED for anything whose JSON text `load` would
 * treat specially or that JSON would turn into something else: a class instance (a message nested
 * in a message, a Date), an `lc` or escaped object, a `__proto__` key, nesting deeper than `load`
 * allows.
 */
function jsonCopy(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "object" || depth > MAX_KWARGS_DEPTH) throw UNSUPPORTED;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined ? null : jsonCopy(item, depth + 1);
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw UNSUPPORTED;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === "lc" || key === "__lc_escaped__" || key === "__proto__") throw UNSUPPORTED;
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = jsonCopy(field, depth + 1);
  }
  return out;
}

class Reviver {
  /** Classes whose `name` has been set the way `load` sets it. */
  private readonly named = new Set<Builder>();

  constructor(private readonly messages: MessagesModule) {}

  revive(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.revive(value[i]);
      return out;
    }
    const record: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // The serializer assigns, which for "__proto__" would set the prototype: leave that to it.
      if (key === "__proto__") throw UNSUPPORTED;
      record[key] = this.revive((value as Record<string, unknown>)[key]);
    }
    if (record.lc === 2) {
      if (record.type === "undefined") return undefined;
      throw UNSUPPORTED;
    }
    if (record.lc === 1 && record.type === "constructor" && Array.isArray(record.id)) return this.construct(record);
    return record;
  }

  /** What `load(JSON.stringify(record))` returns, for a message constructor record. */
  private construct(record: Record<string, unknown>): object {
    const id = record.id as unknown[];
    if (id.length !== 3 || id[0] !== "langchain_core" || id[1] !== "messages") throw UNSUPPORTED;
    const name = id[2];
    if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(this.messages, name)) throw UNSUPPORTED;
    const builder = this.messages[name];
    if (typeof builder !== "function") throw UNSUPPORTED;
    // Plain objects only: JSON would drop an undefined kwargs, and load then walks the record as data.
    const kwargs = record.kwargs;
    if (kwargs === null || typeof kwargs !== "object" || Array.isArray(kwargs)) throw UNSUPPORTED;
    const json = jsonCopy(kwargs, 2) as Record<string, unknown>;
    const aliases = invertedAliases(builder as Builder);
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(json)) fields[aliases[key] || camelCase(key)] = json[key];
    const instance = new (builder as Builder)(fields);
    const ctor = (instance as { constructor: Builder }).constructor;
    if (!this.named.has(ctor)) {
      Object.defineProperty(ctor, "name", { value: name });
      this.named.add(ctor);
    }
    return instance;
  }
}

const revivers = new WeakMap<MessagesModule, Reviver>();

/**
 * The serializer's result for a parsed JSON document, or undefined when the document holds a
 * shape this module leaves to the serializer.
 */
export function reviveSync(parsed: unknown, messages: MessagesModule): { value: unknown } | undefined {
  let reviver = revivers.get(messages);
  if (!reviver) revivers.set(messages, (reviver = new Reviver(messages)));
  try {
    return { value: reviver.revive(parsed) };
  } catch {
    // UNSUPPORTED, or a constructor that threw: the serializer gives the authoritative result or error.
    return undefined;
  }
}
