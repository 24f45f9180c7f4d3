/**
 * Raw deflate through one reused zlib state instead of a new one per value. `deflateRawSync` builds
 * a DeflateRaw stream object (and zlib's ~100 KB of state) for every call and closes it: on a 1 KB
 * message that was about 60% of the call (10 vs 4.5 µs in a loop, more inside a graph's run, where
 * the garbage it leaves costs scavenges). The reused state goes through the handle Node's own
 * `zlibBufferSync` drives (`_handle.writeSync` then `reset`), which is not public API: it is
 * checked once against `deflateRawSync` on a sample and, should it be missing or differ (another
 * Node or Electron build), every call takes `deflateRawSync`. The bytes are the same either way.
 */
import zlib from "node:zlib";

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}

const MAX_SCRATCH = 256 * 1024;

export type Deflate = (bytes: Uint8Array) => Buffer;

/** A deflate function for `options` (level, windowBits, memLevel) that reuses one zlib state when it can. */
export function reusableDeflateRaw(options: zlib.ZlibOptions): Deflate {
  const fallback: Deflate = (bytes) => zlib.deflateRawSync(bytes, { ...options, chunkSize: Math.min(16 * 1024, Math.max(1024, bytes.length >> 1)) });
  try {
    const engine = new zlib.DeflateRaw(options) as unknown as { _handle?: ZlibHandle; _writeState?: unknown };
    const handle = engine._handle;
    const state = engine._writeState;
    if (!handle || typeof handle.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array)) return fallback;
    let out = Buffer.allocUnsafe(16 * 1024);
    const reused: Deflate = (bytes) => {
      // Room for deflate's worst case (stored blocks: 5 bytes per 16 KB and a few more), so that one call finishes.
      const room = bytes.length + ((bytes.length >> 14) + 1) * 5 + 64;
      // Rare large values (snapshots) go the usual way rather than keep a large scratch buffer.
      if (room > MAX_SCRATCH) return fallback(bytes);
      if (out.length < room) out = Buffer.allocUnsafe(room);
      handle.writeSync(zlib.constants.Z_FINISH, bytes, 0, bytes.length, out, 0, out.length);
      const availOut = state[0]!;
      const availIn = state[1]!;
      handle.reset();
      if (availIn !== 0 || availOut === 0) return fallback(bytes);
      // A copy of exactly the result (small ones come from Node's shared pool), not the scratch buffer.
      return Buffer.from(out.subarray(0, out.length - availOut));
    };
    const sample = Buffer.from(JSON.stringify({ text: "a sample that deflate shrinks. ".repeat(64), n: [1, 2, 3] }));
    return reused(sample).equals(fallback(sample)) && reused(sample).equals(fallback(sample)) ? reused : fallback;
  } catch {
    return fallback;
  }
}
