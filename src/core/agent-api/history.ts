// The engine's side of the Agent Server API's history: which checkpoints a page holds with their
// revisions (what the adapter's history cache checks), and the page's states written as the JSON
// text LangGraph's REST API sends, in the engine's worker, straight from the live values. Only the
// adapter (src/server/agent-api) calls these (history.revisions, history.apiStates).
import type { CallContext, ParsedArgs } from "../../shared/contract";
import type { EncodeMemo } from "../../shared/encoding";
import { apiStateText, type ApiStateText } from "../../shared/agent-api/state";
import { ApiValueMemo, liveApiJson, type LiveJsonMemo } from "../../shared/agent-api/values";
import { liveStateText } from "./live-state";
import type { EngineContext } from "../threads/context";
import type { StateService } from "../threads/state";
import type { ThreadService } from "../threads/threads";

/**
 * JSON text sent to the caller at a time when it takes partial results (about 1 MB). Each part
 * wakes the HTTP thread, which on a machine with two cores preempted the engine's worker in the
 * middle of the page: a 200-loop thread's page went out as 50 parts of 110 KB. Parts of 1 MB
 * cost the server's threads about 3 ms less CPU per first page, the HTTP thread 2 ms of it
 * (issue 15; the body still streams).
 */
const PART_CHARS = 1 << 20;

export interface PageRevisions {
  items: { checkpointId: string; revision: string | null }[];
}

export class AgentApiHistory {
  constructor(
    private readonly ctx: EngineContext,
    private readonly threads: ThreadService,
    private readonly state: StateService,
  ) {}

  /** See history.revisions: the stored checkpoint's revision, prefixed with the graph the thread is read with. */
  async revisions(args: ParsedArgs<"history.revisions">): Promise<PageRevisions> {
    const graph = JSON.stringify(this.threads.graphIdOf(this.threads.row(args.threadId)) ?? "");
    if (args.before) await this.state.mustExist(args.threadId, args.checkpointNs, args.before);
    const page = await this.ctx.checkpoints.pageRevisions(args.threadId, args);
    return {
      items: page.map(({ checkpointId, revision }) => ({ checkpointId, revision: revision === null ? null : `${graph}:${revision}` })),
    };
  }

  /**
   * History states as LangGraph's REST API writes them. Their values are written straight from
   * the live state (liveApiJson) when they hold nothing unusual, each message once per page;
   * otherwise, like everything else in a state, through the encoding. With `context.partial`,
   * the states go out as they are written, about PART_CHARS of JSON at a time, and the result
   * holds none.
   */
  async apiStates(args: ParsedArgs<"history.apiStates">, context?: CallContext): Promise<{ states: ApiStateText[] }> {
    const states: ApiStateText[] = [];
    // Read before the states, so that a write landing in between makes a state newer than its
    // revision (and it is read again next time), never older.
    const revisions = args.metadata || args.graphId ? new Map<string, string>() : await this.pageRevisions(args);
    const encodeMemo: EncodeMemo = new WeakMap();
    const apiMemo = new ApiValueMemo();
    const liveMemo: LiveJsonMemo = new WeakMap();
    let size = 0;
    for await (const item of this.state.historyItems(args)) {
      const values = liveApiJson(item.values, liveMemo);
      const revision = revisions.get(item.checkpointId) ?? null;
      const live = values !== undefined && item.live ? liveStateText(item.live, args.threadId, liveMemo, values, revision) : undefined;
      const text =
        live ??
        (values === undefined
          ? apiStateText(item.snapshot(encodeMemo, true), args.threadId, apiMemo, undefined, revision)
          : apiStateText(item.snapshot(encodeMemo, false), args.threadId, apiMemo, values, revision));
      if (!text) continue;
      states.push(text);
      size += text.json.length;
      if (context?.partial && size >= PART_CHARS) {
        context.partial({ states: states.splice(0) });
        size = 0;
      }
    }
    if (context?.partial && states.length > 0) context.partial({ states: states.splice(0) });
    return { states };
  }

  private async pageRevisions(args: ParsedArgs<"history.apiStates">): Promise<Map<string, string>> {
    const { items } = await this.revisions({
      threadId: args.threadId,
      checkpointNs: args.checkpointNs,
      limit: args.limit,
      ...(args.before ? { before: args.before } : {}),
    });
    return new Map(items.flatMap((i) => (i.revision === null ? [] : [[i.checkpointId, i.revision] as const])));
  }
}
