// One line saying what a step changed, read from the writes its tasks left on the checkpoint it started
// from ("+1 AIMessage → tools", "outcome: sent"), and the first thing a person said in a thread, for its
// title. Both read live values (as the saver loads them), never the whole state.

const MESSAGE_KINDS: Record<string, string> = {
  human: "HumanMessage",
  user: "HumanMessage",
  ai: "AIMessage",
  assistant: "AIMessage",
  tool: "ToolMessage",
  system: "SystemMessage",
  remove: "RemoveMessage",
};

/** Channels LangGraph uses for its own bookkeeping; `branch:to:X` is read as "→ X". */
const INTERNAL = /^(__|branch:)/;
const BRANCH = /^branch:to:(.+)$/;
const PREVIEW = 24;

export interface WriteForSummary {
  channel: string;
  value: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A LangChain message's class ("AIMessage"), from an instance, its serialized form (`{lc: 1, id: [..., "AIMessage"]}`,
 * as the saver stores it) or its plain `{role|type, content}` form.
 */
export function messageKind(value: unknown): string | null {
  if (!isRecord(value)) return null;
  if (value.lc === 1 && value.type === "constructor" && Array.isArray(value.id)) {
    const name = value.id[value.id.length - 1];
    return typeof name === "string" && /Message(Chunk)?$/.test(name) ? name.replace(/Chunk$/, "") : null;
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name ?? "";
  if (/Message(Chunk)?$/.test(ctor) && ctor !== "Object") return ctor.replace(/Chunk$/, "");
  if (!("content" in value)) return null;
  const type = typeof value.type === "string" ? value.type : typeof value.role === "string" ? value.role : null;
  return type ? (MESSAGE_KINDS[type] ?? null) : null;
}

function asMessages(value: unknown): string[] | null {
  const items = Array.isArray(value) ? value : [value];
  const kinds = items.map(messageKind);
  return items.length > 0 && kinds.every((k) => k !== null) ? (kinds as string[]) : null;
}

function preview(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (Array.isArray(value)) text = `[${value.length}]`;
  else if (isRecord(value)) text = "{…}";
  else text = String(value);
  text = text.replace(/\s+/g, " ");
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text;
}

/** "+2 AIMessage, +1 ToolMessage" from the kinds of the messages written. */
function countKinds(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `+${n} ${k}`).join(", ");
}

export function summarizeWrites(writes: readonly WriteForSummary[]): string {
  const parts: string[] = [];
  const targets: string[] = [];
  const byChannel = new Map<string, unknown[]>();
  for (const w of writes) {
    const branch = BRANCH.exec(w.channel);
    if (branch) {
      if (!targets.includes(branch[1]!)) targets.push(branch[1]!);
      continue;
    }
    if (INTERNAL.test(w.channel)) continue;
    const list = byChannel.get(w.channel) ?? [];
    list.push(w.value);
    byChannel.set(w.channel, list);
  }
  for (const [channel, values] of byChannel) {
    const kinds = values.map(asMessages);
    if (kinds.every((k) => k !== null)) parts.push(countKinds(kinds.flat() as string[]));
    else parts.push(`${channel}: ${preview(values[values.length - 1])}`);
  }
  const text = parts.join(" · ");
  const route = targets.length ? `→ ${targets.join(", ")}` : "";
  return [text, route].filter(Boolean).join(" ");
}

function textOf(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const text = content
      .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
      .join(" ")
      .trim();
    return text || null;
  }
  return null;
}

/** The text of the first human message in a written value (a message, a list of them, or a state with `messages`). */
export function firstHumanText(value: unknown): string | null {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.messages) ? value.messages : [value];
  for (const item of list) {
    if (messageKind(item) !== "HumanMessage") continue;
    const text = textOf((item as { content?: unknown }).content)?.replace(/\s+/g, " ").trim();
    if (text) return text;
  }
  return null;
}
