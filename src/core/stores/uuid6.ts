// The time inside a LangGraph checkpoint id. Both savers name checkpoints
// with uuid6 (time-ordered: a 60-bit count of 100 ns since 1582-10-15 in the
// first 64 bits), made at the moment the checkpoint's `ts` is taken, so a
// timeline reads its times from the ids instead of decoding every checkpoint.

const GREGORIAN_TO_UNIX_100NS = 0x01b21dd213814000n;

/** ISO 8601 time of a uuid6 id, or null when the id is not a uuid6. */
export function uuid6Time(id: string): string | null {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== "6") return null;
  const ticks = (BigInt(`0x${hex.slice(0, 12)}`) << 12n) | BigInt(`0x${hex.slice(13, 16)}`);
  const ms = Number((ticks - GREGORIAN_TO_UNIX_100NS) / 10000n);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
