/**
 * The bytes LangGraph's JSON serializer would write, made cheaper. Its `dumpsTyped` first walks the
 * value for cycles, then runs JSON.stringify with a replacer called for every key, which keeps V8
 * off its fast path; and a message is serialized again for each row that holds it (its pending
 * write, the delta that appends it, keyframes, snapshots). Here, with LangGraph's own serializer:
 *
 * - a value made only of plain objects, arrays, strings, finite numbers, booleans and null (which
 *   that replacer passes through unchanged) goes straight to JSON.stringify: the same text;
 * - an array of objects is written element by element, and each element object's text is kept
 *   (weakly, by identity) for the next row that holds the same object. The text of `[a, b]` is
 *   `[` + text of a + `,` + text of b + `]` for this serializer, whose replacer ignores keys.
 *
 * Keeping texts by identity relies on what delta.ts already relies on: LangGraph state is not
 * mutated in place between steps (reducers build new arrays around the same element objects). A
 * message object changed in place after it was first stored would be stored again as it was.
 * Anything else, and any other serializer, goes through `serde.dumpsTyped` unchanged.
 */
import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { isJsonPlusSerializer } from "./delta";

/** Deeper values are left to the serializer (which also copes with cycles). */
const MAX_PLAIN_DEPTH = 32;

function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (depth >= MAX_PLAIN_DEPTH) return false;
      if (Array.isArray(value)) {
        for (const element of value) if (!isPlainJson(element, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      // toJSON and undefined would both be handled by the replacer, differently from JSON.stringify.
      if ("toJSON" in (value as object)) return false;
      for (const key in value as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** LangGraph's JsonPlusSerializer keeps its synchronous core in `_dumps`; its `dumpsTyped` is async only by signature. */
interface SyncJsonPlus {
  _dumps(value: unknown): Uint8Array;
}

function syncDumpsOf(serde: SerializerProtocol): ((value: unknown) => Uint8Array) | undefined {
  const dumps = (serde as Partial<SyncJsonPlus>)._dumps;
  return isJsonPlusSerializer(serde) && typeof dumps === "function" ? (value) => dumps.call(serde, value) : undefined;
}

export class ValueWriter {
  private readonly texts = new WeakMap<object, string>();
  private readonly fast: boolean;
  private readonly syncDumps: ((value: unknown) => Uint8Array) | undefined;

  constructor(private readonly serde: SerializerProtocol) {
    this.fast = isJsonPlusSerializer(serde);
    this.syncDumps = syncDumpsOf(serde);
  }

  /**
   * The same bytes as `dump`, computed without awaiting: a put calls this for every value, and
   * inside a LangGraph run every promise costs more than it seems (LangChain's AsyncLocalStorage
   * hooks each one). Undefined when only the serializer's asynchronous `dumpsTyped` can tell.
   */
  dumpNow(value: unknown): [string, Uint8Array] | undefined {
    const dumps = this.syncDumps;
    if (dumps === undefined) return undefined;
    // What JsonPlusSerializer.dumpsTyped does before calling _dumps.
    if (value instanceof Uint8Array) return ["bytes", value];
    if (isObjectArray(value)) {
      const parts: string[] = [];
      for (const element of value) {
        const text = this.elementTextNow(element, dumps);
        if (text === undefined) return ["json", dumps(value)];
        parts.push(text);
      }
      return ["json", Buffer.from(`[${parts.join(",")}]`)];
    }
    if (isPlainJson(value)) return ["json", Buffer.from(JSON.stringify(value))];
    return ["json", dumps(value)];
  }

  async dump(value: unknown): Promise<[string, Uint8Array]> {
    const now = this.dumpNow(value);
    if (now !== undefined) return now;
    if (!this.fast) return this.serde.dumpsTyped(value);
    if (isObjectArray(value)) {
      const parts: string[] = [];
      for (const element of value) {
        const text = await this.elementText(element);
        if (text === undefined) return this.serde.dumpsTyped(value);
        parts.push(text);
      }
      return ["json", Buffer.from(`[${parts.join(",")}]`)];
    }
    if (isPlainJson(value)) return ["json", Buffer.from(JSON.stringify(value))];
    return this.serde.dumpsTyped(value);
  }

  private elementTextNow(element: object, dumps: (value: unknown) => Uint8Array): string | undefined {
    const known = this.texts.get(element);
    if (known !== undefined) return known;
    if (isPlainJson(element)) return this.keepText(element, JSON.stringify(element));
    return this.keepText(element, serializableText(element) ?? textOf(dumps(element)));
  }

  /** An element object's JSON text, or undefined when the serializer does not write it as JSON text. */
  private async elementText(element: object): Promise<string | undefined> {
    const known = this.texts.get(element);
    if (known !== undefined) return known;
    if (isPlainJson(element)) return this.keepText(element, JSON.stringify(element));
    const [type, bytes] = await this.serde.dumpsTyped(element);
    return type === "json" ? this.keepText(element, textOf(bytes)) : undefined;
  }

  private keepText(element: object, text: string): string | undefined {
    // The serializer's placeholder for a value it could not write: let the whole value fail.
    if (text.startsWith('"')) return undefined;
    this.texts.set(element, text);
    return text;
  }
}

/**
 * A LangChain object's text (a message: `{ lc: 1, type: "constructor", id, kwargs }`) from its own
 * `toJSON`, when that is plain JSON. JSON.stringify calls `toJSON` first and hands its result to
 * the serializer's replacer, which passes plain JSON through unchanged, so the text is the
 * serializer's, without its cycle walk over the object's fields and its replacer call per key
 * (about two thirds of the cost of a message). The one difference is a cycle among the object's
 * arguments: the serializer's walk writes it as "[Circular]", `toJSON` as a "not_implemented"
 * record; any such record sends the object to the serializer.
 */
function serializableText(element: object): string | undefined {
  const candidate = element as { lc_namespace?: unknown; toJSON?: unknown };
  if (!Array.isArray(candidate.lc_namespace) || typeof candidate.toJSON !== "function") return undefined;
  const json = (candidate.toJSON as (key: string) => unknown).call(element, "");
  if (!isPlainJson(json)) return undefined;
  const text = JSON.stringify(json);
  return text.includes('"not_implemented"') ? undefined : text;
}

function isObjectArray(value: unknown): value is object[] {
  return Array.isArray(value) && value.length > 0 && value.every((e) => typeof e === "object" && e !== null && !Array.isArray(e));
}

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
