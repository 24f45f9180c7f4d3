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

export class ValueWriter {
  private readonly texts = new WeakMap<object, string>();
  private readonly fast: boolean;

  constructor(private readonly serde: SerializerProtocol) {
    this.fast = isJsonPlusSerializer(serde);
  }

  async dump(value: unknown): Promise<[string, Uint8Array]> {
    if (!this.fast) return this.serde.dumpsTyped(value);
    if (Array.isArray(value) && value.length > 0 && value.every((e) => typeof e === "object" && e !== null && !Array.isArray(e))) {
      const parts: string[] = [];
      for (const element of value as object[]) {
        const text = await this.elementText(element);
        if (text === undefined) return this.serde.dumpsTyped(value);
        parts.push(text);
      }
      return ["json", Buffer.from(`[${parts.join(",")}]`)];
    }
    if (isPlainJson(value)) return ["json", Buffer.from(JSON.stringify(value))];
    return this.serde.dumpsTyped(value);
  }

  /** An element object's JSON text, or undefined when the serializer does not write it as JSON text. */
  private async elementText(element: object): Promise<string | undefined> {
    const known = this.texts.get(element);
    if (known !== undefined) return known;
    let text: string;
    if (isPlainJson(element)) {
      text = JSON.stringify(element);
    } else {
      const [type, bytes] = await this.serde.dumpsTyped(element);
      if (type !== "json") return undefined;
      text = Buffer.from(bytes).toString("utf8");
      // The serializer's placeholder for a value it could not write: let the whole value fail.
      if (text.startsWith('"')) return undefined;
    }
    this.texts.set(element, text);
    return text;
  }
}
