// The nesting limit for values that cross a boundary (call arguments, request bodies, stored
// metadata). Recursive code (zod, structured clone between threads, serializers) overflows its
// stack on a value nested thousands of levels deep; a RangeError there is a 500 that may already
// have written, and holds memory. So depth is checked first, without recursion, and an over-deep
// value is refused as bad input. README › Security states the limit.

/** Objects and arrays nested deeper than this are refused. */
export const MAX_NESTING_DEPTH = 100;

/** Whether `value` nests objects/arrays deeper than `limit` (iterative: safe on any depth). */
export function nestingExceeds(value: unknown, limit = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    if (depth + 1 > limit) return true;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether JSON text nests deeper than `limit`, read without parsing it: a hostile body is refused
 * before a parser builds it. Brackets inside strings are skipped; malformed text is left to the parser.
 */
export function jsonTextNestingExceeds(text: string, limit = MAX_NESTING_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

export const TOO_DEEP_MESSAGE = `nested deeper than ${MAX_NESTING_DEPTH} levels (the limit for objects and arrays)`;

/**
 * A copy of a stored value cut at `limit` levels, each cut branch replaced by a string saying so:
 * a value stored before the limit existed (or by another program) must never break a listing.
 * Recursion stops at `limit`, so the stack stays small.
 */
export function cutAtDepth(value: unknown, limit = MAX_NESTING_DEPTH, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= limit) return `[${TOO_DEEP_MESSAGE}: not shown]`;
  if (Array.isArray(value)) return value.map((v) => cutAtDepth(v, limit, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutAtDepth(v, limit, depth + 1)]));
}
