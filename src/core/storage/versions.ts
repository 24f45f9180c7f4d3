import { randomInt } from "node:crypto";

/**
 * Channel versions are strings that sort correctly as strings, because LangGraph compares them with
 * `>` and `localeCompare`: a 32-digit zero-padded counter, then a random 16-digit suffix. Two
 * branches forked from one checkpoint both reach counter n+1, and the suffix keeps their versions
 * (and therefore their stored channel values) apart.
 */
const COUNTER_DIGITS = 32;
const SUFFIX_DIGITS = 16;

export type ChannelVersion = string | number;

/** The counter inside a version; accepts LangGraph's default integer versions too. */
export function versionCounter(version: ChannelVersion | undefined): number {
  if (version === undefined) return 0;
  if (typeof version === "number") return version;
  const counter = Number.parseInt(version.split(".", 1)[0] ?? "", 10);
  return Number.isFinite(counter) ? counter : 0;
}

function randomSuffix(): string {
  // Two draws: randomInt's range is limited to 2^48, less than 10^16.
  const high = randomInt(100_000_000);
  const low = randomInt(100_000_000);
  return `${String(high).padStart(8, "0")}${String(low).padStart(8, "0")}`;
}

export function nextChannelVersion(current: ChannelVersion | undefined): string {
  const counter = String(versionCounter(current) + 1).padStart(COUNTER_DIGITS, "0");
  return `${counter}.${randomSuffix().padStart(SUFFIX_DIGITS, "0")}`;
}
