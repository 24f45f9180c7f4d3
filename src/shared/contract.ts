// The engine's contract, written once: every call's name, the zod schema of
// its arguments and the type of its result. The engine's server side
// (`EngineServer`), the Promise-returning client (`EngineClient`), the
// Electron IPC handlers, the preload bridge and the HTTP routes are all
// derived from `CALLS`, so that a call added here is a compile error in each
// transport until it is handled.
//
// Every call takes one object argument and returns plain JSON: values from
// the user's graph travel encoded (encoding.ts).

import { z } from "zod";
import type { GraphDrawing, GraphInfo, GraphLoadFailure, GraphSchemas, JsonSchema, MissingEnvFile, ReducerKinds } from "./graph";
import { invalidArgument, ThreadlineError, type WireError } from "./errors";
import type { JsonObject, JsonValue } from "./encoding";
import { MAX_NESTING_DEPTH, nestingExceeds, TOO_DEEP_MESSAGE } from "./nesting";
import type { ApiStateText } from "./agent-api/state";
import { assistantArgs, type ApiAssistant, type ApiAssistantVersion } from "./agent-api/assistants";
import type { Capability, SourceInfo } from "./sources";
import type { StoreCapabilities, StoreItemInfo } from "./store";
import type { SourcesList } from "./opened-sources";
import {
  MULTITASK_STRATEGIES,
  THREAD_EXPORT_FORMAT,
  THREAD_EXPORT_VERSION,
  THREAD_STATUSES,
  type Breakpoints,
  type CheckpointRef,
  type CheckpointTree,
  type DiffResult,
  type ConsoleLine,
  type HistoryPage,
  type LangGraphImportResult,
  type ProjectInfo,
  type RunInfo,
  type StateSnapshot,
  type ThreadInfo,
} from "./types";

// ---------------------------------------------------------------------------
// schemas shared by several calls

const json: z.ZodType<JsonValue> = z.json();
const metadata = z.record(z.string(), json);
const id = z.string().min(1).max(512);
const threadId = id;
const checkpointId = id;
/** "" is the root graph. */
const checkpointNs = z.string().max(4096).default("");
const nodeSelection = z.union([z.array(z.string().min(1)), z.literal("*")]);
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
const offset = z.number().int().min(0).default(0);

const serialized = z
  .object({
    /** The serializer's type tag ("json", "bytes", …). */
    type: z.string(),
    /** For "json": the parsed JSON, readable in the file. */
    json: json.optional(),
    /** Otherwise: the bytes. */
    base64: z.string().optional(),
  })
  .refine((s) => (s.json === undefined) !== (s.base64 === undefined), "exactly one of json or base64");

/**
 * A thread as its stored rows: each channel value once per (namespace,
 * channel, version); an array that grew from an earlier version of its
 * channel is stored as what was appended to that version, so that a long
 * message list grows the file linearly.
 */
export const threadExportSchema = z.object({
  format: z.literal(THREAD_EXPORT_FORMAT),
  formatVersion: z.literal(THREAD_EXPORT_VERSION),
  exportedAt: z.string(),
  thread: z.object({ threadId, createdAt: z.string(), metadata }),
  values: z.array(
    z.object({
      ns: z.string(),
      channel: z.string(),
      version: z.union([z.string(), z.number()]),
      value: serialized,
      /** When set, `value` is the tail appended to this earlier version of the channel. */
      appendTo: z.union([z.string(), z.number()]).optional(),
    }),
  ),
  checkpoints: z.array(
    z.object({
      ns: z.string(),
      id: checkpointId,
      parentId: z.string().nullable(),
      /** The checkpoint without its channel_values (they are in `values`). */
      checkpoint: z.record(z.string(), json),
      /** The channels that had a value, each found in `values` by its version. */
      channels: z.array(z.string()),
      /** sha256 of the checkpoint as it reads back (values, versions, metadata, parent, writes); checked at import. */
      digest: z.string(),
      metadata: serialized,
    }),
  ),
  writes: z.array(
    z.object({
      ns: z.string(),
      checkpointId,
      taskId: z.string(),
      idx: z.number().int(),
      channel: z.string(),
      value: serialized,
    }),
  ),
});
export type ThreadExport = z.infer<typeof threadExportSchema>;
export type SerializedValue = z.infer<typeof serialized>;

