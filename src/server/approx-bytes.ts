// About how much memory a JSON-like value holds, for logs kept by size rather than by count: a
// count says nothing when one event carries a 5 MB state. Iterative, so any depth is safe; UTF-16
// strings at two bytes a character, a small fixed cost per number, key and element.

const SLOT = 8;

export function approxBytes(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === "string") total += SLOT + current.length * 2;
    else if (current === null || typeof current !== "object") total += SLOT;
    else if (Array.isArray(current)) {
      total += SLOT * (2 + current.length);
      for (const item of current) stack.push(item);
    } else {
      for (const key of Object.keys(current)) {
        total += SLOT * 2 + key.length * 2;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return total;
}

export const MB = 1024 * 1024;
