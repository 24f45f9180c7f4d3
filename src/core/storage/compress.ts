/**
 * Large stored values are deflated (node:zlib, raw deflate at level 1: the fastest level still
 * shrinks JSON text several times). A compressed value keeps its serializer type with COMPRESSED
 * appended ("json+deflate"), so rows written before compression existed, and small values, read
 * back unchanged; schema version 8 (migrations.ts) keeps older builds from misreading such rows.
 */
import { inflateRawSync } from "node:zlib";
import { reusableDeflateRaw } from "./deflate-engine";

export const COMPRESSED = "+deflate";
/** Below this many bytes a value is stored as it is: zlib's fixed costs outweigh the saving. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Level 1 with a 4 KB window and a small hash: measured about twice as fast as zlib's defaults on
 * 1 KB values (most of a call is setting up its state) for nearly the same size. Inflating needs
 * no options: a raw stream made with a smaller window inflates with the default one.
 */
const DEFLATE = { level: 1, windowBits: 12, memLevel: 4 };
/** One zlib state for every value of this thread (deflate-engine.ts); a result is exactly its bytes, so no 16 KB chunk stays alive. */
const deflateRaw = reusableDeflateRaw(DEFLATE);
/** The bytes to store for a serialized value, and their type. */
export function pack(type: string, bytes: Uint8Array): [string, Uint8Array] {
  if (bytes.length < COMPRESS_MIN_BYTES) return [type, bytes];
  const packed = deflateRaw(bytes);
  // Already-compressed payloads (images, archives) would only grow: keep those as they are.
  return packed.length <= bytes.length - 64 ? [type + COMPRESSED, packed] : [type, bytes];
}

/** How many recent values RecentPacks compares a new one with, and the largest it keeps. */
const RECENT_PACKS = 8;
const RECENT_MAX_BYTES = 64 * 1024;

/**
 * `pack` that remembers its last few results. A step stores the same bytes more than once: the
 * message a node returned is the task's pending write `[message]` and, a moment later, the delta
 * `[message]` that appends it to the channel (delta.ts), so the second is deflated for free. Equal
 * lengths are compared first, so a miss costs a few integer comparisons. Large values (snapshots)
 * are not kept: they are not repeated, and keeping them would pin their memory.
 */
export class RecentPacks {
  private readonly recent: { type: string; bytes: Uint8Array; packed: [string, Uint8Array] }[] = [];

  pack(type: string, bytes: Uint8Array): [string, Uint8Array] {
    if (bytes.length < COMPRESS_MIN_BYTES) return [type, bytes];
    for (const entry of this.recent) {
      if (entry.bytes.length === bytes.length && entry.type === type && Buffer.compare(entry.bytes, bytes) === 0) return entry.packed;
    }
    const packed = pack(type, bytes);
    if (bytes.length > RECENT_MAX_BYTES) return packed;
    if (this.recent.length === RECENT_PACKS) this.recent.pop();
    this.recent.unshift({ type, bytes, packed });
    return packed;
  }
}

/** A stored value as its serializer wrote it. */
export function unpack(type: string, value: Buffer | null): { type: string; value: Buffer | null } {
  if (value === null || !type.endsWith(COMPRESSED)) return { type, value };
  return { type: type.slice(0, -COMPRESSED.length), value: inflateRawSync(value) };
}
