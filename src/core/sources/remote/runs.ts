// Runs on an Agent Server: started with runs.stream (values, updates, messages-tuple, debug and
// custom, with subgraphs), followed in the background as run events, answered with Command resume,
// stopped at interrupt_before/after (the breakpoints kept for the graph; Step is interrupt_after
// every node), cancelled, with the multitask strategy asked for. A connection lost during a run
// ends it here with an error saying so; the run's real end is read from the server when asked again.
import type { Run } from "@langchain/langgraph-sdk";
import type { ParsedArgs } from "../../../shared/contract";
import { notFound, ThreadlineError } from "../../../shared/errors";
import type { EngineEvent, RunEvent } from "../../../shared/events";
import { MULTITASK_STRATEGIES, type MultitaskStrategy, type RunInfo, type RunStatus } from "../../../shared/types";
import type { EventBody } from "../../runs/chunk-mapper";
import type { SourcePart } from "../source";
import { remoteError, type RemoteConnection } from "./connection";
import type { RemoteGraphs } from "./graphs";
import { RemoteStreamMapper } from "./stream-mapper";
import { toServer } from "./values";

const STREAM_MODES = ["values", "updates", "messages-tuple", "debug", "custom"] as const;
const ENDED: ReadonlySet<RunStatus> = new Set(["success", "error", "interrupted"]);

interface Followed {
  run: RunInfo;
  done: Promise<RunInfo>;
  abort: AbortController;
}

function statusOf(status: Run["status"]): RunStatus {
  return status === "timeout" ? "error" : status;
}

export class RemoteRuns {
  private readonly followed = new Map<string, Followed>();
  /** The thread of each run seen (the contract names a run by its id only; the server by both). */
  private readonly threadOf = new Map<string, string>();

  constructor(
    private readonly connection: RemoteConnection,
    private readonly graphs: RemoteGraphs,
    private readonly emit: (event: EngineEvent) => void,
    private readonly changed: (threadId: string) => void,
  ) {}

  private toRunInfo(run: Run, graphId: string): RunInfo {
    const status = statusOf(run.status);
    const strategy = run.multitask_strategy ?? "reject";
    return {
      runId: run.run_id,
      threadId: run.thread_id,
      graphId,
      status,
      multitaskStrategy: (MULTITASK_STRATEGIES as readonly string[]).includes(strategy) ? (strategy as MultitaskStrategy) : "reject",
      createdAt: run.created_at,
      startedAt: run.created_at,
      finishedAt: ENDED.has(status) ? run.updated_at : null,
      checkpointId: null,
      cancelled: typeof run.cancel_reason === "string",
      nodeTimings: [],
      error: null,
      metadata: (run.metadata ?? {}) as RunInfo["metadata"],
    };
  }

  private async fromServer(threadId: string, runId: string): Promise<RunInfo> {
    const run = await this.connection.call(() => this.connection.client.runs.get(threadId, runId));
    return this.toRunInfo(run, await this.graphs.graphOf(run.assistant_id));
  }

  private threadFor(runId: string): string {
    const threadId = this.threadOf.get(runId);
    if (!threadId) throw notFound(`No run "${runId}" among the runs started or listed from here`);
    return threadId;
  }

  async start(args: ParsedArgs<"runs.start">): Promise<RunInfo> {
    const saved = this.graphs.breakpointsOf(args.graphId);
    const before = args.interruptBefore ?? saved.before;
    const after = args.step ? "*" : (args.interruptAfter ?? saved.after);
    const abort = new AbortController();
    const payload = {
      ...(args.input !== undefined ? { input: toServer(args.input) as Record<string, unknown> | null } : {}),
      ...(args.command ? { command: toServer(args.command as never) as never } : {}),
      ...(Object.keys(args.config).length > 0 ? { config: args.config as never } : {}),
      ...(args.context ? { context: toServer(args.context) as never } : {}),
      metadata: args.metadata,
      ...(before === "*" || before.length > 0 ? { interruptBefore: before } : {}),
      ...(after === "*" || after.length > 0 ? { interruptAfter: after } : {}),
      ...(args.checkpointId ? { checkpointId: args.checkpointId } : {}),
      multitaskStrategy: args.multitaskStrategy,
      ifNotExists: args.ifNotExists,
      streamMode: [...STREAM_MODES],
      streamSubgraphs: true,
      signal: abort.signal,
    };
    const stream = this.connection.client.runs.stream(args.threadId, args.graphId, payload)[Symbol.asyncIterator]();
    // Events read before the run is named wait here, then go out in order.
    const early: EventBody[] = [];
    let deliver: (body: EventBody) => void = (body) => early.push(body);
    const mapper = new RemoteStreamMapper((body) => deliver(body));
    // The run's id comes with the stream's first event; a refusal (busy thread, unknown graph) comes instead of it.
    try {
      while (mapper.runId === null) {
        const next = await stream.next();
        if (next.done) {
          const said = mapper.error ? `: ${mapper.error.className}: ${mapper.error.message}` : "";
          throw new ThreadlineError(mapper.error ? "RUN_FAILED" : "INTERNAL", `the Agent Server ended the run's stream before naming the run${said}`);
        }
        mapper.accept(next.value.event, next.value.data);
      }
    } catch (error) {
      abort.abort();
      throw remoteError(this.connection.url, error);
    }
    const runId = mapper.runId;
    const now = new Date().toISOString();
    const run: RunInfo = {
      runId,
      threadId: args.threadId,
      graphId: args.graphId,
      status: "running",
      multitaskStrategy: args.multitaskStrategy,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      checkpointId: args.checkpointId ?? null,
      cancelled: false,
      nodeTimings: [],
      error: null,
      metadata: args.metadata,
    };
    this.threadOf.set(runId, args.threadId);
    let seq = 0;
    const send = (body: EventBody) => this.emit({ ...body, runId, threadId: args.threadId, seq: ++seq, at: new Date().toISOString() } as RunEvent);
    send({ type: "run.created", run });
    send({ type: "run.started", run });
    for (const body of early) send(body);
    deliver = send;
    const done = this.follow(run, stream, mapper, send);
    this.followed.set(runId, { run, done, abort });
    this.changed(args.threadId);
    return run;
  }

