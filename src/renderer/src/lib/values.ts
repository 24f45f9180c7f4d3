// Reading encoded values (encoding.ts) for display: one-line previews of tags, and a small structural diff
// used for the edit preview before anything is sent to the engine.
import { tagOf, type JsonValue } from "../../../shared/encoding";
import type { DiffEntry, PathSegment } from "../../../shared/types";

export function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A one-line label for a tagged value, or null when the value is not tagged. */
export function tagLabel(value: JsonValue): string | null {
  const tag = tagOf(value);
  if (!tag) return null;
  switch (tag.$type) {
    case "undefined":
      return "undefined";
    case "bigint":
      return `${tag.value}n`;
    case "number":
      return tag.value;
    case "Date":
      return tag.value ?? "Invalid Date";
    case "bytes":
      return `${tag.class}(${tag.length})`;
    case "Map":
      return `Map(${tag.entries.length})`;
    case "Set":
      return `Set(${tag.values.length})`;
    case "RegExp":
      return `/${tag.source}/${tag.flags}`;
    case "Error":
      return `${tag.class}: ${tag.message}`;
    case "message":
      return `${tag.class}`;
    case "instance":
      return tag.class;
    case "object":
      return "Object";
    case "function":
      return `ƒ ${tag.name || "anonymous"}()`;
    case "symbol":
      return `Symbol(${tag.description})`;
    case "ref":
      return `[circular → $${tag.path.map((p) => `.${p}`).join("")}]`;
  }
}

/** What a tagged value expands to in a tree (null for a leaf). */
export function tagChildren(value: JsonValue): Record<string, JsonValue> | JsonValue[] | null {
  const tag = tagOf(value);
  if (!tag) return null;
  switch (tag.$type) {
    case "Map":
      return tag.entries.map(([k, v]) => ({ key: k, value: v }));
    case "Set":
      return tag.values;
    case "message": {
      const { $type: _t, class: _c, ...fields } = tag;
      return fields as Record<string, JsonValue>;
    }
    case "instance":
    case "object":
      return tag.value;
    case "Error":
      return tag.stack ? { message: tag.message, stack: tag.stack } : null;
    default:
      return null;
  }
}

export function preview(value: JsonValue, max = 80): string {
  const label = tagLabel(value);
  if (label !== null) {
    const tag = tagOf(value);
    if (tag?.$type === "message") return `${label} ${preview(tag.content, max - label.length)}`;
    return label;
  }
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (Array.isArray(value)) text = `[${value.slice(0, 3).map((v) => preview(v, 24)).join(", ")}${value.length > 3 ? ", …" : ""}]`;
  else if (isObject(value)) text = `{${Object.keys(value).slice(0, 5).join(", ")}${Object.keys(value).length > 5 ? ", …" : ""}}`;
  else text = String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function idOf(value: unknown): string | null {
  return isObject(value) && typeof value.id === "string" ? value.id : null;
}

/** Added, removed and changed paths between two JSON values; array items with an `id` are matched by it. */
export function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, path: PathSegment[] = []): DiffEntry[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, kind: "added", after: after! }];
  if (after === undefined) return [{ path, kind: "removed", before }];
  if (deepEqual(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const byId = before.every((x) => idOf(x) !== null) && after.every((x) => idOf(x) !== null);
    if (byId) {
      const out: DiffEntry[] = [];
      const old = new Map(before.map((x, i) => [idOf(x)!, { x, i }]));
      after.forEach((x, index) => {
        const id = idOf(x)!;
        out.push(...diffValues(old.get(id)?.x, x, [...path, { id, index }]));
        old.delete(id);
      });
      for (const [id, { x, i }] of old) out.push({ path: [...path, { id, index: i }], kind: "removed", before: x });
      return out;
    }
    const out: DiffEntry[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diffValues(before[i], after[i], [...path, i]));
    return out;
  }
  if (isObject(before) && isObject(after) && tagOf(before)?.$type === tagOf(after)?.$type) {
    const out: DiffEntry[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      out.push(...diffValues(before[key], after[key], [...path, key]));
    }
    return out;
  }
  return [{ path, kind: "changed", before, after }];
}
