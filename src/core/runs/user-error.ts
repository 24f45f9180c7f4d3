// Exceptions thrown by the user's code become data (UserError): the node
// that threw, the error's class, message and stack. Stacks are source-mapped
// by Node itself once the worker calls process.setSourceMapsEnabled(true).

import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { UserError } from "../../shared/types";

/** What `process.exit()` throws when the user's code calls it during a run. */
export class ProcessExitError extends Error {
  override readonly name = "ProcessExit";
  constructor(
    readonly code: number | string | null | undefined,
    node: string | null,
  ) {
    super(`process.exit(${code ?? ""}) was called${node ? ` in node "${node}"` : ""}; the run was stopped instead of the engine`);
  }
}

function className(error: object): string {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  const name = (error as { name?: unknown }).name;
  if (typeof name === "string" && name !== "Error") return name;
  return typeof ctor?.name === "string" && ctor.name ? ctor.name : "Error";
}

export function toUserError(error: unknown, node: string | null): UserError {
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    const stack = (error as { stack?: unknown }).stack;
    return {
      node,
      className: className(error),
      message: typeof message === "string" ? message : String(error),
      stack: typeof stack === "string" ? stack : null,
    };
  }
  return { node, className: typeof error, message: String(error), stack: null };
}

/**
 * Learns which node threw an error from LangChain's callbacks: every node
 * runs as a chain whose metadata names it, and the first chain to report an
 * error object is the innermost, i.e. the user's node (in a subgraph, the
 * subgraph's node rather than the parent's node that ran the subgraph).
 */
export class NodeErrorTracker extends BaseCallbackHandler {
  override name = "threadline-node-errors";
  override awaitHandlers = true;
  private readonly nodesByChainRun = new Map<string, string>();
  private readonly nodeByError = new WeakMap<object, string>();

  override handleChainStart(
    _chain: Serialized,
    _inputs: unknown,
    runId: string,
    _runType?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    const node = metadata?.langgraph_node;
    if (typeof node === "string") this.nodesByChainRun.set(runId, node);
  }

  override handleChainEnd(_outputs: unknown, runId: string): void {
    this.nodesByChainRun.delete(runId);
  }

  override handleChainError(error: unknown, runId: string): void {
    const node = this.nodesByChainRun.get(runId);
    this.nodesByChainRun.delete(runId);
    if (node !== undefined && typeof error === "object" && error !== null && !this.nodeByError.has(error)) {
      this.nodeByError.set(error, node);
    }
  }

  nodeOf(error: unknown): string | null {
    if (typeof error !== "object" || error === null) return null;
    const direct = this.nodeByError.get(error);
    if (direct !== undefined) return direct;
    if (error instanceof AggregateError) {
      for (const inner of error.errors) {
        const node = this.nodeOf(inner);
        if (node !== null) return node;
      }
    }
    return null;
  }
}
