// The one service object behind the contract: every call of src/shared/contract.ts lands on a
// method here, by its full name, with arguments already validated (see `dispatch`). The Inspector
// answers the project, the source's description and diffs itself; every other call goes to the
// part of its source that the contract assigns it (src/core/sources/source.ts). A source without
// that part answers UNAVAILABLE with the reason its `info()` gives.

import { ENGINE_INSTANCE } from "./sources/remote/instance";
import { CALL_NAMES, dispatch, partOf, type CallContext, type CallName, type EngineServer, type ParsedArgs } from "../shared/contract";
import { ThreadlineError } from "../shared/errors";
import type { EventListener, Unsubscribe } from "../shared/events";
import type { DiffResult, ProjectInfo } from "../shared/types";
import type { SourceInfo } from "../shared/sources";
import { diffWindow } from "./diff/diff";
import { LocalSource, type LocalSourceOptions } from "./sources/local";
import { SourceShelf } from "./sources/shelf";
import type { Source } from "./sources/source";

export const THREADLINE_VERSION = "0.1.0";

export interface InspectorOptions {
  project?: { dir: string | null; dbFile?: string };
  /** Opens another project (project.open); the host usually restarts the engine for it. */
  openProject?: (dir: string | null) => Promise<ProjectInfo>;
}

/** Today's engine: the local source and the Inspector's own options in one. */
export type LocalInspectorOptions = Omit<LocalSourceOptions, "now"> & InspectorOptions & { now?: () => string };

/**
 * ISO timestamps that never repeat or go back, so that "most recently
 * updated first" is the order things happened in, even within a millisecond.
 */
export function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

/**
 * Errors of the layers below as contract errors: a storage error keeps its
 * meaning (NOT_SQLITE), a database locked by another process past the busy
 * timeout is UNAVAILABLE (try again), anything else INTERNAL.
 */
