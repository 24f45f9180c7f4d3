/**
 * Append-delta storage for array channels such as `messages`.
 *
 * A version whose array starts with exactly the elements of its parent's version is stored as the
 * appended elements only, pointing at a base version. Reading walks the base pointers back to a
 * whole snapshot and concatenates. Two rules keep both the file and the walk small:
 *
 * - Snapshots are written when the deltas since the last snapshot outweigh it, so snapshot bytes
 *   grow geometrically and total storage stays linear in the thread's length.
 * - Every KEYFRAME_INTERVAL versions a "keyframe" delta spans back to the previous keyframe instead
 *   of the previous version, so a read walks at most (depth / KEYFRAME_INTERVAL + KEYFRAME_INTERVAL)
 *   rows; MAX_DEPTH forces a snapshot so that bound holds on any thread.
 *
 * Whether the new array extends the old one is decided by element identity against a cached copy
 * of the parent's element list: LangGraph reducers build a new array around the same element
 * objects, so the check costs one pointer comparison per element and no serialization. Without a
 * cache entry (another process wrote the parent, the cache evicted it, a fork) the value is stored
 * whole, which is always exact. Identity cannot detect an element object mutated in place after it
 * was put; LangGraph state is meant to be immutable between steps, so that risk is accepted.
 */