const storeNamespace = z.array(z.string().max(512)).max(64);
const storeKey = z.string().min(1).max(2048);

const command = z
  .object({
    resume: json.optional(),
    update: json.optional(),
    goto: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .refine((c) => c.resume !== undefined || c.update !== undefined || c.goto !== undefined, "command needs resume, update or goto");

// ---------------------------------------------------------------------------
// the calls

/**
 * Facts about a call that the transports and the engine's host act on, kept here beside the call
 * rather than as lists of names where they are used.
 */
export interface CallFacts {
  /** The source capability it needs (see sources.ts); without one, every source answers it. */
  readonly needs?: Capability;
  /**
   * Answered by the Inspector itself rather than by its source (the project, the source's
   * description, a diff built from two states the source answers).
   */
  readonly inspector?: true;
  /**
   * The engine's host answers it by starting a fresh engine (loaded ES modules cannot be unloaded),
   * then answering `answer` from it. `opensProject`: its argument's `dir` is the project the fresh
   * engine opens; otherwise `reason` says why the engine restarted. (`answer` is a call name, typed
   * as a string since CALLS is typed from these facts.)
   */
  readonly restartsEngine?: { readonly answer: string; readonly opensProject?: true; readonly reason?: string };
  /** It reads or converges, so the host may send it again to a restarted engine. */
  readonly retryAfterRestart?: true;
  /**
   * It stops a run: the host sends it even to a worker stalled in a run's synchronous code, and
   * restarts the worker when the run has not stopped within the grace period.
   */
  readonly stopsRun?: true;
  /** Its argument may be large (a whole exported thread): transports admit a bigger body. */
  readonly largeArgs?: true;
  /** Only the Agent Server adapter calls it: left out of the preload bridge and the UI's client. */
  readonly adapterOnly?: true;
}

/** A call: the zod schema of its argument, its facts and (as a phantom type) its result. */
export interface CallSpec<A extends z.ZodType = z.ZodType, R = unknown, F extends CallFacts = CallFacts> {
  args: A;
  facts: F;
  /** Never read at runtime: carries the result type. */
  readonly result?: R;
}

const call =
  <R>() =>
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no facts is the common case
  <A extends z.ZodType, const F extends CallFacts = {}>(args: A, facts?: F): CallSpec<A, R, F> => ({
    args,
    facts: facts ?? ({} as F),
  });

const none = z.object({}).strict();

export const CALLS = {
  // -- project and graphs
  "project.info": call<ProjectInfo>()(none, { inspector: true }),
  "project.open": call<ProjectInfo>()(z.object({ dir: z.string().min(1).nullable() }), {
    inspector: true,
    restartsEngine: { answer: "project.info", opensProject: true },
  }),
  /** The source the inspector serves from, and what it can and cannot do (with why). */
  "source.info": call<SourceInfo>()(none, { inspector: true }),
  /** The sources the inspector can serve from (Threadline's own store, stores opened in place) and the active one. */
  "sources.list": call<SourcesList>()(none, { inspector: true }),
  /**
   * Opens a LangGraph checkpoint store in place, read-only, and makes it the active source: the path of a SQLite file
   * written by a SqliteSaver (on the engine's machine), or a postgres:// connection string.
   */
  "sources.open": call<SourcesList>()(z.object({ location: z.string().min(1).max(4096) }), { inspector: true }),
  /**
   * Connects to a LangGraph Agent Server (`langgraph dev`, Python or JS, or a deployment) and makes it the active
   * source. The key is sent to that server only, kept in the engine's memory while connected, never in an answer.
   */
  "sources.connect": call<SourcesList>()(
    z.object({ url: z.string().min(1).max(2048), apiKey: z.string().min(1).max(4096).optional() }),
    { inspector: true },
  ),
  "sources.use": call<SourcesList>()(z.object({ id }), { inspector: true }),
  "sources.close": call<SourcesList>()(z.object({ id }), { inspector: true }),
  /** "Copy into Threadline": a thread of the active opened store, copied into Threadline's own store, which becomes active. */
  "sources.copyToLocal": call<ThreadInfo>()(z.object({ threadId }), { inspector: true }),
  "graphs.list": call<{ graphs: GraphInfo[]; failures: GraphLoadFailure[]; missingEnv?: MissingEnvFile }>()(none, { needs: "graphs" }),
  "graphs.get": call<{
    graph: GraphInfo;
    drawing: GraphDrawing;
    schemas: GraphSchemas;
    reducers: ReducerKinds;
  }>()(z.object({ graphId: id }), { needs: "graphs" }),
  /** A graph's schemas, waiting (up to the type reader's timeout) for an Annotation's TypeScript types. */
  "graphs.schemas": call<GraphSchemas>()(z.object({ graphId: id }), { needs: "graphs" }),
  "graphs.reload": call<{ graphs: GraphInfo[]; failures: GraphLoadFailure[] }>()(none, {
    needs: "graphs",
    restartsEngine: { answer: "graphs.list", reason: "graphs reloaded" },
  }),

  // -- threads
  "threads.create": call<ThreadInfo>()(
    z.object({
      threadId: threadId.optional(),
      metadata: metadata.default({}),
      graphId: id.optional(),
      /** "raise" answers CONFLICT when the id is taken; "do_nothing" returns the existing thread. */
      ifExists: z.enum(["raise", "do_nothing"]).default("raise"),
    }),
    { needs: "edits" },
  ),
  "threads.get": call<ThreadInfo>()(z.object({ threadId })),
  "threads.search": call<ThreadInfo[]>()(
    z.object({
      metadata: metadata.optional(),
      status: z.enum(THREAD_STATUSES).optional(),
      idPrefix: z.string().max(512).optional(),
      /** Words that must each appear (any case) in what the thread list shows: id, title, graph or status. */
      text: z.string().max(512).optional(),
      graphId: id.optional(),
      limit: limit(1000, 50),
      offset,
    }),
  ),
  "threads.count": call<number>()(
    z.object({
      metadata: metadata.optional(),
      status: z.enum(THREAD_STATUSES).optional(),
      idPrefix: z.string().max(512).optional(),
      /** Words that must each appear (any case) in what the thread list shows: id, title, graph or status. */
      text: z.string().max(512).optional(),
      graphId: id.optional(),
    }),
  ),
  "threads.updateMetadata": call<ThreadInfo>()(
    z.object({ threadId, metadata, mode: z.enum(["merge", "replace"]).default("merge") }),
    { needs: "edits" },
  ),
  "threads.delete": call<null>()(z.object({ threadId }), { needs: "edits" }),
  "threads.copy": call<ThreadInfo>()(z.object({ threadId, newThreadId: threadId.optional() }), { needs: "edits" }),
  "threads.fork": call<ThreadInfo>()(
    z.object({ threadId, checkpointId, checkpointNs, newThreadId: threadId.optional() }),
    { needs: "edits" },
  ),
  "threads.export": call<ThreadExport>()(z.object({ threadId })),
  /**
   * Imports the threads of a checkpoint database written by LangGraph's own SQLite savers (Python
   * SqliteSaver/AsyncSqliteSaver or JS SqliteSaver). The file is copied, never opened in place.
   */
  "threads.importLangGraph": call<LangGraphImportResult>()(
    z.object({
      file: z.string().min(1).max(4096),
      threadIds: z.array(threadId).optional(),
      /** What to do with a thread id this database already has. */
      onConflict: z.enum(["skip", "replace", "rename"]).default("skip"),
    }),
    { needs: "imports" },
  ),
  "threads.import": call<ThreadInfo>()(
    z.object({
      data: threadExportSchema,
      /** Import under another id (the default is the exported one; CONFLICT if taken). */
      newThreadId: threadId.optional(),
    }),
    { needs: "imports", largeArgs: true },
  ),

  // -- state
  "state.get": call<StateSnapshot>()(
    z.object({
      threadId,
      checkpointId: checkpointId.optional(),
      checkpointNs,
      subgraphs: z.boolean().default(false),
      /** Read with this graph when the thread has none recorded (a thread another app wrote). */
      graphId: id.optional(),
      /** Top-level lists longer than this come as their newest `maxItems` elements, named in `slices`. */
      maxItems: z.number().int().min(1).max(1_000_000).optional(),
    }),
  ),
  "state.update": call<{ checkpoint: CheckpointRef }>()(
    z.object({
      threadId,
      /** Update at an old checkpoint: the result is a new branch from it. */
      checkpointId: checkpointId.optional(),
      checkpointNs,
      /** Encoded; only the keys the user changed. */
      values: json,
      asNode: z.string().min(1).optional(),
      /**
       * Keys whose value goes through the key's reducer as given (e.g. items to
       * append). By default an edited key with a reducer is replaced (LangGraph's
       * Overwrite), and a list of messages is merged by message id.
       */
      throughReducer: z.array(z.string()).default([]),
      /** The graph to update it as, when the thread has none recorded. */
      graphId: id.optional(),
      /** Encoded. Keys the new checkpoint's metadata carries besides LangGraph's own (the Agent Server API's: graph_id, …). */
      metadata: metadata.optional(),
    }),
    { needs: "edits" },
  ),

  // -- history
  "history.page": call<HistoryPage>()(
    z
      .object({
        threadId,
        checkpointNs,
        limit: limit(1000, 50),
        before: checkpointId.optional(),
        /** The oldest `limit` checkpoints (still newest first; `nextBefore` null): what End shows, in one read. */
        oldest: z.boolean().default(false),
      })
      .refine((a) => !(a.oldest && a.before), { message: "`before` cannot be combined with `oldest`: nothing is older than the oldest page", path: ["before"] }),
  ),
  /** Full snapshots, newest first: what LangGraph's getHistory returns. */
  "history.states": call<StateSnapshot[]>()(
    z.object({
      threadId,
      checkpointNs,
      limit: limit(1000, 10),
      before: checkpointId.optional(),
      metadata: metadata.optional(),
      graphId: id.optional(),
    }),
  ),
  /**
   * Which checkpoints a history page holds, each with its revision: a token that changes
   * whenever that checkpoint's state could read differently (its pending writes changed, the
   * thread's graph changed), null when the storage cannot tell. What a cache of history states
   * checks before answering from memory.
   */
  "history.revisions": call<{ items: { checkpointId: string; revision: string | null }[] }>()(
    z.object({ threadId, checkpointNs, limit: limit(1000, 10), before: checkpointId.optional() }),
    { adapterOnly: true },
  ),
  /**
   * The same states as LangGraph's REST API writes them, each as its JSON text (what its
   * getHistory returns, state by state). A caller that can take partial results (see
   * CallContext) gets the states as they are written and the rest in the result.
   */
  "history.apiStates": call<{ states: ApiStateText[] }>()(
    z.object({
      threadId,
      checkpointNs,
      limit: limit(1000, 10),
      before: checkpointId.optional(),
      metadata: metadata.optional(),
      graphId: id.optional(),
    }),
    { adapterOnly: true },
  ),
  /**
   * Builds history pages over a synthetic thread in a private in-memory database, so that the code
   * a real page runs is compiled before the first request (core/agent-api/warm-up.ts). Its parts
   * and result are that synthetic page's states: the adapter sends them nowhere.
   */
  "history.warmUp": call<{ states: ApiStateText[] }>()(none, { adapterOnly: true }),
  "history.tree": call<CheckpointTree>()(z.object({ threadId })),

  // -- diff
  "diff.get": call<DiffResult>()(
    z.object({
      threadId,
      checkpointNs,
      /** Defaults to the parent of `to`. */
      from: checkpointId.optional(),
      to: checkpointId,
      /** The window of entries returned; the counts cover the whole diff. All entries when `limit` is absent. */
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).optional(),
    }),
    /** Built from two `state.get` answers, so every source that answers those answers this. */
    { inspector: true },
  ),

  // -- runs
  "runs.start": call<RunInfo>()(
    z
      .object({
        threadId,
        graphId: id,
        /** Encoded. */
        input: json.optional(),
        command: command.optional(),
        config: z.record(z.string(), json).default({}),
        /** Encoded. LangGraph's runtime context (what nodes read as `runtime.context`). */
        context: z.record(z.string(), json).optional(),
        metadata: metadata.default({}),
        /** Defaults to the graph's saved breakpoints. */
        interruptBefore: nodeSelection.optional(),
        interruptAfter: nodeSelection.optional(),
        /** Replay from this checkpoint: the nodes after it run again on a new branch. */
        checkpointId: checkpointId.optional(),
        multitaskStrategy: z.enum(MULTITASK_STRATEGIES).default("reject"),
        /** "create" makes the thread when it does not exist (LangGraph's if_not_exists); otherwise NOT_FOUND. */
        ifNotExists: z.enum(["reject", "create"]).default("reject"),
        /** Debugger Step: run exactly one superstep, then pause. */
        step: z.boolean().default(false),
        /** What a client adapter (the Agent Server API) was asked, kept with the run: see runs.requests. */
        request: z.record(z.string(), json).optional(),
      })
      .refine((a) => !(a.input !== undefined && a.command !== undefined), {
        message: "give input or command, not both",
        path: ["command"],
      }),
    { needs: "runs" },
  ),
  "runs.get": call<RunInfo>()(z.object({ runId: id }), { needs: "runs", retryAfterRestart: true }),
  /** A graph's drawing as LangGraph writes it (its drawable graph's JSON), as the Agent Server API answers it. */
  "graphs.apiGraph": call<{ graph: JsonObject }>()(
    z.object({ graphId: id, xray: z.union([z.boolean(), z.number().int().min(0).max(100)]).default(false) }),
    { adapterOnly: true },
  ),
  /** A graph's subgraphs (under a namespace; every level with `recurse`), each with its JSON schemas. */
  "graphs.apiSubgraphs": call<{ subgraphs: Record<string, { state: JsonSchema | null; input: JsonSchema | null; output: JsonSchema | null }> }>()(
    z.object({ graphId: id, namespace: z.string().optional(), recurse: z.boolean().default(false) }),
    { adapterOnly: true },
  ),
  /**
   * The `request` each run was started with (runs.start), by run id; runs without one are left out.
   * `keys`: only these top-level keys of each request (a thread's config needs no run's input).
   */
  "runs.requests": call<{ requests: Record<string, JsonObject> }>()(
    z.object({ runIds: z.array(id).max(1000), keys: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).max(50).optional() }),
    { adapterOnly: true },
  ),
  // -- assistants (LangGraph's Agent Server; see shared/agent-api/assistants.ts)
  "assistants.put": call<ApiAssistant>()(assistantArgs.put, { adapterOnly: true }),
  /** NOT_FOUND for an unknown id. */
  "assistants.get": call<ApiAssistant>()(assistantArgs.get, { adapterOnly: true }),
  /** A new version, which becomes the latest. */
  "assistants.patch": call<ApiAssistant>()(assistantArgs.patch, { adapterOnly: true }),
  /** With its versions (and, with `deleteThreads`, the threads whose metadata names it); the ids deleted. */
  "assistants.delete": call<{ assistantIds: string[] }>()(assistantArgs.delete, { adapterOnly: true }),
  "assistants.setLatest": call<ApiAssistant>()(assistantArgs.setLatest, { adapterOnly: true }),
  /** Newest first. */
  "assistants.versions": call<ApiAssistantVersion[]>()(assistantArgs.versions, { adapterOnly: true }),
  /** One page and how many match in all. */
  "assistants.search": call<{ assistants: ApiAssistant[]; total: number }>()(assistantArgs.search, { adapterOnly: true }),
  "assistants.count": call<number>()(assistantArgs.count, { adapterOnly: true }),
  "runs.list": call<RunInfo[]>()(z.object({ threadId, limit: limit(1000, 50), offset }), {
    needs: "runs",
    retryAfterRestart: true,
  }),
  "runs.cancel": call<RunInfo>()(z.object({ runId: id, action: z.enum(["interrupt", "rollback"]).default("interrupt") }), {
    needs: "runs",
    retryAfterRestart: true,
    stopsRun: true,
  }),
  /** Waits until the run ends. */
  "runs.join": call<RunInfo>()(z.object({ runId: id }), { needs: "runs", retryAfterRestart: true }),
  "runs.console": call<ConsoleLine[]>()(z.object({ runId: id }), { needs: "console", retryAfterRestart: true }),

  // -- breakpoints
  "breakpoints.get": call<Breakpoints>()(z.object({ graphId: id }), { needs: "graphs" }),
  "breakpoints.set": call<Breakpoints>()(z.object({ graphId: id, before: nodeSelection, after: nodeSelection }), {
    needs: "graphs",
  }),

  // -- store: LangGraph's long-term memory, shared by every thread (the engine checks LangGraph's namespace rules)
  "store.info": call<StoreCapabilities>()(none, { needs: "memory", retryAfterRestart: true }),
  "store.get": call<StoreItemInfo | null>()(z.object({ namespace: storeNamespace, key: storeKey }), { needs: "memory", retryAfterRestart: true }),
  "store.put": call<null>()(
    z.object({
      namespace: storeNamespace.min(1),
      key: storeKey,
      /** Encoded; an object of fields. */
      value: json,
      /** false: not searchable by meaning; field paths: embed these instead of langgraph.json's `fields`. */
      index: z.union([z.literal(false), z.array(z.string().min(1).max(512))]).nullable().optional(),
      /** Minutes until the item expires; null: never; absent: langgraph.json's `store.ttl.default_ttl`. */
      ttl: z.number().positive().nullable().optional(),
    }),
    { needs: "memory" },
  ),
  "store.delete": call<null>()(z.object({ namespace: storeNamespace, key: storeKey }), { needs: "memory" }),
  "store.search": call<StoreItemInfo[]>()(
    z.object({
      namespacePrefix: storeNamespace.default([]),
      /** Top-level fields of the value: a value to equal, or {$eq,$ne,$gt,$gte,$lt,$lte,$in,$nin}. Plain JSON. */
      filter: z.record(z.string(), json).optional(),
      limit: limit(1000, 10),
      offset,
      /** Search by meaning (where langgraph.json configures store.index). */
      query: z.string().max(10_000).optional(),
    }),
    { needs: "memory", retryAfterRestart: true },
  ),
  "store.listNamespaces": call<string[][]>()(
    z.object({
      /** "*" matches any label. */
      prefix: storeNamespace.optional(),
      suffix: storeNamespace.optional(),
      maxDepth: z.number().int().min(1).max(64).optional(),
      limit: limit(1000, 100),
      offset,
    }),
    { needs: "memory", retryAfterRestart: true },
  ),
} satisfies Record<string, CallSpec>;

