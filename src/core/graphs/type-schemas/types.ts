// What the engine asks of the type extraction (run in its own worker, see service.ts) and what it
// answers. Plain data: it crosses a worker boundary and is kept in the disk cache.
import type { JsonSchema } from "../../../shared/graph";

/** Each schema's state keys, as the compiled graph has them at runtime; `messages`: keys whose reducer is LangGraph's messages reducer. */
export interface KeySets {
  state: string[];
  input?: string[];
  output?: string[];
  config?: string[];
  messages: string[];
}

export interface ExtractRequest {
  graphs: { id: string; file: string; keys: KeySets }[];
}

export interface TypedSchemas {
  input?: JsonSchema;
  output?: JsonSchema;
  state?: JsonSchema;
  config?: JsonSchema;
}

export interface ExtractResult {
  graphs: Record<string, { schemas: TypedSchemas } | { error: string }>;
  /** Every file of the user's the program read, with the SHA-256 of what it read: a change to any invalidates the result. */
  files: Record<string, string>;
  typescript: string;
}