export function engineError(error: unknown): ThreadlineError {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  for (const candidate of [error, cause]) {
    if (candidate instanceof ThreadlineError) return candidate;
    const { name, code, message } = (candidate ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : String(candidate);
    if (name === "StorageError") {
      if (code === "NOT_SQLITE") return new ThreadlineError("NOT_SQLITE", text);
      if (code === "UNSUPPORTED_SCHEMA" || code === "CANNOT_OPEN") return new ThreadlineError("INVALID_ARGUMENT", text);
      return new ThreadlineError("INTERNAL", text);
    }
    if (name === "SqliteError" && (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")) {
      return new ThreadlineError("UNAVAILABLE", `The database is busy (another process is writing); try again. ${text}`);
    }
  }
  return ThreadlineError.from(error);
}

type Handler = (args: unknown, context?: CallContext) => Promise<unknown>;

// One method per call, each defined in the constructor: the class implements the whole contract.
// (Merging is safe here: every member the interface declares is defined by the constructor.)
export interface Inspector<S extends Source = Source> extends EngineServer {
  readonly source: S;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Inspector<S extends Source = Source> {
  constructor(
    readonly source: S,
    private readonly options: InspectorOptions = {},
  ) {
    this.sources = new SourceShelf(source);
    for (const name of CALL_NAMES) {
      const own = partOf(name) === "inspector";
      const handler: Handler = own ? (args, context) => this.own(name, args, context) : (args, context) => this.fromSource(name, args, context);
      Object.defineProperty(this, name, { value: handler, enumerable: false });
    }
  }

  /** Threadline's own store and graph runner behind the contract. */
  static local(options: LocalInspectorOptions): Inspector<LocalSource> {
    const { project, openProject, ...local } = options;
    const source = new LocalSource({ ...local, now: local.now ?? monotonicClock() });
    return new Inspector(source, {
      project: { dir: project?.dir ?? null, dbFile: project?.dbFile ?? source.db.name },
      ...(openProject ? { openProject } : {}),
    });
  }

  /**
   * One call from a transport: validated, run, and any failure turned into a
   * ThreadlineError with a code the caller can act on.
   */
  async call(name: unknown, rawArgs: unknown, context?: CallContext): Promise<unknown> {
    return dispatch(this, name, rawArgs, engineError, context);
  }

  /** The stores opened in place beside `source`, and which of them the calls are answered from. */
  readonly sources: SourceShelf;

  subscribe(listener: EventListener): Unsubscribe {
    const local = this.source.subscribe(listener);
    const opened = this.sources.subscribe(listener);
    return () => {
      local();
      opened();
    };
  }

  async close(): Promise<void> {
    await this.sources.closeAll();
    await this.source.close();
  }

  private async fromSource(name: CallName, args: unknown, context?: CallContext): Promise<unknown> {
    const partName = partOf(name);
    const source = this.sourceFor(context);
    const part = (source as unknown as Record<string, Record<string, Handler> | undefined>)[partName];
    const handler = part?.[name];
    if (!handler) {
      const capabilities = source.info().capabilities;
      const state = partName in capabilities ? capabilities[partName as keyof SourceInfo["capabilities"]] : null;
      const why = state && !state.available ? state.reason : `this source does not answer ${name}`;
      throw new ThreadlineError("UNAVAILABLE", `${name}: ${why}`);
    }
    return handler(args, context);
  }

  /** Where a call is answered: the active source, or Threadline's own store for a `local` call. */
  private sourceFor(context?: CallContext): Source {
    return context?.local ? this.source : this.sources.active;
  }

  private async own(name: CallName, args: unknown, context?: CallContext): Promise<unknown> {
    switch (name) {
      case "project.info":
        return this.projectInfo();
      case "project.open":
        return this.openProject(args as ParsedArgs<"project.open">);
      case "source.info":
        return this.sourceFor(context).info();
      case "sources.list":
        return this.sources.list();
      case "sources.open":
        return this.sources.open((args as ParsedArgs<"sources.open">).location);
      case "sources.connect": {
        const { url, apiKey } = args as ParsedArgs<"sources.connect">;
        return this.sources.connect(url, apiKey ?? null);
      }
      case "sources.use":
        return this.sources.use((args as ParsedArgs<"sources.use">).id);
      case "sources.close":
        return this.sources.close((args as ParsedArgs<"sources.close">).id);
      case "sources.copyToLocal":
        return this.sources.copyToLocal((args as ParsedArgs<"sources.copyToLocal">).threadId);
      case "diff.get":
        return this.diff(args as ParsedArgs<"diff.get">, this.sourceFor(context));
      default:
        throw new ThreadlineError("INTERNAL", `${name} is marked as the Inspector's own call but has no handler`);
    }
  }

  private projectInfo(): ProjectInfo {
    return {
      dir: this.options.project?.dir ?? null,
      dbFile: this.options.project?.dbFile ?? this.source.info().label,
      version: THREADLINE_VERSION,
      instance: ENGINE_INSTANCE,
    };
  }

  private async openProject(args: ParsedArgs<"project.open">): Promise<ProjectInfo> {
    if (!this.options.openProject) throw new ThreadlineError("UNAVAILABLE", "This engine cannot open another project");
    return this.options.openProject(args.dir);
  }

  /** `to` against `from`, by default against its parent: two states the source answers. */
  private async diff(args: ParsedArgs<"diff.get">, source: Source): Promise<DiffResult> {
    const at = (checkpointId: string) =>
      source.reads["state.get"]({ threadId: args.threadId, checkpointNs: args.checkpointNs, checkpointId, subgraphs: false });
    const to = await at(args.to);
    const fromId = args.from ?? to.parent?.checkpointId;
    const from = fromId ? await at(fromId) : undefined;
    return {
      from: from?.checkpoint ?? null,
      to: to.checkpoint!,
      ...diffWindow(from?.values ?? {}, to.values, { offset: args.offset, ...(args.limit === undefined ? {} : { limit: args.limit }) }),
    };
  }
}