// ---------------------------------------------------------------------------
// derived types

export type Calls = typeof CALLS;
export type CallName = keyof Calls;
export const CALL_NAMES = Object.keys(CALLS) as CallName[];

/** What a caller sends (defaults not yet applied). */
export type CallArgs<N extends CallName> = z.input<Calls[N]["args"]>;
/** What the engine receives, validated and with defaults applied. */
export type ParsedArgs<N extends CallName> = z.output<Calls[N]["args"]>;
export type CallResult<N extends CallName> = Calls[N] extends CallSpec<z.ZodType, infer R> ? R : never;

/**
 * What a transport that can deliver results in parts offers a call: `partial` takes a part of the
 * result ahead of the rest (a call documents how its parts add up). Transports that cannot leave
 * it out, and the call then returns everything at once.
 */
export interface CallContext {
  partial?: (value: unknown) => void;
  /**
   * Answered from Threadline's own store (the engine's first source) whichever source the UI has made
   * active: the Agent Server API serves that store to every client, whatever one browser tab opened.
   */
  local?: boolean;
}

export type FactsOf<N extends CallName> = Calls[N]["facts"];

export function callFacts(name: CallName): CallFacts {
  return CALLS[name].facts;
}

/** The calls only the Agent Server adapter makes. */
export type AdapterOnlyCall = { [N in CallName]: FactsOf<N> extends { adapterOnly: true } ? N : never }[CallName];
/** The calls the UI makes: what the preload bridge, main's IPC handlers and the UI's client carry. */
export type UiCallName = Exclude<CallName, AdapterOnlyCall>;
export const UI_CALL_NAMES = CALL_NAMES.filter((name) => !callFacts(name).adapterOnly) as UiCallName[];
export const isUiCall = (name: CallName): name is UiCallName => !callFacts(name).adapterOnly;

