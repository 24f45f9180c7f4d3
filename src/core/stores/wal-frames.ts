// What a snapshot of a WAL-mode SQLite file needs to know to tell whether it can still be read
// whole (see sqlite-file.ts): the copied -wal's salt and how many frames it holds up to its last
// commit, and how far the writer has copied ("backfilled") its live WAL into the database file,
// from the wal-index header in the live -shm (read with plain reads: no lock, nothing written).
// Formats: https://www.sqlite.org/fileformat2.html#walformat and sqlite's wal.c (WalIndexHdr,
// WalCkptInfo).

import { closeSync, openSync, readSync } from "node:fs";

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export interface WalCopy {
  /** The salt of the WAL's header: it changes each time the writer starts the WAL over. */
  salt: string;
  /** Frames up to and including the last commit frame of this WAL's salt. */
  committedFrames: number;
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** Walks the frame headers of a (copied, not live) -wal; undefined when it has no valid header. */
export function readWalCopy(file: string): WalCopy | undefined {
  const fd = openSync(file, "r");
  try {
    const header = readAt(fd, WAL_HEADER, 0);
    if (header.length < WAL_HEADER || (header.readUInt32BE(0) & 0xfffffffe) !== 0x377f0682) return undefined;
    const pageSize = header.readUInt32BE(8);
    const salt = header.subarray(16, 24);
    let committedFrames = 0;
    for (let frame = 0; ; frame++) {
      const at = WAL_HEADER + frame * (FRAME_HEADER + pageSize);
      const h = readAt(fd, FRAME_HEADER, at);
      // A frame of an older generation (another salt) or a torn tail ends this WAL.
      if (h.length < FRAME_HEADER || !h.subarray(8, 16).equals(salt)) break;
      if (h.readUInt32BE(4) !== 0) committedFrames = frame + 1;
    }
    return { salt: salt.toString("hex"), committedFrames };
  } finally {
    closeSync(fd);
  }
}

export interface WalIndex {
  salt: string;
  /** Frames of the live WAL (of this salt) already copied into the database file. */
  backfilled: number;
}

/** The live wal-index header (first copy) and checkpoint info; undefined when the -shm is missing or not initialised. */
export function readWalIndex(shm: string): WalIndex | undefined {
  let fd: number;
  try {
    fd = openSync(shm, "r");
  } catch {
    return undefined;
  }
  try {
    const buf = readAt(fd, 136, 0);
    // isInit (byte 12) is set once a connection built the index; the fields are in native byte order.
    if (buf.length < 136 || buf[12] !== 1) return undefined;
    const le = new Uint32Array(new Uint8Array([1, 0, 0, 0]).buffer)[0] === 1;
    return { salt: buf.subarray(32, 40).toString("hex"), backfilled: le ? buf.readUInt32LE(96) : buf.readUInt32BE(96) };
  } finally {
    closeSync(fd);
  }
}
