// Store values are kept in Threadline's value encoding (src/shared/encoding.ts), so what a graph
// puts comes back as it was: Dates, Maps, bytes, LangChain messages, as langgraph dev's own store
// keeps them. What cannot come back (a function, a symbol, a cycle) is refused before anything is
// written, naming where it sits in the value.

import { encodeValue, formatEncodedPath, tagOf, type EncodedPath, type JsonValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import { reviveForGraph } from "../threads/revive";

const NOT_STORABLE: Record<string, string> = {
  function: "a function",
  symbol: "a symbol",
  ref: "a reference back to an enclosing object (a cycle)",
};

function findUnstorable(json: JsonValue, path: EncodedPath): { path: EncodedPath; what: string } | null {
  if (json === null || typeof json !== "object") return null;
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) {
      const found = findUnstorable(json[i] as JsonValue, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  const tag = tagOf(json);
  if (tag && tag.$type in NOT_STORABLE) return { path, what: NOT_STORABLE[tag.$type]! };
  for (const [key, field] of Object.entries(json)) {
    const found = findUnstorable(field, [...path, key]);
    if (found) return found;
  }
  return null;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** A live value (from a graph) as the JSON text stored for it; INVALID_ARGUMENT when it cannot be stored. */
export function encodeStoreValue(value: unknown): string {
  if (!isPlainRecord(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new ThreadlineError("INVALID_ARGUMENT", `A store value must be an object of fields, got ${kind}`);
  }
  return checkedJson(encodeValue(value));
}

function checkedJson(encoded: JsonValue): string {
  const found = findUnstorable(encoded, []);
  if (found) {
    throw new ThreadlineError(
      "INVALID_ARGUMENT",
      `Cannot store this value: ${formatEncodedPath(found.path)} is ${found.what}, which cannot be serialized; nothing was written`,
    );
  }
  return JSON.stringify(encoded);
}

/** The stored text as the live value a graph reads, with the project's own message classes. */
export function reviveStoreValue(text: string): Record<string, unknown> {
  return reviveForGraph(JSON.parse(text) as JsonValue) as Record<string, unknown>;
}