/**
 * Which part of a source answers a call (see src/core/sources/source.ts): the Inspector's own
 * calls, the Agent Server adapter's, the calls a capability gates, and the reads every source has.
 */
export type SourcePartName = "inspector" | "agentApi" | Capability | "reads";
export type PartOf<N extends CallName> =
  FactsOf<N> extends { inspector: true }
    ? "inspector"
    : FactsOf<N> extends { adapterOnly: true }
      ? "agentApi"
      : FactsOf<N> extends { needs: infer C extends Capability }
        ? C
        : "reads";
export type CallsOfPart<P extends SourcePartName> = { [N in CallName]: PartOf<N> extends P ? N : never }[CallName];

export function partOf(name: CallName): SourcePartName {
  const facts = callFacts(name);
  if (facts.inspector) return "inspector";
  if (facts.adapterOnly) return "agentApi";
  return facts.needs ?? "reads";
}

/** The engine's side: one method per call, by its full name. */
export type EngineServer = {
  [N in CallName]: (args: ParsedArgs<N>, context?: CallContext) => CallResult<N> | Promise<CallResult<N>>;
};

type GroupOf<N> = N extends `${infer G}.${string}` ? G : never;
type MethodOf<N, G extends string> = N extends `${G}.${infer M}` ? M : never;
export type CallGroup = GroupOf<CallName>;

