// Structural diff of two encoded states, as the added / removed / changed
// paths the UI lists. jsondiffpatch does the matching (array elements with an
// `id`, such as messages, are matched by id, so inserting a message does not
// show every later one as changed); this module maps its delta format to
// DiffEntry paths.

import { create, type Delta } from "jsondiffpatch";
import { tagOf, type JsonValue } from "../../shared/encoding";
import type { DiffEntry, DiffKind, PathSegment } from "../../shared/types";

/**
 * Tags whose inner fields mean nothing on their own (a Date's ISO string, a
 * byte string's base64): a change anywhere in them is one change of the value.
 */
const ATOMIC_TAGS = new Set(["undefined", "bigint", "number", "Date", "bytes", "RegExp", "Error", "function", "symbol", "ref"]);

/** Tags that wrap their fields in `value`: that segment is left out of paths. */
const WRAPPING_TAGS = new Set(["instance", "object"]);

const ATOM_PREFIX = "\u0000tl-atom:";

function itemId(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const id = (item as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

const differ = create({
  // Items without an id fall back to their position, so a list of plain values still diffs per element.
  objectHash: (item, index) => {
    const id = itemId(item);
    return id === undefined ? `$$index:${index ?? 0}` : `id:${id}`;
  },
  arrays: { detectMove: true, includeValueOnMove: false },
  cloneDiffValues: false,
});

/** Atomic tags become opaque strings so that jsondiffpatch compares them whole. */
function pack(value: JsonValue): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(pack);
  const tag = tagOf(value);
  if (tag && ATOMIC_TAGS.has(tag.$type)) return ATOM_PREFIX + JSON.stringify(value);
  const out: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(value)) out[key] = pack(field);
  return out;
}

function unpack(value: unknown): JsonValue {
  if (typeof value === "string" && value.startsWith(ATOM_PREFIX)) {
    return JSON.parse(value.slice(ATOM_PREFIX.length)) as JsonValue;
  }
  if (value === null || typeof value !== "object") return value as JsonValue;
  if (Array.isArray(value)) return value.map(unpack);
  const out: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(value)) out[key] = unpack(field);
  return out;
}

/** How many entries of each kind a diff has. */
export type DiffCounts = Record<DiffKind, number>;

export interface DiffWindow {
  /** Index of the first entry returned (entries before it are only counted). */
  offset?: number;
  /** How many entries to return; all when absent. */
  limit?: number;
}

/**
 * Counts every entry and keeps those of the window, their values decoded only then: a diff of a
 * long thread's first and last states holds thousands of added messages the page never shows.
 */
class Collector {
  readonly entries: DiffEntry[] = [];
  readonly counts: DiffCounts = { added: 0, removed: 0, changed: 0 };
  total = 0;
  private readonly end: number;

  constructor(private readonly start: number, limit: number | undefined) {
    this.end = limit === undefined ? Infinity : start + limit;
  }

  add(path: PathSegment[], kind: DiffKind, before?: () => JsonValue, after?: () => JsonValue): void {
    const index = this.total++;
    this.counts[kind]++;
    if (index < this.start || index >= this.end) return;
    this.entries.push({ path, kind, ...(before ? { before: before() } : {}), ...(after ? { after: after() } : {}) });
  }
}

/** Added, removed and changed paths from `before` to `after` (both encoded), in document order. */
export function diffValues(before: JsonValue, after: JsonValue): DiffEntry[] {
  return diffWindow(before, after).entries;
}

/** The entries of one window of the diff, with the counts of the whole diff. */
export function diffWindow(before: JsonValue, after: JsonValue, window: DiffWindow = {}): { entries: DiffEntry[]; total: number; counts: DiffCounts } {
  const trimmed = trimSharedPrefixes(before, after);
  const packedAfter = pack(trimmed.after);
  const delta = differ.diff(pack(trimmed.before), packedAfter);
  const out = new Collector(window.offset ?? 0, window.limit);
  if (delta !== undefined) walk(delta, packedAfter, [], out, trimmed.offsets);
  return { entries: out.entries, total: out.total, counts: out.counts };
}

