// A run's `values` events carry the whole state after each step, so a thread of 50 long messages sent
// every message again at every step: copied through postMessage into the host's heap, where the
// event logs then held a separate copy of each message per event. Between the worker and its host a
// values event travels as what changed since the run's previous one (per namespace): top-level keys
// that are the same, lists that only grew (by the identity of their elements, which the run's
// encode memo keeps stable for messages), and keys set anew. The host rebuilds the full event from
// its own copy of the previous one, so consecutive events share their unchanged parts.

import type { JsonObject, JsonValue } from "../../shared/encoding";
import type { EngineEvent } from "../../shared/events";

/** Per top-level key: unchanged, grown by these elements, or set to this value. */
export type KeyChange = { same: true } | { append: JsonValue[] } | { set: JsonValue };
export interface ValuesDelta {
  keys: Record<string, KeyChange>;
}

type ValuesEvent = Extract<EngineEvent, { type: "values" }>;

const keyOf = (event: { runId: string; namespace: readonly string[] }) => `${event.runId}\u0000${event.namespace.join("|")}`;
const isPlainObject = (value: JsonValue): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !("$type" in value);

function grownBy(previous: JsonValue | undefined, current: JsonValue): JsonValue[] | undefined {
  if (!Array.isArray(previous) || !Array.isArray(current) || current.length < previous.length) return undefined;
  for (let i = 0; i < previous.length; i++) if (previous[i] !== current[i]) return undefined;
  return current.slice(previous.length);
}

/** The worker's side: remembers each run's last values (per namespace) until the run finishes. */
export class ValuesDeltaEncoder {
  private readonly last = new Map<string, JsonObject>();

  /** The event to post and, for a values event that has a predecessor, the delta that replaces its values. */
  encode(event: EngineEvent): { event: EngineEvent; delta?: ValuesDelta } {
    if (event.type === "run.finished") this.forget(event.runId);
    if (event.type !== "values" || !isPlainObject(event.values)) return { event };
    const key = keyOf(event);
    const previous = this.last.get(key);
    this.last.set(key, event.values);
    if (!previous) return { event };
    const keys: Record<string, KeyChange> = {};
    for (const [name, value] of Object.entries(event.values)) {
      if (previous[name] === value) keys[name] = { same: true };
      else {
        const added = grownBy(previous[name], value);
        keys[name] = added ? { append: added } : { set: value };
      }
    }
    return { event: { ...event, values: null }, delta: { keys } };
  }

  private forget(runId: string): void {
    for (const key of [...this.last.keys()]) if (key.startsWith(`${runId}\u0000`)) this.last.delete(key);
  }
}

/** The host's side, one per worker (its events arrive in the order they were posted). */
export class ValuesDeltaDecoder {
  private readonly last = new Map<string, JsonObject>();

  decode(event: EngineEvent, delta: ValuesDelta | undefined): EngineEvent {
    if (event.type === "run.finished") this.forget(event.runId);
    if (event.type !== "values") return event;
    const key = keyOf(event);
    if (!delta) {
      if (isPlainObject(event.values)) this.last.set(key, event.values);
      return event;
    }
    const previous = this.last.get(key) ?? {};
    const values: JsonObject = {};
    for (const [name, change] of Object.entries(delta.keys)) {
      if ("same" in change) values[name] = previous[name] ?? null;
      else if ("append" in change) values[name] = [...((previous[name] as JsonValue[] | undefined) ?? []), ...change.append];
      else values[name] = change.set;
    }
    this.last.set(key, values);
    return { ...(event as ValuesEvent), values } as EngineEvent;
  }

  private forget(runId: string): void {
    for (const key of [...this.last.keys()]) if (key.startsWith(`${runId}\u0000`)) this.last.delete(key);
  }
}
