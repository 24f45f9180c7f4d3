// LangGraph's metadata (and values) filter. The Agent Server keeps threads in PostgreSQL and filters
// them with JSONB containment, `metadata @> filter`; `langgraph dev` imitates that in memory. This is
// PostgreSQL's rule, which is the one deployed servers apply:
// - an object contains another when each of the other's keys is present and its value contained;
// - an array contains another when each element of the other is contained in some element of it
//   (order and repeats do not matter; `[]` is contained in every array);
// - anything else only equals: a scalar never matches an array or an object that holds it.
// (`langgraph dev` compares arrays index by index, so for it `["a","b"]` does not contain `["b"]`.)

import type { JsonValue } from "./encoding";

export function jsonContains(value: JsonValue | undefined, filter: JsonValue): boolean {
  if (filter === null || typeof filter !== "object") return value === filter;
  if (Array.isArray(filter)) {
    return Array.isArray(value) && filter.every((f) => value.some((v) => jsonContains(v, f)));
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.entries(filter).every(([key, f]) => Object.hasOwn(value, key) && jsonContains(value[key], f));
}