  private async follow(
    run: RunInfo,
    stream: AsyncIterator<{ event: string; data: unknown }>,
    mapper: RemoteStreamMapper,
    send: (body: EventBody) => void,
  ): Promise<RunInfo> {
    let lost: ThreadlineError | null = null;
    try {
      for (let next = await stream.next(); !next.done; next = await stream.next()) mapper.accept(next.value.event, next.value.data);
    } catch (error) {
      lost = remoteError(this.connection.url, error);
    }
    let final: RunInfo;
    if (lost && lost.code !== "CANCELLED") {
      const error = { node: null, className: "ConnectionLost", message: `the connection to the Agent Server was lost during the run (${lost.message}); the run may go on there`, stack: null };
      send({ type: "error", error });
      final = { ...run, status: "error", error, finishedAt: new Date().toISOString() };
    } else {
      final = await this.fromServer(run.threadId, run.runId).catch(() => ({ ...run }));
      const error = mapper.error;
      final = {
        ...final,
        graphId: run.graphId,
        checkpointId: run.checkpointId,
        // Servers differ on a run that stopped at an interrupt (langgraph dev says success): the stream tells.
        status: error || final.status === "error" ? "error" : mapper.interrupted ? "interrupted" : ENDED.has(final.status) ? final.status : "success",
        error: final.status === "error" || error ? (error ?? { node: null, className: "Error", message: "the run failed on the server", stack: null }) : null,
        finishedAt: final.finishedAt ?? new Date().toISOString(),
      };
    }
    send({ type: "run.finished", status: final.status, error: final.error, run: final });
    this.followed.delete(run.runId);
    this.changed(run.threadId);
    return final;
  }

  part(): SourcePart<"runs"> {
    const { client } = this.connection;
    return {
      "runs.start": (args) => this.start(args),
      "runs.get": async (args) => {
        const own = this.followed.get(args.runId);
        if (own) return own.run;
        return this.fromServer(this.threadFor(args.runId), args.runId);
      },
      "runs.list": async (args) => {
        const runs = await this.connection.call(() => client.runs.list(args.threadId, { limit: args.limit, offset: args.offset }));
        const out: RunInfo[] = [];
        for (const run of runs) {
          this.threadOf.set(run.run_id, run.thread_id);
          out.push(this.followed.get(run.run_id)?.run ?? this.toRunInfo(run, await this.graphs.graphOf(run.assistant_id)));
        }
        return out;
      },
      "runs.cancel": async (args) => {
        const threadId = this.threadFor(args.runId);
        await this.connection.call(() => client.runs.cancel(threadId, args.runId, false, args.action));
        const own = this.followed.get(args.runId);
        if (own) return { ...(await own.done), cancelled: true };
        return { ...(await this.fromServer(threadId, args.runId)), cancelled: true };
      },
      "runs.join": async (args) => {
        const own = this.followed.get(args.runId);
        if (own) return own.done;
        const threadId = this.threadFor(args.runId);
        await this.connection.call(() => client.runs.join(threadId, args.runId));
        return this.fromServer(threadId, args.runId);
      },
    };
  }

  /** Stops following every run (the runs go on on the server). */
  close(): void {
    for (const { abort } of this.followed.values()) abort.abort();
  }
}