/** The caller's side, nested by group: `client.threads.get({threadId})`; `Names` narrows it (UiClient). */
export type EngineClient<Names extends CallName = CallName> = {
  [G in GroupOf<Names>]: {
    [M in MethodOf<Names, G>]: `${G}.${M}` extends infer N extends CallName
      ? Record<string, never> extends CallArgs<N>
        ? (args?: CallArgs<N>) => Promise<CallResult<N>>
        : (args: CallArgs<N>) => Promise<CallResult<N>>
      : never;
  };
};
/** The UI's client: every call but the Agent Server adapter's own. */
export type UiClient = EngineClient<UiCallName>;

/** A call's answer as it crosses a boundary that cannot carry a thrown error's code (a worker, contextBridge). */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

/** How a transport delivers one call; it rejects with a ThreadlineError. */
export type Invoke = (name: CallName, args: unknown) => Promise<unknown>;

export function createClient(invoke: Invoke): EngineClient;
export function createClient<Names extends CallName>(invoke: Invoke, names: readonly Names[]): EngineClient<Names>;
export function createClient(invoke: Invoke, names: readonly CallName[] = CALL_NAMES): EngineClient<CallName> {
  const client: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {};
  for (const name of names) {
    const [group, method] = name.split(".") as [string, string];
    (client[group] ??= {})[method] = (args?: unknown) => invoke(name, args ?? {});
  }
  return client as unknown as EngineClient;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(CALLS, name);
}