/**
 * Cuts the elements two versions of a state's list share from its start (a message list that grew by a
 * step shares all but the new message): matching thousands of messages one by one is most of the cost
 * of a long thread's diff, and they would report nothing. `offsets` puts the positions back.
 */
function trimSharedPrefixes(before: JsonValue, after: JsonValue): { before: JsonValue; after: JsonValue; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  if (!isPlainObject(before) || !isPlainObject(after)) return { before, after, offsets };
  let b: Record<string, JsonValue> | undefined;
  let a: Record<string, JsonValue> | undefined;
  for (const [key, list] of Object.entries(before)) {
    const other = after[key];
    if (!Array.isArray(list) || !Array.isArray(other)) continue;
    let shared = 0;
    while (shared < list.length && shared < other.length && JSON.stringify(list[shared]) === JSON.stringify(other[shared])) shared++;
    if (shared === 0) continue;
    (b ??= { ...before })[key] = list.slice(shared);
    (a ??= { ...after })[key] = other.slice(shared);
    offsets.set(key, shared);
  }
  return { before: b ?? before, after: a ?? after, offsets };
}

function isPlainObject(value: JsonValue): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !tagOf(value);
}

function isArrayDelta(delta: Delta): delta is Extract<Delta, { _t: "a" }> {
  return typeof delta === "object" && delta !== null && !Array.isArray(delta) && (delta as { _t?: unknown })._t === "a";
}

/** `offsets`: for top-level lists cut by trimSharedPrefixes, how many elements were cut. */
function walk(delta: Delta, after: unknown, path: PathSegment[], out: Collector, offsets?: Map<string, number>): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    leaf(delta, path, out);
    return;
  }
  if (isArrayDelta(delta)) {
    const offset = path.length === 1 && typeof path[0] === "string" ? (offsets?.get(path[0]) ?? 0) : 0;
    walkArray(delta, Array.isArray(after) ? after : [], path, out, offset);
    return;
  }
  const container = typeof after === "object" && after !== null ? (after as Record<string, unknown>) : {};
  const wraps = WRAPPING_TAGS.has(String(container.$type));
  for (const [key, child] of Object.entries(delta as Record<string, Delta>)) {
    const childPath = wraps && key === "value" ? path : [...path, key];
    walk(child, container[key], childPath, out, path.length === 0 ? offsets : undefined);
  }
}

function walkArray(delta: Extract<Delta, { _t: "a" }>, after: unknown[], path: PathSegment[], out: Collector, offset: number): void {
  const record = delta as unknown as Record<string, Delta>;
  const removed: [number, Delta][] = [];
  const present: [number, Delta][] = [];
  for (const [key, child] of Object.entries(record)) {
    if (key === "_t") continue;
    if (key.startsWith("_")) removed.push([Number(key.slice(1)), child]);
    else present.push([Number(key), child]);
  }
  for (const [index, child] of removed.sort((a, b) => a[0] - b[0])) {
    if (!Array.isArray(child) || child[2] !== 0) continue; // a move: the item is still there
    out.add([...path, segment(child[0], offset + index)], "removed", () => unpack(child[0]));
  }
  for (const [index, child] of present.sort((a, b) => a[0] - b[0])) {
    const item = after[index];
    walk(child, item, [...path, segment(item, offset + index)], out);
  }
}

function segment(item: unknown, index: number): PathSegment {
  const id = itemId(item);
  return id === undefined ? index : { id, index };
}

function leaf(delta: unknown[], path: PathSegment[], out: Collector): void {
  if (delta.length === 1) {
    out.add(path, "added", undefined, () => unpack(delta[0]));
  } else if (delta.length === 2) {
    out.add(path, "changed", () => unpack(delta[0]), () => unpack(delta[1]));
  } else if (delta[2] === 0) {
    out.add(path, "removed", () => unpack(delta[0]));
  }
  // [_, _, 2] is a text diff (not enabled) and [_, _, 3] a move, reported where the item lands.
}
