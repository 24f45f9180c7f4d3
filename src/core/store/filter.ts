// The `filter` of a store search, with the meaning LangGraph's InMemoryStore (and so `langgraph dev`)
// gives it: each key names a top-level field of the value; a plain value matches by strict
// equality, an object of operators ($eq $ne $gt $gte $lt $lte $in $nin) matches when all hold.
// Evaluated on the live value, so that a stored Date or number compares as the graph's own would.

const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"]);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.keys(value).every((key) => OPERATORS.has(key));
}

function holds(op: string, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case "$eq":
      return actual === expected;
    case "$ne":
      return actual !== expected;
    case "$gt":
      return Number(actual) > Number(expected);
    case "$gte":
      return Number(actual) >= Number(expected);
    case "$lt":
      return Number(actual) < Number(expected);
    case "$lte":
      return Number(actual) <= Number(expected);
    case "$in":
      return Array.isArray(expected) && expected.includes(actual);
    case "$nin":
      return !Array.isArray(expected) || !expected.includes(actual);
    default:
      return false;
  }
}

function fieldMatches(actual: unknown, expected: unknown): boolean {
  if (isOperatorObject(expected)) return Object.keys(expected).every((op) => holds(op, actual, expected[op]));
  return actual === expected;
}

export type StoreFilter = Record<string, unknown>;

export function matchesFilter(value: Record<string, unknown>, filter: StoreFilter | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([field, expected]) => fieldMatches(value[field], expected));
}
