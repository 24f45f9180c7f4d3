// LangGraph's stream as the run manager reads it, on every supported line. The 0.2 line has no
// "tasks" and "checkpoints" stream modes; it sends the same payloads as "debug" events (task,
// task_result, checkpoint), which are read here as those modes. Older releases (0.2 up to at
// least 1.2.9) put a chat model's tokens in the namespace of the task that called it
// (["model:<task id>"] for a root node); later ones, and Threadline, in the namespace of the
// graph that runs the task. The first 0.2 releases stream no subgraphs and send [mode, payload].
// Commands are built with the release's own Command class, and refused in words on a release
// that has none.
import { lineOf, notOnThisLine, type LangGraphLine } from "../graphs/langgraph-line";

export type StreamChunk = [string[], string, unknown];

/** The stream modes to ask `line` for, standing in for `wanted`. */
export function streamModesFor(line: LangGraphLine, wanted: readonly string[]): string[] {
  if (line.taskStreams) return [...wanted];
  const modes = wanted.filter((mode) => mode !== "tasks" && mode !== "checkpoints");
  if (modes.length < wanted.length && !modes.includes("debug")) modes.push("debug");
  return modes;
}

const DEBUG_AS: Record<string, string> = { task: "tasks", task_result: "tasks", checkpoint: "checkpoints" };

/** A chunk of `line`'s stream as the chunk of a release that has every stream mode. */
export function asModernChunk(line: LangGraphLine, raw: StreamChunk | [string, unknown]): StreamChunk | undefined {
  // Releases that cannot stream subgraphs (the first 0.2 ones) send [mode, payload].
  const chunk: StreamChunk = raw.length === 2 ? [[], raw[0], raw[1]] : raw;
  const [namespace, mode, payload] = chunk;
  if (mode === "messages") return [graphNamespace(namespace, payload), mode, payload];
  if (line.taskStreams || mode !== "debug") return chunk;
  const event = payload as { type?: string; payload?: unknown };
  const as = event.type === undefined ? undefined : DEBUG_AS[event.type];
  return as ? [namespace, as, event.payload] : undefined;
}

/** A messages chunk's namespace without its task's own segment, when the release left it in. */
function graphNamespace(namespace: string[], payload: unknown): string[] {
  const metadata = Array.isArray(payload) ? (payload[1] as { langgraph_checkpoint_ns?: unknown } | undefined) : undefined;
  const taskNs = metadata?.langgraph_checkpoint_ns;
  return namespace.length > 0 && typeof taskNs === "string" && namespace.join("|") === taskNs ? namespace.slice(0, -1) : namespace;
}

export interface CommandFields {
  resume?: unknown;
  update?: Record<string, unknown>;
  goto?: unknown;
}

/** A Command of the graph's own release; INVALID_ARGUMENT, naming the release, when it has none. */
export function commandFor(graph: unknown, fields: CommandFields): unknown {
  const line = lineOf(graph);
  const Command = line.Command;
  if (!Command) throw notOnThisLine(line, "Resuming or steering a run with a command (resume, update, goto) needs LangGraph's Command");
  return new Command(fields as Record<string, unknown>);
}
