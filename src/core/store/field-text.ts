// Which texts of a value are embedded for semantic search: the `fields` of langgraph.json's
// `store.index` (or a put's own `index`), as paths in the grammar LangGraph's stores use —
// "a.b", "list[0]", "list[-1]", "list[*].text", "*", "{title,body.text}", "$" for the whole value.

export type FieldTokens = readonly string[];

/** "chapters[*].content" → ["chapters", "[*]", "content"]; brackets and braces keep their nesting. */
export function tokenizeFieldPath(path: string): string[] {
  const tokens: string[] = [];
  let current = "";
  const flush = () => {
    if (current) tokens.push(current);
    current = "";
  };
  for (let i = 0; i < path.length; ) {
    const char = path[i]!;
    const close = char === "[" ? "]" : char === "{" ? "}" : null;
    if (close) {
      flush();
      let depth = 0;
      let group = "";
      do {
        const c = path[i]!;
        if (c === char) depth++;
        else if (c === close) depth--;
        group += c;
        i++;
      } while (i < path.length && depth > 0);
      tokens.push(group);
      continue;
    }
    if (char === ".") flush();
    else current += char;
    i++;
  }
  flush();
  return tokens;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function leafTexts(value: unknown): string[] {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (value === null || value === undefined || typeof value !== "object") return [];
  return [pretty(value)];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The value at a dotted path inside one `{a,b.c}` selection, or undefined. */
function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const token of tokenizeFieldPath(path)) {
    if (!isObject(current) || !(token in current)) return undefined;
    current = current[token];
  }
  return current;
}

function collect(value: unknown, tokens: FieldTokens, at: number): string[] {
  if (at >= tokens.length) return leafTexts(value);
  const token = tokens[at]!;
  const out: string[] = at === 0 && token === "$" ? [pretty(value)] : [];
  if (token.startsWith("[") && token.endsWith("]")) {
    if (!Array.isArray(value)) return [];
    const index = token.slice(1, -1);
    if (index === "*") {
      for (const item of value) out.push(...collect(item, tokens, at + 1));
    } else {
      let i = Number.parseInt(index, 10);
      if (i < 0) i += value.length;
      if (i >= 0 && i < value.length) out.push(...collect(value[i], tokens, at + 1));
    }
  } else if (token.startsWith("{") && token.endsWith("}")) {
    if (!isObject(value)) return [];
    for (const field of token.slice(1, -1).split(",").map((f) => f.trim())) {
      if (!field) continue;
      const picked = pick(value, field);
      if (picked === undefined) continue;
      if (typeof picked === "string" || typeof picked === "number" || typeof picked === "boolean") out.push(String(picked));
      else if (isObject(picked)) out.push(pretty(picked));
    }
  } else if (token === "*") {
    const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    for (const child of children) out.push(...collect(child, tokens, at + 1));
  } else if (isObject(value) && token in value) {
    out.push(...collect(value[token], tokens, at + 1));
  }
  return out;
}

/** Every text found at `path` in `value`. */
export function textsAt(value: unknown, path: string): string[] {
  if (!path || path === "$") return [pretty(value)];
  return collect(value, tokenizeFieldPath(path), 0);
}
