// Every body and query the Agent Server API reads, as zod schemas. Lenient where LangGraph's SDK is
// (null for "not given", numbers and flags as query strings, fields this server ignores such as
// webhooks are dropped), strict about types: a wrong one answers 422 saying which field.
import { z } from "zod";
import { MULTITASK_STRATEGIES, RUN_STATUSES, THREAD_STATUSES } from "../../shared/types";
import { ASSISTANT_SORT_KEYS } from "../../shared/agent-api/assistants";
import { STREAM_MODES } from "./streams";

/** A string, or undefined when missing, null or empty. */
const text = z
  .string()
  .nullish()
  .transform((v) => v || undefined);
/**
 * A JSON object, kept as parsed. Not z.record: it copies key by key with assignment, which turns an
 * own "__proto__" key into the copy's prototype, so `{"values":{"__proto__":{}}}` became `{}` and
 * matched every thread.
 */
const object = z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "expected an object");
const optObject = object.nullish().transform((v) => v ?? undefined);
/** A count from a body or a query string, kept within [min, max]. */
const count = (fallback: number, min: number, max: number) =>
  z.coerce
    .number()
    .int()
    .nullish()
    .transform((v) => Math.min(Math.max(v ?? fallback, min), max));
/** true/false, also as LangGraph's query strings write it. */
const flag = z
  .union([z.boolean(), z.enum(["true", "false", "True", "False", "1", "0"])])
  .nullish()
  .transform((v) => v === true || v === "true" || v === "True" || v === "1");
const strings = z.array(z.string());
/** Any JSON value, or missing. */
const anyValue = z.unknown().optional();

export const page = (limit: number) => ({ limit: count(limit, 1, 1000), offset: count(0, 0, Number.MAX_SAFE_INTEGER) });

// -- assistants

const assistantFields = {
  config: optObject,
  context: optObject,
  metadata: optObject,
  name: z.string().nullish().transform((v) => v ?? undefined),
  description: z.string().nullish().transform((v) => v ?? undefined),
};
export const assistantCreate = z.object({
  assistant_id: z.uuid({ error: "assistant_id must be a UUID" }).nullish().transform((v) => v ?? undefined),
  graph_id: z.string({ error: "graph_id is required" }).min(1, "graph_id is required"),
  if_exists: z.enum(["raise", "do_nothing"]).nullish().transform((v) => v ?? undefined),
  ...assistantFields,
});
export const assistantPatch = z.object({ graph_id: text, ...assistantFields });
export const assistantSearch = z.object({
  graph_id: text,
  name: text,
  metadata: optObject,
  ...page(10),
  sort_by: z.enum(ASSISTANT_SORT_KEYS).nullish().transform((v) => v ?? undefined),
  sort_order: z.enum(["asc", "desc"]).nullish().transform((v) => v ?? undefined),
  select: strings.nullish(),
});
export const assistantCount = z.object({ graph_id: text, name: text, metadata: optObject });
export const assistantVersions = z.object({ metadata: optObject, ...page(10) });
export const assistantLatest = z.object({ version: z.number({ error: "version must be a number" }).int().min(1) });
export const assistantDeleteQuery = z.object({ delete_threads: flag });
/** `xray`: true/false, or how many levels of subgraphs to draw. */
export const graphQuery = z.object({
  xray: z
    .union([z.enum(["true", "false", "True", "False"]), z.coerce.number().int().min(0).max(100)])
    .nullish()
    .transform((v) => (v === undefined || v === null ? false : typeof v === "number" ? v : v === "true" || v === "True")),
});
export const subgraphsQuery = z.object({ recurse: flag });

// -- threads

export const threadCreate = z.object({
  thread_id: text,
  metadata: optObject,
  if_exists: z.enum(["raise", "do_nothing"]).nullish(),
  supersteps: z
    .array(z.object({ updates: z.array(z.object({ values: anyValue, as_node: text })).nullish() }))
    .nullish(),
});
const threadFilter = { status: z.enum(THREAD_STATUSES).nullish(), metadata: optObject, values: optObject };
export const threadSearch = z.object({
  ...threadFilter,
  ...page(10),
  ids: strings.nullish(),
  sort_by: z.enum(["thread_id", "status", "created_at", "updated_at"]).nullish(),
  sort_order: z.enum(["asc", "desc"]).nullish(),
  select: strings.nullish(),
});
export const threadCount = z.object(threadFilter);
export const threadPatch = z.object({ metadata: optObject });

// -- state and history