import { JsonPlusSerializer, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import * as ourMessages from "@langchain/core/messages";
import type { ChannelVersion } from "./versions";
import { reviveSync } from "./fast-revive";
import { unpack } from "./compress";
import { StorageError } from "./errors";
import { all, andThen, type MaybePromise } from "./maybe-async";

type MessagesModule = Record<string, unknown>;

export const KEYFRAME_INTERVAL = 16;
export const MAX_DEPTH = 1024;
const CACHE_CAPACITY = 64;
/** Element references the cache may hold in all, so a few huge lists cannot pin much memory. */
const CACHE_ELEMENT_BUDGET = 1_000_000;
/**
 * Stored bytes of the lists the cache may hold in all (each list counted whole, though consecutive
 * versions share their elements). By count alone, 64 versions of a thread with long messages pinned
 * the messages of every run that wrote them (each run revives its own copies): 190 MB after 30 runs
 * of a thread growing by 100 KB a run. The next put needs only its parent's version.
 */
export const CACHE_BYTE_BUDGET = 32 * 1024 * 1024;

export const BLOB_WHOLE = 0;
export const BLOB_DELTA = 1;
export const BLOB_EMPTY = 2;

/** What this process knows about one stored version of an array channel. */
interface AppendState {
  length: number;
  /**
   * Shallow copy of the array as it was put (its first `length` entries): a reducer that pushes in
   * place cannot change it. Owned by the tracker, and shared along a chain (see extendedCopy).
   */
  elements: unknown[];
  /** Versions since the last whole snapshot. */
  depth: number;
  deltaBytes: number;
  snapshotBytes: number;
  /** The newest keyframe of this segment, or the snapshot itself. */
  keyframe: { version: ChannelVersion; length: number };
  /** The version this one extended, when it was stored as a delta. */
  parentVersion: ChannelVersion | undefined;
}

export type BlobPlan =
  | { kind: typeof BLOB_WHOLE; value: unknown }
  | { kind: typeof BLOB_DELTA; base: ChannelVersion; elements: unknown[]; keyframe: boolean }
  | { kind: typeof BLOB_EMPTY };

/** A stored version's place in its chain, without its value. */
export interface BlobLinkRow {
  version: ChannelVersion;
  kind: number;
  base_version: ChannelVersion | null;
  type: string | null;
}

export interface BlobRow {
  kind: number;
  type: string | null;
  value: Buffer | null;
}

function stateKey(threadId: string, ns: string, channel: string, version: ChannelVersion): string {
  return JSON.stringify([threadId, ns, channel, version]);
}

function extendsPrefix(value: readonly unknown[], previous: AppendState): boolean {
  if (value.length < previous.length) return false;
  for (let i = 0; i < previous.length; i++) {
    if (value[i] !== previous.elements[i]) return false;
  }
  return true;
}

/**
 * The copy of `value` (which extends `previous`) for its new state. Along a chain the parent's copy is
 * extended in place, since the parent's state reads only its first `previous.length` entries: each
 * step copies its new elements instead of the whole list (a 1000-step thread copied 4.7 MB of
 * element references, O(n²) in its length, which the scavenger then moved; issue 18). A copy that
 * something already extended (a fork from an older version) is copied up to its own length first.
 */
function extendedCopy(previous: AppendState, value: readonly unknown[]): unknown[] {
  const elements = previous.elements.length === previous.length ? previous.elements : previous.elements.slice(0, previous.length);
  for (let i = previous.length; i < value.length; i++) elements.push(value[i]);
  return elements;
}

/** About how many stored bytes a cached version's whole list is. */
const listBytes = (state: AppendState) => state.snapshotBytes + state.deltaBytes;

export class AppendTracker {
  /** Insertion-ordered, so the first key is the least recently used. */
  private readonly states = new Map<string, AppendState>();
  private cachedElements = 0;
  private cachedBytes = 0;

  /** How to store `value` as `channel`'s new version, given the version it had at the parent. */
  plan(
    threadId: string,
    ns: string,
    channel: string,
    version: ChannelVersion,
    parentVersion: ChannelVersion | undefined,
    value: unknown,
  ): BlobPlan {
    // A put that repeats the parent's version (a fork copying a checkpoint) adds no elements.
    if (parentVersion === undefined || parentVersion === version || !Array.isArray(value)) return { kind: BLOB_WHOLE, value };
    const previous = this.states.get(stateKey(threadId, ns, channel, parentVersion));
    if (!previous || !extendsPrefix(value, previous)) return { kind: BLOB_WHOLE, value };
    const depth = previous.depth + 1;
    if (previous.deltaBytes >= previous.snapshotBytes || depth >= MAX_DEPTH) return { kind: BLOB_WHOLE, value };
    if (depth % KEYFRAME_INTERVAL === 0) {
      return { kind: BLOB_DELTA, base: previous.keyframe.version, elements: value.slice(previous.keyframe.length), keyframe: true };
    }
    return { kind: BLOB_DELTA, base: parentVersion, elements: value.slice(previous.length), keyframe: false };
  }

  /** Records a version once its row is committed, so the next put can extend it. */
  remember(
    threadId: string,
    ns: string,
    channel: string,
    version: ChannelVersion,
    parentVersion: ChannelVersion | undefined,
    plan: BlobPlan,
    value: unknown,
    bytes: number,
  ): void {
    if (!Array.isArray(value) || plan.kind === BLOB_EMPTY || version === parentVersion) return;
    let state: AppendState;
    if (plan.kind === BLOB_WHOLE) {
      state = {
        length: value.length,
        elements: value.slice(),
        depth: 0,
        deltaBytes: 0,
        snapshotBytes: bytes,
        keyframe: { version, length: value.length },
        parentVersion: undefined,
      };
    } else {
      const previous = parentVersion === undefined ? undefined : this.states.get(stateKey(threadId, ns, channel, parentVersion));
      if (!previous) return;
      state = {
        length: value.length,
        elements: extendedCopy(previous, value),
        depth: previous.depth + 1,
        // Keyframes repeat elements already counted, so they do not bring the next snapshot closer.
        deltaBytes: previous.deltaBytes + (plan.keyframe ? 0 : bytes),
        snapshotBytes: previous.snapshotBytes,
        keyframe: plan.keyframe ? { version, length: value.length } : previous.keyframe,
        parentVersion,
      };
      // A chain keeps its two newest versions: the next put extends the newest, and the one
      // before stays for a put that forks from it. Older ones were copies of the whole list
      // that lived on for up to CACHE_CAPACITY steps, which the garbage collector paid for
      // at every collection during a graph's run (issue 18).
      if (previous.parentVersion !== undefined) this.forget(stateKey(threadId, ns, channel, previous.parentVersion));
    }
    const key = stateKey(threadId, ns, channel, version);
    this.forget(key);
    this.states.set(key, state);
    this.cachedElements += state.length;
    this.cachedBytes += listBytes(state);
    while (
      this.states.size > CACHE_CAPACITY ||
      (this.states.size > 1 && (this.cachedElements > CACHE_ELEMENT_BUDGET || this.cachedBytes > CACHE_BYTE_BUDGET))
    ) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  forgetThread(threadId: string): void {
    for (const key of [...this.states.keys()]) {
      if ((JSON.parse(key) as string[])[0] === threadId) this.forget(key);
    }
  }

  private forget(key: string): void {
    const state = this.states.get(key);
    if (!state) return;
    this.cachedElements -= state.length;
    this.cachedBytes -= listBytes(state);
    this.states.delete(key);
  }
}

/**
 * LangGraph's JsonPlusSerializer instances this module knows, with the @langchain/core/messages
 * module their `load` builds messages from (null: unknown, so nothing is revived without them).
 */
const jsonPlusCopies = new WeakMap<SerializerProtocol, MessagesModule | null>();

/**
 * Declares `serde` to be LangGraph's JsonPlusSerializer from another copy of
 * @langchain/langgraph-checkpoint (a project that brings its own LangChain): it then gets the same
 * fast paths as Threadline's own copy, which rely only on that serializer reviving nothing but
 * `lc`-tagged objects, each on its own. `messages` is the @langchain/core/messages module that
 * copy's `load` resolves; with it, message lists are revived synchronously (see fast-revive.ts).
 */
export function declareJsonPlusSerializer(serde: SerializerProtocol, messages?: MessagesModule): void {
  jsonPlusCopies.set(serde, messages ?? null);
}

/** LangGraph's JSON serializer: ours, or a copy declared with declareJsonPlusSerializer. */
export function isJsonPlusSerializer(serde: SerializerProtocol): boolean {
  return serde.constructor === JsonPlusSerializer || jsonPlusCopies.has(serde);
}

function messagesModuleOf(serde: SerializerProtocol): MessagesModule | null {
  if (serde.constructor === JsonPlusSerializer) return ourMessages;
  return jsonPlusCopies.get(serde) ?? null;
}

/**
 * LangGraph's JSON serializer revives `lc`-tagged objects (messages, undefined, Sets, ...) by an
 * asynchronous walk over every node of the parsed value, which costs more than the parse itself on
 * long message lists. A document in which no object has an `lc` key comes out of that walk
 * unchanged, and any such key would appear in the text as `"lc"` (inside a string the quotes are
 * escaped), so for those documents a plain JSON.parse is the same result, faster. Documents of
 * messages are revived synchronously to the same result (fast-revive.ts); anything else goes
 * through the serializer.
 */
export async function loadJsonText(serde: SerializerProtocol, text: string): Promise<unknown> {
  return loadJsonTextNow(serde, text);
}

/** loadJsonText, at once unless the serializer itself has to revive the document. */
export function loadJsonTextNow(serde: SerializerProtocol, text: string): MaybePromise<unknown> {
  if (!isJsonPlusSerializer(serde)) return serde.loadsTyped("json", text) as MaybePromise<unknown>;
  if (!text.includes('"lc"')) return JSON.parse(text);
  const messages = messagesModuleOf(serde);
  const revived = messages ? reviveSync(JSON.parse(text), messages) : undefined;
  return revived ? revived.value : (serde.loadsTyped("json", text) as MaybePromise<unknown>);
}

export async function loadValue(serde: SerializerProtocol, storedType: string, stored: Buffer | null): Promise<unknown> {
  return loadValueNow(serde, storedType, stored);
}

/** loadValue, at once where no asynchronous step is needed (see loadJsonTextNow). */
export function loadValueNow(serde: SerializerProtocol, storedType: string, stored: Buffer | null): MaybePromise<unknown> {
  const { type, value } = unpack(storedType, stored);
  // better-sqlite3 hands out Buffers; callers that stored a Uint8Array expect one back.
  const bytes = value === null ? new Uint8Array() : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (type === "bytes") return Uint8Array.from(bytes);
  if (type === "json" && value !== null) return loadJsonTextNow(serde, value.toString("utf8"));
  return serde.loadsTyped(type, bytes) as MaybePromise<unknown>;
}

const OPEN_BRACKET = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE_BRACKET = Buffer.from("]");

function isJsonArray(row: BlobRow): boolean {
  const value = row.value;
  return row.type === "json" && value !== null && value.length >= 2 && value[0] === 0x5b && value[value.length - 1] === 0x5d;
}

/**
 * The value of one channel version from its chain, oldest (the whole snapshot) first.
 * JSON arrays are spliced into one document and parsed once; anything else is decoded per row.
 * At once where no asynchronous step is needed (see loadJsonTextNow).
 */
export function decodeChainNow(serde: SerializerProtocol, storedRows: readonly BlobRow[], describe: () => string): MaybePromise<unknown> {
  const rows = storedRows.map((row) => (row.type === null ? row : { ...row, ...unpack(row.type, row.value) }));
  const [head] = rows;
  if (head === undefined || head.kind !== BLOB_WHOLE) {
    throw new StorageError("CORRUPT", `The stored value of ${describe()} has lost its base snapshot.`);
  }
  if (rows.length === 1) return loadValueNow(serde, head.type ?? "json", head.value);
  if (rows.every(isJsonArray)) {
    // One buffer and one UTF-8 decode: measured faster than decoding rows apart or reading TEXT.
    const parts: Buffer[] = [OPEN_BRACKET];
    for (const row of rows) {
      const inner = row.value!.subarray(1, row.value!.length - 1);
      if (inner.length === 0) continue;
      if (parts.length > 1) parts.push(COMMA);
      parts.push(inner);
    }
    parts.push(CLOSE_BRACKET);
    return loadJsonTextNow(serde, Buffer.concat(parts).toString("utf8"));
  }
  return andThen(all(rows.map((row) => loadValueNow(serde, row.type ?? "json", row.value))), (parts) => {
    const result: unknown[] = [];
    for (const part of parts) {
      if (!Array.isArray(part)) {
        throw new StorageError("CORRUPT", `A stored delta of ${describe()} is not an array.`);
      }
      for (const element of part) result.push(element);
    }
    return result;
  });
}

/** A copy of a value that JSON.parse produced: strings are immutable, so only containers are new. */
function copyParsed(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyParsed(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const element = copyParsed((value as Record<string, unknown>)[key]);
    // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: element, enumerable: true, writable: true, configurable: true });
    else copy[key] = element;
  }
  return copy;
}

/** One parsed row of a chain: `shared` when its elements are LangChain objects handed out as they are. */
export interface ParsedRow {
  elements: readonly unknown[];
  shared: boolean;
}

/**
 * Decoded delta-chain rows shared by consecutive reads: the checkpoints of one `list` walk, or
 * repeated `getTuple` calls on a thread's head. Neighbouring checkpoints of a long thread share
 * their snapshot, keyframes and most deltas, so each row is parsed once instead of once per
 * checkpoint. A stored version's rows never change, so a parsed row stays valid until its thread
 * is deleted; only the rows the last checkpoint used are kept.
 *
 * Rows of plain JSON (no `lc` tags) are copied for each checkpoint, so every checkpoint gets its
 * own objects, as from a fresh read. Rows holding LangChain objects (messages) are revived once
 * and, only when `shareRevived` is set (a single `list` walk), their element instances are shared
 * by the checkpoints of that walk, each of which still gets its own array around them. That
 * relies on the assumption LangGraph itself makes between steps: state values are immutable, and
 * its reducers (the messages reducer included) build new arrays around the same element objects,
 * so consecutive checkpoints of a run hold the very same message instances in memory. A caller
 * that mutates one message of a listed checkpoint in place would see the change in the other
 * checkpoints of the same `list` call (never in another call's). Without `shareRevived` such rows
 * are not cached at all and are decoded afresh for each read.
 */
export class WalkCache {
  private rows = new Map<string, ParsedRow>();
  private used = new Map<string, ParsedRow>();
  /** Chain links (version, kind, base) read during the walk, per thread, namespace and channel. */
  private readonly chainLinks = new Map<string, Map<ChannelVersion, BlobLinkRow>>();

  constructor(
    private readonly serde: SerializerProtocol,
    private readonly shareRevived = false,
  ) {}

  get enabled(): boolean {
    return isJsonPlusSerializer(this.serde);
  }

  /** Whether a chain of one row (a whole snapshot) is worth keeping for the reads that follow. */
  get keepsSnapshots(): boolean {
    return this.shareRevived;
  }

  /** The parsed row, parsing `text` on a miss (at once unless the serializer must revive it); undefined if the row cannot be kept. */
  part(key: string, text: () => string | undefined): MaybePromise<ParsedRow | undefined> {
    const known = this.rows.get(key);
    if (known !== undefined) return this.use(key, known);
    const source = text();
    if (source === undefined || !source.startsWith("[")) return undefined;
    if (!source.includes('"lc"')) return this.use(key, { elements: JSON.parse(source) as unknown[], shared: false });
    if (!this.shareRevived) return undefined;
    return andThen(loadJsonTextNow(this.serde, source), (revived) =>
      Array.isArray(revived) ? this.use(key, { elements: revived, shared: true }) : undefined,
    );
  }

  private use(key: string, part: ParsedRow): ParsedRow {
    this.used.set(key, part);
    return part;
  }

  /**
   * The links of one channel's chains read so far in this walk (neighbouring checkpoints share most
   * of them); undefined outside a single list walk, where nothing would bound how many are kept.
   */
  links(threadId: string, ns: string, channel: string): Map<ChannelVersion, BlobLinkRow> | undefined {
    if (!this.shareRevived) return undefined;
    const key = JSON.stringify([threadId, ns, channel]);
    let links = this.chainLinks.get(key);
    if (!links) this.chainLinks.set(key, (links = new Map()));
    return links;
  }

  /** A fresh array built from parsed rows, oldest first. */
  assemble(parts: readonly ParsedRow[]): unknown[] {
    const value: unknown[] = [];
    for (const part of parts) {
      if (part.shared) for (const element of part.elements) value.push(element);
      else for (const element of part.elements) value.push(copyParsed(element));
    }
    return value;
  }

  /** Called after each checkpoint: forget rows it did not use. */
  endCheckpoint(): void {
    this.rows = this.used;
    this.used = new Map();
  }

  forgetThread(threadId: string): void {
    for (const rows of [this.rows, this.used]) {
      for (const key of [...rows.keys()]) {
        if ((JSON.parse(key) as string[])[0] === threadId) rows.delete(key);
      }
    }
  }
}
