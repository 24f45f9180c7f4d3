/**
 * The byte format of the step journal (journal.ts): one record per `put` or `putWrites`, holding
 * the SQL parameters of the rows it will write (step-rows.ts), so that replaying a record runs the
 * same statements. A record is framed as [u32 payload length][u32 checksum][payload], the checksum
 * being the CRC-32 of the payload started from the journal's epoch (journal.ts), so that records
 * left from an earlier batch in a reused file do not pass; reading stops at the first record that
 * is short or fails its checksum (a write torn by a kill, or the end of the current batch).
 * Values are tagged: null, UTF-8 string, float64 number, bytes.
 */
import { crc32 } from "node:zlib";

const NULL = 0;
const STRING = 1;
const NUMBER = 2;
const BYTES = 3;
const HEADER = 8;

export type Param = string | number | Uint8Array | null;

/**
 * Writes records into one reused buffer (grown when needed), not one per record; several records
 * may wait in it to go out with one write (`bytes`), after which `clear` starts it again.
 */
export class RecordWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;
  private start = 0;

  /** Starts a record after those already in the buffer. */
  begin(): void {
    this.start = this.pos;
    this.room(HEADER);
    this.pos += HEADER;
  }

  /** The records written since the last `clear`: the buffer and their length. */
  bytes(): [Buffer, number] {
    return [this.buf, this.pos];
  }

  clear(): void {
    this.pos = 0;
    // A buffer grown for one large record is not kept for the rest of the saver's life.
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  u32(n: number): void {
    this.room(4);
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4;
  }

  param(value: unknown): void {
    if (value === null || value === undefined) {
      this.room(1);
      this.buf[this.pos++] = NULL;
    } else if (typeof value === "string") {
      this.room(5 + value.length * 3);
      const written = this.buf.write(value, this.pos + 5, "utf8");
      this.buf[this.pos] = STRING;
      this.buf.writeUInt32LE(written, this.pos + 1);
      this.pos += 5 + written;
    } else if (typeof value === "number") {
      this.room(9);
      this.buf[this.pos] = NUMBER;
      this.buf.writeDoubleLE(value, this.pos + 1);
      this.pos += 9;
    } else if (value instanceof Uint8Array) {
      this.room(5 + value.length);
      this.buf[this.pos] = BYTES;
      this.buf.writeUInt32LE(value.length, this.pos + 1);
      this.buf.set(value, this.pos + 5);
      this.pos += 5 + value.length;
    } else {
      throw new TypeError(`journal: cannot write a parameter of type ${typeof value}`);
    }
  }

  params(values: readonly unknown[]): void {
    this.u32(values.length);
    for (const value of values) this.param(value);
  }

  /** Ends the record: frames it with its length and checksum (seeded with the journal's epoch). */
  end(epoch: number): void {
    const payload = this.buf.subarray(this.start + HEADER, this.pos);
    this.buf.writeUInt32LE(payload.length, this.start);
    this.buf.writeUInt32LE(crc32(payload, epoch), this.start + 4);
  }
}

/** Reads the values of one record's payload in order. */
export class RecordReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  u32(): number {
    const n = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return n;
  }

  param(): Param {
    const tag = this.buf[this.pos++];
    if (tag === NULL) return null;
    if (tag === NUMBER) {
      const n = this.buf.readDoubleLE(this.pos);
      this.pos += 8;
      return n;
    }
    const length = this.buf.readUInt32LE(this.pos);
    const start = this.pos + 4;
    this.pos = start + length;
    if (this.pos > this.buf.length) throw new RangeError("journal: a value runs past its record");
    if (tag === STRING) return this.buf.toString("utf8", start, this.pos);
    if (tag === BYTES) return Buffer.from(this.buf.subarray(start, this.pos));
    throw new RangeError(`journal: unknown value tag ${String(tag)}`);
  }

  params(): Param[] {
    const count = this.u32();
    const values: Param[] = [];
    for (let i = 0; i < count; i++) values.push(this.param());
    return values;
  }
}

/** The payloads of the whole records of `epoch` from `start`, in order; a torn, damaged or stale tail is left out. */
export function recordsOf(file: Buffer, epoch: number, start = 0): Buffer[] {
  const records: Buffer[] = [];
  let pos = start;
  while (pos + HEADER <= file.length) {
    const length = file.readUInt32LE(pos);
    const sum = file.readUInt32LE(pos + 4);
    const end = pos + HEADER + length;
    if (end > file.length) break;
    const payload = file.subarray(pos + HEADER, end);
    if (crc32(payload, epoch) !== sum) break;
    records.push(payload);
    pos = end;
  }
  return records;
}