/**
 * Validates a call's raw argument in the receiving process. Throws
 * INVALID_ARGUMENT naming the field at fault, e.g.
 * `threads.get: threadId: expected string, received number`.
 */
export function parseArgs<N extends CallName>(name: N, raw: unknown): ParsedArgs<N> {
  // Before zod, whose recursion would overflow on a deep value (nesting.ts). The arguments object
  // itself is not a level: the limit applies to each argument (metadata, values, input).
  if (nestingExceeds(raw, MAX_NESTING_DEPTH + 1)) throw invalidArgument(`${name}: the arguments are ${TOO_DEEP_MESSAGE}`);
  const result = CALLS[name].args.safeParse(raw ?? {});
  if (result.success) return result.data as ParsedArgs<N>;
  throw invalidArgument(`${name}: ${formatZodIssues(result.error)}`);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join(".") : "arguments";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Runs one call against the engine: the receiving side of every transport.
 * Unknown names and bad arguments are INVALID_ARGUMENT; every failure leaves
 * as a ThreadlineError, through `toError` (the engine passes one that keeps
 * the meaning of its storage errors).
 */
export async function dispatch(
  server: EngineServer,
  name: unknown,
  raw: unknown,
  toError: (error: unknown) => ThreadlineError = ThreadlineError.from,
  context?: CallContext,
): Promise<unknown> {
  if (!isCallName(name)) throw invalidArgument(`unknown call ${JSON.stringify(name)}`);
  const args = parseArgs(name, raw);
  const method = server[name] as (a: unknown, c?: CallContext) => unknown;
  try {
    return await method.call(server, args, context);
  } catch (error) {
    throw toError(error);
  }
}
