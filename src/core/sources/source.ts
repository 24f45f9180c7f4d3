// The seam between the inspector and where its threads come from. The UI always talks to one
// contract; behind it the Inspector serves from a *source*: today Threadline's own store with the
// graph runner (local.ts); next, LangGraph checkpoint stores opened in place (read-only) and remote
// Agent Servers. Each part of a source answers the calls the contract assigns to it (`partOf`,
// from each call's facts), with the contract's own argument and result types, so a source is
// checked against the contract at compile time and a call added there is a compile error here.

import type { CallContext, CallResult, CallsOfPart, ParsedArgs, SourcePartName } from "../../shared/contract";
import type { EventListener, Unsubscribe } from "../../shared/events";
import type { Capability, SourceInfo } from "../../shared/sources";

/** One handler per call of a part, by the call's full name: `part["threads.get"]({threadId})`. */
export type SourcePart<P extends SourcePartName> = {
  [N in CallsOfPart<P>]: (args: ParsedArgs<N>, context?: CallContext) => Promise<CallResult<N>>;
};

/** The optional parts: one per capability. A source without one has it unavailable in `info()`. */
export type SourceParts = { readonly [C in Capability as C extends "live" | "timings" ? never : C]?: SourcePart<C> };

export interface Source extends SourceParts {
  /** Its kind, its label, and which capabilities it has (each missing one with why). */
  info(): SourceInfo;
  /**
   * What every source answers: threads (get, search, count), history pages, the tree, the state
   * at any checkpoint (which is also the input of a diff) and a thread's export.
   */
  readonly reads: SourcePart<"reads">;
  /** The Agent Server adapter's own reads (history as the REST API writes it); only the local engine has them. */
  readonly agentApi?: SourcePart<"agentApi">;
  /** Its events: runs as they go, and (capability `live`) threads others wrote. */
  subscribe(listener: EventListener): Unsubscribe;
  close(): Promise<void>;
}
