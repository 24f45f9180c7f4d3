// A project may bring its own copy of LangChain. Values read back from the database must then be
// built from the project's classes, not Threadline's: a replayed node that checks
// `message instanceof AIMessage` against its own import must see what it would see in the user's app.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describeLine, registerLine, type LangGraphLine } from "./langgraph-line";
import { findLangGraphPackage } from "./project";
import { importFromProject } from "./project-import";
import { BaseStore, JsonPlusSerializer, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import * as ourMessages from "@langchain/core/messages";

export interface ProjectRuntime {
  /** The project's own serializer, when its @langchain/langgraph-checkpoint is not Threadline's. */
  serde?: SerializerProtocol;
  /** With `serde`: the @langchain/core/messages module that serializer's `load` builds messages from. */
  serdeMessages?: Record<string, unknown>;
  /** The project's own @langchain/core/messages, when it is not Threadline's. */
  messages?: Record<string, unknown>;
  /** The project's own BaseStore class, when it is not Threadline's: the store is built on it (store/store-class.ts). */
  storeBase?: abstract new () => object;
  /** The project's own @langchain/langgraph release, when it has one (its graphs are registered as of it). */
  line?: LangGraphLine;
  /** That release's module, as the project's graphs import it (the history warm-up builds its graph with it). */
  langgraph?: Record<string, unknown>;
}

async function loadFrom(specifier: string, anchor: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!anchor) return undefined;
  try {
    return await importFromProject(specifier, anchor);
  } catch {
    // Not installed in the project: its graphs resolve Threadline's copy too, so ours is right.
    return undefined;
  }
}

/** The file a package resolves to from `anchor`, to resolve further imports as that package does. */
function resolveIn(specifier: string, anchor: string): string | undefined {
  try {
    return createRequire(anchor).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * The release's own JsonPlusSerializer, when it is not Threadline's. 1.x exports the class; the
 * 0.0.x and 0.1.x packages (LangGraph 0.2 to 0.4) do not, but their savers default to it.
 */
function serializerOf(checkpoint: Record<string, unknown>): SerializerProtocol | undefined {
  const Exported = checkpoint.JsonPlusSerializer as (new () => SerializerProtocol) | undefined;
  if (typeof Exported === "function") return Exported === JsonPlusSerializer ? undefined : new Exported();
  const Saver = checkpoint.MemorySaver as (new () => { serde?: SerializerProtocol }) | undefined;
  const serde = typeof Saver === "function" ? new Saver().serde : undefined;
  return serde && serde.constructor !== JsonPlusSerializer ? serde : undefined;
}

/** Resolves LangChain the way the project's modules do (ESM conditions, from the project's folder). */
export async function loadProjectRuntime(projectDir: string): Promise<ProjectRuntime> {
  const anchor = ["langgraph.json", "package.json"].map((f) => path.join(projectDir, f)).find((f) => existsSync(f));
  if (!anchor) return {};
  const load = (specifier: string) => loadFrom(specifier, anchor);
  const runtime: ProjectRuntime = {};
  const langgraph = await load("@langchain/langgraph");
  const own = findLangGraphPackage(projectDir);
  if (langgraph && own) {
    runtime.line = describeLine(own.version, langgraph);
    registerLine(langgraph, runtime.line);
  }
  if (langgraph) runtime.langgraph = langgraph;
  // The checkpoint package LangGraph itself imports: an install may nest it under @langchain/langgraph.
  const langgraphEntry = resolveIn("@langchain/langgraph", anchor);
  const checkpointAnchor = (langgraphEntry && resolveIn("@langchain/langgraph-checkpoint", langgraphEntry)) ?? resolveIn("@langchain/langgraph-checkpoint", anchor);
  const checkpoint = await loadFrom("@langchain/langgraph-checkpoint", langgraphEntry ?? anchor);
  const serde = checkpoint ? serializerOf(checkpoint) : undefined;
  // The store is built on the release's own BaseStore (store/store-class.ts), as graphs see it.
  const StoreBase = checkpoint?.BaseStore as (abstract new () => object) | undefined;
  if (typeof StoreBase === "function" && StoreBase !== BaseStore) runtime.storeBase = StoreBase;
  if (serde) {
    runtime.serde = serde;
    // Resolved from the checkpoint package's own folder, as its `load` import is.
    const serdeMessages = await loadFrom("@langchain/core/messages", checkpointAnchor);
    if (serdeMessages) runtime.serdeMessages = serdeMessages;
  }
  const messages = await load("@langchain/core/messages");
  if (messages && messages.AIMessage !== ourMessages.AIMessage) runtime.messages = messages;
  return runtime;
}
