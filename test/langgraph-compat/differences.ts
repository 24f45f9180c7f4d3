// The differences between `threadline serve` and `langgraph dev` that the
// compatibility test accepts, each with its reason (the README lists them
// too). `withoutKnownDifferences` removes exactly these from a recording, so
// that anything else that differs fails the test.
import type { Recording } from "./session";

export const KNOWN_DIFFERENCES = [
  {
    what: "checkpoint metadata",
    reason:
      "langgraph dev's checkpointer copies the run's config (configurable keys, assistant and thread metadata, " +
      "langgraph_version/plan/host/api_url, user-agent) into every checkpoint's metadata; Threadline's stores what " +
      "LangGraph itself writes (source, step, parents) plus thread_id.",
  },
  {
    what: "messages-tuple metadata",
    reason:
      "the second element of a `messages` event carries the node, namespace, thread and run ids, not the whole " +
      "callback metadata (tags, ls_* fields, langgraph_triggers/path/step, the run's config metadata).",
  },
  {
    what: "thread config and run kwargs user-agent",
    reason: "langgraph dev copies request headers such as user-agent into `config.configurable`; Threadline keeps no headers.",
  },
  {
    what: "run on a missing thread",
    reason: "langgraph dev answers 422 (its multitask check sees no thread); Threadline answers 404 Thread not found, as the Agent Server documents.",
  },
  {
    what: "thread search by values",
    reason:
      "langgraph dev lets a thread with no state yet match every `values` filter; Threadline, like the Agent Server's " +
      "JSONB containment, matches only threads whose state contains the values.",
  },
  {
    what: "unrequested checkpoints events",
    reason: "with stream_subgraphs, langgraph dev also sends `checkpoints` events nobody asked for; Threadline sends only the requested modes.",
  },
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checkpoint metadata: LangGraph's own keys only (the run's metadata keys are dropped too). */
function checkpointMetadata(metadata: { [key: string]: Json }): Json {
  const kept: { [key: string]: Json } = {};
  for (const key of ["source", "step", "parents", "writes"]) if (key in metadata) kept[key] = metadata[key]!;
  return kept;
}

function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObject(value)) return value;
  const out: { [key: string]: Json } = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === "metadata" && isObject(field) && "step" in field && "source" in field) {
      out[key] = checkpointMetadata(field);
    } else if (key === "config" && "thread_id" in value && "status" in value) {
      // a thread's config (headers)
      continue;
    } else if (key === "configurable" && isObject(field)) {
      out[key] = strip(Object.fromEntries(Object.entries(field).filter(([k]) => k !== "user-agent")));
    } else {
      out[key] = strip(field);
    }
  }
  // A `messages` event: [chunk, metadata] → keep the chunk and the node.
  if (out.event === "messages" && Array.isArray(out.data) && out.data.length === 2 && isObject(out.data[1]!)) {
    out.data = [out.data[0]!, { langgraph_node: out.data[1].langgraph_node ?? null }];
  }
  return out;
}

/** Steps whose answer differs by design; the test checks Threadline's answer on its own. */
const SKIPPED_STEPS = new Set(["ifNotExists.missing", "search.values", "count.values"]);

export function withoutKnownDifferences(recording: Recording): Recording {
  const out: Recording = {};
  for (const [step, value] of Object.entries(recording)) {
    if (SKIPPED_STEPS.has(step)) continue;
    const stripped = strip(value as Json);
    out[step] =
      step.endsWith(".names") && Array.isArray(stripped)
        ? stripped.filter((name) => typeof name !== "string" || !name.startsWith("checkpoints"))
        : stripped;
  }
  return out;
}
