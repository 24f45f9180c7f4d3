import { randomFillSync } from "node:crypto";

/**
 * Channel versions are strings that sort correctly as strings, because LangGraph compares them with
 * `>` and `localeCompare`: a 32-digit zero-padded counter, then a random 16-digit suffix. Two
 * branches forked from one checkpoint both reach counter n+1, and the suffix keeps their versions
 * (and therefore their stored channel values) apart.
 */
const COUNTER_DIGITS = 32;

export type ChannelVersion = string | number;

/** The counter inside a version; accepts LangGraph's default integer versions too. */
export function versionCounter(version: ChannelVersion | undefined): number {
  if (version === undefined) return 0;
  if (typeof version === "number") return version;
  // parseInt stops at the ".": no need to split first (this runs for every channel of every step).
  const counter = Number.parseInt(version, 10);
  return Number.isFinite(counter) ? counter : 0;
}

/**
 * Random words drawn from the CSPRNG a pool at a time: one `randomInt` call per half suffix cost
 * more than the rest of a step's version bookkeeping. The suffix only has to keep forked branches
 * apart, so the slight modulo bias of `% 10^8` on 32-bit words does not matter.
 */
const pool = new Uint32Array(512);
let next = pool.length;

function randomWord(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! % 100_000_000;
}

function randomSuffix(): string {
  // Two words of 8 digits each: 10^16 is beyond one 32-bit draw.
  return `${String(randomWord()).padStart(8, "0")}${String(randomWord()).padStart(8, "0")}`;
}

export function nextChannelVersion(current: ChannelVersion | undefined): string {
  const counter = String(versionCounter(current) + 1).padStart(COUNTER_DIGITS, "0");
  return `${counter}.${randomSuffix()}`;
}
