// The differences between `threadline serve` and `langgraph dev` that the compatibility test
// accepts, each with its reason and the one rewrite of a recording that allows it: the README's
// list is this list, word for word (differences.test.ts checks it), and `withoutKnownDifferences`
// applies exactly these, so that anything else that differs fails the test.
import type { Recording } from "./session";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface KnownDifference {
  what: string;
  reason: string;
  /** Steps whose answer differs by design; the test checks Threadline's answer on its own. */
  skip?: readonly string[];
  /** Rewrites one step's recording (both servers') so that this difference no longer shows. */
  rewrite?: (value: Json, step: string) => Json;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `fn` applied to every object of a value, innermost first. */
function eachObject(value: Json, fn: (object: { [key: string]: Json }) => Json): Json {
  if (Array.isArray(value)) return value.map((v) => eachObject(v, fn));
  if (!isObject(value)) return value;
  return fn(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eachObject(v, fn)])));
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    what: "Request headers",
    reason:
      "`langgraph dev` copies request headers such as `user-agent` into a run's and a thread's `config.configurable`, " +
      "and from there into checkpoint metadata; Threadline keeps no headers.",
    rewrite: (value) =>
      eachObject(value, (o) => ("user-agent" in o ? Object.fromEntries(Object.entries(o).filter(([k]) => k !== "user-agent")) : o)),
  },
  {
    what: "A run on a thread that does not exist",
    reason: "without `if_not_exists: \"create\"` Threadline answers 404, as the Agent Server documents; `langgraph dev` says 422.",
    skip: ["ifNotExists.missing"],
  },
  {
    what: "Rolling back a running run",
    reason:
      "a run started with `multitask_strategy: \"rollback\"` deletes the running run it replaces and that run's " +
      "checkpoints, as the Agent Server documents; `langgraph dev` (in memory) does so only to a run still pending, and " +
      "marks a running one as errored and keeps its checkpoints.",
    skip: ["multitask.rollback.first", "multitask.rollback.messages"],
  },
  {
    what: "The run after a run from a checkpoint",
    reason:
      "a run that names no checkpoint starts from the thread's latest state; `langgraph dev` keeps the previous run's " +
      "`checkpoint_id` in the thread's config and starts the next run there, so a message sent after a regenerate " +
      "or an edit drops the branch made since.",
    skip: ["chatUi.afterEdit"],
  },
  {
    what: "Searching threads by `values`",
    reason:
      "matches only threads whose state contains them, as the Agent Server's JSONB containment does; `langgraph dev` " +
      "also matches threads that have no state yet.",
    skip: ["search.values", "count.values"],
  },
  {
    what: "Unrequested `checkpoints` events",
    reason: "with `stream_subgraphs`, `langgraph dev` also sends `checkpoints` events that were not asked for; Threadline sends only the requested modes.",
    rewrite: (value, step) =>
      step.endsWith(".names") && Array.isArray(value) ? value.filter((name) => typeof name !== "string" || !name.startsWith("checkpoints")) : value,
  },
];

/** The list as the README writes it: one `- **what**: reason` line per difference. */
export function readmeList(): string {
  return KNOWN_DIFFERENCES.map((d) => `- **${d.what}**: ${d.reason}`).join("\n");
}

export function withoutKnownDifferences(recording: Recording): Recording {
  const skipped = new Set(KNOWN_DIFFERENCES.flatMap((d) => d.skip ?? []));
  const out: Recording = {};
  for (const [step, value] of Object.entries(recording)) {
    if (skipped.has(step)) continue;
    out[step] = KNOWN_DIFFERENCES.reduce((v, d) => (d.rewrite ? d.rewrite(v, step) : v), value as Json);
  }
  return out;
}
