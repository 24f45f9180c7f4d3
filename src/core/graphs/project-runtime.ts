// A project may bring its own copy of LangChain. Values read back from the database must then be
// built from the project's classes, not Threadline's: a replayed node that checks
// `message instanceof AIMessage` against its own import must see what it would see in the user's app.
import { existsSync } from "node:fs";
import path from "node:path";
import { importFromProject } from "./project-import";
import { JsonPlusSerializer, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import * as ourMessages from "@langchain/core/messages";

export interface ProjectRuntime {
  /** The project's own serializer, when its @langchain/langgraph-checkpoint is not Threadline's. */
  serde?: SerializerProtocol;
  /** The project's own @langchain/core/messages, when it is not Threadline's. */
  messages?: Record<string, unknown>;
}

/** Resolves LangChain the way the project's modules do (ESM conditions, from the project's folder). */
export async function loadProjectRuntime(projectDir: string): Promise<ProjectRuntime> {
  const anchor = ["langgraph.json", "package.json"].map((f) => path.join(projectDir, f)).find((f) => existsSync(f));
  if (!anchor) return {};
  const load = async (specifier: string) => {
    try {
      return await importFromProject(specifier, anchor);
    } catch {
      // Not installed in the project: its graphs resolve Threadline's copy too, so ours is right.
      return undefined;
    }
  };
  const runtime: ProjectRuntime = {};
  const checkpoint = await load("@langchain/langgraph-checkpoint");
  const Serializer = checkpoint?.JsonPlusSerializer as (new () => SerializerProtocol) | undefined;
  if (Serializer && Serializer !== JsonPlusSerializer) runtime.serde = new Serializer();
  const messages = await load("@langchain/core/messages");
  if (messages && messages.AIMessage !== ourMessages.AIMessage) runtime.messages = messages;
  return runtime;
}