const checkpointRef = z.object({ checkpoint_id: text, checkpoint_ns: text }).nullish();
export const stateQuery = z.object({ subgraphs: flag });
export const stateAtCheckpoint = z.object({ checkpoint: checkpointRef, subgraphs: flag });
export const stateUpdate = z.object({
  values: anyValue,
  /** `checkpoint_map` (null from useStream) goes into the new checkpoint's metadata, as LangGraph's server writes it. */
  checkpoint: z.object({ checkpoint_id: text, checkpoint_ns: text, checkpoint_map: object.nullish() }).nullish(),
  checkpoint_id: text,
  as_node: text,
});
/** `before` arrives as a checkpoint id (langgraph dev) or as a config (the SDK's type). */
const before = z
  .union([z.string(), z.object({ checkpoint_id: text, configurable: z.object({ checkpoint_id: text }).nullish() })])
  .nullish()
  .transform((v) => (typeof v === "string" ? v || undefined : (v?.configurable?.checkpoint_id ?? v?.checkpoint_id)));
export const historyRequest = z.object({ limit: count(10, 1, 1000), before, metadata: optObject, checkpoint: checkpointRef });
/** GET takes the cursor only. */
export const historyQuery = historyRequest.pick({ limit: true, before: true });
export type HistoryRequest = z.infer<typeof historyRequest> | z.infer<typeof historyQuery>;

// -- runs

const nodeSelection = z.union([z.literal("*"), strings]).nullish().transform((v) => v ?? undefined);
const gotoTarget = z.union([z.string(), z.object({ node: z.string() }).transform((g) => g.node)]);
export const runCommand = z.object({
  resume: anyValue,
  update: anyValue,
  goto: z.union([gotoTarget, z.array(gotoTarget)]).nullish(),
});
const streamModes = z
  .union([z.enum(STREAM_MODES), z.array(z.enum(STREAM_MODES))])
  .nullish()
  .transform((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]));
export const runCreate = z.object({
  assistant_id: z.string({ error: "assistant_id is required" }).min(1, "assistant_id is required"),
  input: anyValue,
  command: runCommand.nullish(),
  config: z.object({ configurable: optObject }).catchall(z.unknown()).nullish(),
  context: optObject,
  metadata: optObject,
  checkpoint_id: text,
  /** As useStream sends it: `checkpoint_ns` may be "" and `checkpoint_map` null, which the run's config keeps. */
  checkpoint: z.object({ checkpoint_id: text, checkpoint_ns: z.string().nullish(), checkpoint_map: object.nullish() }).nullish(),
  interrupt_before: nodeSelection,
  interrupt_after: nodeSelection,
  multitask_strategy: z.enum(MULTITASK_STRATEGIES).nullish(),
  if_not_exists: z.enum(["reject", "create"]).nullish(),
  on_completion: z.enum(["delete", "keep"]).nullish(),
  on_disconnect: z.enum(["cancel", "continue"]).nullish(),
  stream_mode: streamModes,
  stream_subgraphs: flag,
  stream_resumable: flag,
});
export type RunCreate = z.infer<typeof runCreate>;
export const runBatch = z.array(runCreate.extend({ thread_id: text }));
export const runList = z.object({ ...page(10), status: z.enum([...RUN_STATUSES, "timeout"]).nullish() });
export const cancelQuery = z.object({ action: z.enum(["interrupt", "rollback"]).nullish(), wait: flag });
export const cancelMany = z.object({ run_ids: strings.nullish(), thread_id: text, status: text });
export const joinStreamQuery = z.object({ stream_mode: z.array(z.enum(STREAM_MODES)).optional(), cancel_on_disconnect: flag });
/**
 * A thread's stream: "run_modes" (the default) follows each run in the modes it was started with;
 * run stream modes may be named instead. LangGraph's "lifecycle" and "state_update" are not served.
 */
export const threadStreamQuery = z.object({
  stream_mode: z
    .array(z.enum([...STREAM_MODES, "run_modes"]))
    .optional()
    .transform((modes) => (modes ?? []).filter((m) => m !== "run_modes")),
});

// -- store (LangGraph's long-term memory; the SDK's client.store.*)

const labels = z.array(z.string());
/** Minutes; null or absent for the default (langgraph.json's store.ttl.default_ttl). */
const ttl = z.number().positive().nullish();
export const storePut = z.object({
  namespace: labels,
  key: z.string(),
  value: object,
  index: z.union([z.literal(false), strings]).nullish(),
  ttl,
});
export const storeDelete = z.object({ namespace: labels.nullish().transform((v) => v ?? []), key: z.string() });
/** The namespace as the SDK sends it in a query string: labels joined with ".". */
export const storeGet = z.object({
  namespace: z
    .string()
    .nullish()
    .transform((v) => (v ? v.split(".") : [])),
  key: z.string(),
  refresh_ttl: flag,
});
export const storeSearch = z.object({
  namespace_prefix: labels.nullish().transform((v) => v ?? []),
  filter: optObject,
  query: text,
  refresh_ttl: flag,
  ...page(10),
});
export const storeNamespaces = z.object({
  prefix: labels.nullish().transform((v) => v ?? undefined),
  suffix: labels.nullish().transform((v) => v ?? undefined),
  max_depth: z.number().int().positive().nullish().transform((v) => v ?? undefined),
  ...page(100),
});
