// A history state's JSON written straight from LangGraph's live snapshot: the values, each task's
// result and path, and the metadata through liveApiJson, with no encoding in between. It writes
// what the long way (fromGraphSnapshot, then apiStateText's encoding and conversion) writes, byte
// for byte, and answers undefined for anything it leaves to the long way: a task with an error,
// interrupts or a subgraph's state, a value liveApiJson cannot write, a snapshot without a
// checkpoint. The compatibility test and live-state.test.ts compare the two.
import type { ApiStateText } from "../../shared/agent-api/state";
import { liveApiJson, type LiveJsonMemo } from "../../shared/agent-api/values";
import { refOf, type GraphStateSnapshot } from "../threads/snapshot";

type LiveTask = GraphStateSnapshot["tasks"][number];

/** Metadata keys metadataInfo (threads/snapshot.ts) reads itself; the rest are its `extra`. */
const METADATA_KNOWN = new Set(["source", "step", "writes", "parents"]);

/** As apiStateText writes it; `valuesJson`: the state's values, already written with `memo`. */
export function liveStateText(
  snapshot: GraphStateSnapshot,
  threadId: string,
  memo: LiveJsonMemo,
  valuesJson: string,
  revision: string | null,
): ApiStateText | undefined {
  const checkpoint = refOf(snapshot.config);
  if (!checkpoint) return undefined;
  const tasks: string[] = [];
  for (const task of snapshot.tasks) {
    const text = taskJson(task, threadId, memo);
    if (text === undefined) return undefined;
    tasks.push(text);
  }
  const metadata = snapshot.metadata ? metadataJson(snapshot.metadata, memo) : "";
  if (metadata === undefined) return undefined;
  const parent = refOf(snapshot.parentConfig);
  const json =
    `{"values":${valuesJson},"next":${JSON.stringify([...snapshot.next])},"tasks":[${tasks.join(",")}]` +
    `${metadata ? `,"metadata":${metadata}` : ""},"created_at":${JSON.stringify(snapshot.createdAt ?? null)}` +
    `,"checkpoint":${checkpointJson(checkpoint)},"parent_checkpoint":${parent ? checkpointJson(parent) : "null"}}`;
  return { checkpointNs: checkpoint.checkpointNs, checkpointId: checkpoint.checkpointId, json, revision };
}

function checkpointJson(ref: { threadId: string; checkpointNs: string; checkpointId: string }): string {
  return `{"thread_id":${JSON.stringify(ref.threadId)},"checkpoint_ns":${JSON.stringify(ref.checkpointNs)},"checkpoint_id":${JSON.stringify(ref.checkpointId)},"checkpoint_map":null}`;
}

/** apiTask's JSON for a task with no error, no interrupts and no subgraph state. */
function taskJson(task: LiveTask, threadId: string, memo: LiveJsonMemo): string | undefined {
  if ((task.error !== undefined && task.error !== null) || task.interrupts.length > 0) return undefined;
  if (typeof task.id !== "string" || typeof task.name !== "string") return undefined;
  const state = task.state as { values?: unknown; next?: unknown; tasks?: unknown; configurable?: Record<string, unknown> } | undefined;
  if (typeof state === "object" && state !== null && "values" in state && "next" in state && "tasks" in state) return undefined;
  const subNs = state?.configurable?.checkpoint_ns;
  if (subNs && typeof subNs !== "string") return undefined;
  const path = liveApiJson(task.path ?? null, memo);
  const result = task.result === undefined || task.result === null ? "null" : liveApiJson(task.result, memo);
  if (path === undefined || result === undefined) return undefined;
  const checkpoint = subNs ? `{"thread_id":${JSON.stringify(threadId)},"checkpoint_ns":${JSON.stringify(subNs)}}` : "null";
  return (
    `{"id":${JSON.stringify(task.id)},"name":${JSON.stringify(task.name)},"error":null,"interrupts":[],"path":${path}` +
    `,"checkpoint":${checkpoint},"state":null,"result":${result}}`
  );
}

/**
 * apiThreadState's metadata: what metadataInfo keeps as `extra` first, then source, writes, step
 * and parents, built as the same object so that its keys come in the same order.
 */
function metadataJson(metadata: Record<string, unknown>, memo: LiveJsonMemo): string | undefined {
  // metadataInfo assigns these keys, which for "__proto__" sets a prototype; and the long way writes a
  // `writes` that JSON drops as null.
  if (Object.prototype.hasOwnProperty.call(metadata, "__proto__")) return undefined;
  if (typeof metadata.writes === "function" || typeof metadata.writes === "symbol") return undefined;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) if (!METADATA_KNOWN.has(key)) extra[key] = value;
  const { writes, parents } = metadata;
  const parentIds = typeof parents === "object" && parents !== null ? Object.entries(parents).filter(([, id]) => typeof id === "string") : [];
  return liveApiJson(
    {
      ...extra,
      source: typeof metadata.source === "string" ? metadata.source : "",
      ...(writes !== undefined ? { writes } : {}),
      step: typeof metadata.step === "number" ? metadata.step : -1,
      parents: Object.fromEntries(parentIds),
    },
    memo,
  );
}
