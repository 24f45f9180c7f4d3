// Assistants as LangGraph's Agent Server keeps them: a graph with a config, a context and metadata,
// versioned (each patch is a new version; one of them is the latest). The engine stores them
// (core/agent-api/assistants.ts) in the wire's own shape (snake_case, plain JSON values), and only
// the Agent Server adapter reads them; the argument schemas here are the contract's.
import { z } from "zod";
import type { JsonObject } from "../encoding";

export interface ApiAssistant {
  assistant_id: string;
  graph_id: string;
  config: JsonObject;
  context: JsonObject;
  metadata: JsonObject;
  name: string;
  description: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One stored version: the assistant as it was when the version was made. */
export type ApiAssistantVersion = Omit<ApiAssistant, "updated_at">;

export const ASSISTANT_SORT_KEYS = ["assistant_id", "graph_id", "name", "created_at", "updated_at"] as const;

const jsonObject = z.record(z.string(), z.json());
const assistantId = z.string().min(1).max(512);
const graphId = z.string().min(1).max(512);
const name = z.string().max(4096);
const description = z.string().max(65536);

export const assistantArgs = {
  put: z.object({
    /** A UUID; one is made when absent. */
    assistantId: z.uuid().optional(),
    graphId,
    config: jsonObject.default({}),
    context: jsonObject.default({}),
    metadata: jsonObject.default({}),
    name: name.optional(),
    description: description.optional(),
    ifExists: z.enum(["raise", "do_nothing"]).default("raise"),
  }),
  /** `assistantId`: an assistant's id, or a graph id for the graph's default assistant. */
  get: z.object({ assistantId }),
  patch: z.object({
    assistantId,
    graphId: graphId.optional(),
    config: jsonObject.optional(),
    context: jsonObject.optional(),
    /** Merged into the assistant's metadata, key by key. */
    metadata: jsonObject.optional(),
    name: name.optional(),
    description: description.optional(),
  }),
  delete: z.object({ assistantId, deleteThreads: z.boolean().default(false) }),
  setLatest: z.object({ assistantId, version: z.number().int().min(1) }),
  versions: z.object({
    assistantId,
    metadata: jsonObject.optional(),
    limit: z.number().int().min(1).max(1000).default(10),
    offset: z.number().int().min(0).default(0),
  }),
  search: z.object({
    graphId: graphId.optional(),
    /** A case-insensitive part of the name. */
    name: name.optional(),
    metadata: jsonObject.optional(),
    limit: z.number().int().min(1).max(1000).default(10),
    offset: z.number().int().min(0).default(0),
    sortBy: z.enum(ASSISTANT_SORT_KEYS).default("created_at"),
    sortOrder: z.enum(["asc", "desc"]).default("desc"),
  }),
  count: z.object({ graphId: graphId.optional(), name: name.optional(), metadata: jsonObject.optional() }),
};
