// A server thread's history, read a page at a time (LangGraph's getHistory), and the states read so
// far kept by checkpoint: the timeline's rows need each checkpoint's parent (which nodes wrote it,
// what they changed), a page holds almost all of them, and selecting a row or diffing two rows then
// reads from memory. No request is ever made for one checkpoint of a page.
import type { ThreadState } from "@langchain/langgraph-sdk";
import type { RemoteConnection } from "./connection";

/** States kept per thread; the oldest read are dropped first. */
const KEPT_STATES = 5000;
/** getHistory's own largest page on LangGraph's servers. */
export const SERVER_PAGE = 1000;

const key = (ns: string, checkpointId: string) => `${ns}\0${checkpointId}`;

export class HistoryReader {
  private readonly kept = new Map<string, Map<string, ThreadState>>();

  constructor(private readonly connection: RemoteConnection) {}

  /** Forgets a thread's states (a run or an edit may have added writes to its checkpoints). */
  forget(threadId?: string): void {
    if (threadId === undefined) this.kept.clear();
    else this.kept.delete(threadId);
  }

  known(threadId: string, ns: string, checkpointId: string): ThreadState | undefined {
    return this.kept.get(threadId)?.get(key(ns, checkpointId));
  }

  private keep(threadId: string, states: ThreadState[]): void {
    let map = this.kept.get(threadId);
    if (!map) this.kept.set(threadId, (map = new Map()));
    for (const state of states) {
      const id = state.checkpoint?.checkpoint_id;
      if (!id) continue;
      const k = key(state.checkpoint.checkpoint_ns ?? "", id);
      map.delete(k);
      map.set(k, state);
    }
    while (map.size > KEPT_STATES) map.delete(map.keys().next().value!);
  }

  /** One getHistory request: newest first, older than `before`, in namespace `ns`. */
  async page(
    threadId: string,
    options: { ns: string; limit: number; before?: string; metadata?: Record<string, unknown> },
  ): Promise<ThreadState[]> {
    const states = await this.connection.call(() =>
      this.connection.client.threads.getHistory(threadId, {
        limit: options.limit,
        // A checkpoint id: what langgraph dev (JS) takes, and Python's server and Threadline's too; the
        // SDK types it as a config, which langgraph dev refuses.
        ...(options.before ? { before: options.before as never } : {}),
        ...(options.ns ? { checkpoint: { checkpoint_ns: options.ns } } : {}),
        ...(options.metadata ? { metadata: options.metadata } : {}),
      }),
    );
    this.keep(threadId, states);
    return states;
  }

  /** Every state of a namespace, newest first, in pages of the server's largest size. */
  async all(threadId: string, ns: string): Promise<ThreadState[]> {
    const out: ThreadState[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.page(threadId, { ns, limit: SERVER_PAGE, ...(before ? { before } : {}) });
      out.push(...page);
      const last = page[page.length - 1]?.checkpoint?.checkpoint_id;
      if (page.length < SERVER_PAGE || !last) return out;
      before = last;
    }
  }
}
