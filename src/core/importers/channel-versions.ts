// Channel versions of imported checkpoints, in the form Threadline's
// checkpointer stores: strings that sort like the originals.
//
// LangGraph compares versions to decide which nodes run next (a channel
// newer than the version a node has seen triggers it), so their order must
// survive the import. Two things in real files get in the way:
//
// - The JS saver writes integers, but Threadline's checkpointer continues a
//   thread with strings (storage/versions.ts), and LangGraph compares a
//   number with a string as text ("16" > "00…17"). Integers become
//   32-digit zero-padded strings, which sort the same as text and as numbers.
// - Threadline stores a channel's value once per version, but the savers
//   store whole checkpoints, and some files hold two different values under
//   one version: a node that mutated a value in place (langmem's running
//   summary), or a JS message re-serialized with a field more. Each distinct
//   value gets its own variant of the version, sorting right after the
//   original and before the next counter, so every checkpoint reads back
//   exactly as it was written.

import { createHash } from "node:crypto";
import { encodeValue } from "../../shared/encoding";
import { canonical } from "../threads/transfer";

export type SourceVersion = string | number;

const COUNTER_DIGITS = 32;
const VARIANT_DIGITS = 16;

/** The fingerprint of an absent value: a channel with a version but no value (emptied). */
export const ABSENT = "absent";

export function fingerprintOf(value: unknown): string {
  return createHash("sha256").update(canonical(encodeValue(value))).digest("base64url");
}

function variantOf(raw: SourceVersion, variant: number): string {
  if (typeof raw === "number") {
    const counter = String(Math.max(0, Math.trunc(raw))).padStart(COUNTER_DIGITS, "0");
    return `${counter}.${String(variant).padStart(VARIANT_DIGITS, "0")}`;
  }
  // A suffix keeps the counter (read by the checkpointer's getNextVersion) and sorts just after `raw`.
  return variant === 0 ? raw : `${raw}.${variant}`;
}

/** The versions of one thread's checkpoints, mapped as they are imported (oldest first). */
export class VersionMapper {
  private readonly variants = new Map<string, string[]>();

  /** The stored version for `channel` at `raw` holding the value with this fingerprint. */
  map(ns: string, channel: string, raw: SourceVersion, fingerprint: string): string {
    const key = JSON.stringify([ns, channel, typeof raw, raw]);
    let known = this.variants.get(key);
    if (!known) this.variants.set(key, (known = []));
    let variant = known.indexOf(fingerprint);
    if (variant < 0) {
      variant = known.length;
      known.push(fingerprint);
    }
    return variantOf(raw, variant);
  }

  /** A version named without a value (in versions_seen): its first variant. */
  base(raw: SourceVersion): string {
    return variantOf(raw, 0);
  }
}
