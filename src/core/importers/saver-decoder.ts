// Rows of LangGraph's own savers (SQLite and PostgreSQL, Python and JS) as
// JavaScript values: one decoder for the importer and for the readers that
// open a store in place (../stores), so that both read a value the same way.
//
// Python's savers write msgpack with LangGraph's extension types (and JSON
// for metadata); the JS savers write LangChain's JSON serialization, which
// LangGraph.js's own JsonPlusSerializer revives.

import { JsonPlusSerializer, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { decodePythonMsgpack, errorFromPython, revivePythonJson } from "./python-values";

/** Which saver wrote the values: Python's (msgpack) or JS's (JSON). */
export type SaverFlavour = "python-msgpack" | "js-json";

/** A value that cannot be decoded; the message says which row and why. */
export class DecodeProblem extends Error {}

const ERROR_CHANNEL = "__error__";

export type RawValue = Uint8Array | string | null;

export class SaverDecoder {
  private readonly jsSerde = new JsonPlusSerializer();

  constructor(readonly flavour: SaverFlavour) {}

  /** A value stored with the serializer's type tag ("msgpack", "json", "null", "bytes", "empty"…). */
  async value(type: string | null, value: RawValue, what: string): Promise<unknown> {
    const bytes = value === null ? new Uint8Array() : typeof value === "string" ? Buffer.from(value, "utf8") : value;
    try {
      switch (type) {
        // Python's None; written as an empty blob (branch triggers, __no_writes__).
        case "null":
        case null:
          return null;
        case "msgpack":
          return decodePythonMsgpack(bytes);
        case "json":
          return await this.json(Buffer.from(bytes).toString("utf8"));
        case "bytes":
        case "bytearray":
          return Uint8Array.from(bytes);
        case "pickle":
          throw new DecodeProblem(`${what} was pickled by Python, which only Python can read`);
        default:
          throw new DecodeProblem(`${what} has the unknown serialization type "${type}"`);
      }
    } catch (error) {
      if (error instanceof DecodeProblem) throw error;
      throw new DecodeProblem(`${what} cannot be decoded (${(error as Error).message})`);
    }
  }

  /** JSON text as the flavour's serializer wrote it. */
  private async json(text: string): Promise<unknown> {
    return this.flavour === "js-json" ? this.jsSerde.loadsTyped("json", text) : revivePythonJson(JSON.parse(text) as unknown);
  }

  /** Checkpoint metadata: JSON text or bytes (SQLite), or already parsed JSON (PostgreSQL's JSONB). */
  async metadata(value: RawValue | Record<string, unknown>, what: string): Promise<CheckpointMetadata> {
    if (value === null) return { source: "input", step: -1, parents: {} } as CheckpointMetadata;
    let metadata: unknown;
    try {
      const text =
        typeof value === "string" ? value : value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : JSON.stringify(value);
      // Plain JSON (no LangChain "lc" records, the common case) needs no reviving: a thread list reads thousands.
      if (!text.includes('"lc"')) metadata = typeof value === "object" && !(value instanceof Uint8Array) ? value : JSON.parse(text);
      else metadata = await this.json(text);
    } catch (error) {
      throw new DecodeProblem(`${what} is not JSON (${(error as Error).message})`);
    }
    if (typeof metadata !== "object" || metadata === null) throw new DecodeProblem(`${what} is not an object`);
    return metadata as CheckpointMetadata;
  }

  /** A checkpoint as the saver stored it (an object with channel_values, channel_versions…). */
  async checkpoint(type: string | null, value: RawValue, what: string): Promise<Record<string, unknown>> {
    const decoded = await this.value(type, value, what);
    if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) {
      throw new DecodeProblem(`${what} is not an object`);
    }
    return decoded as Record<string, unknown>;
  }

  /** A pending write's value; Python keeps a node's exception as its repr, LangGraph JS as {name, message}. */
  async write(channel: string, type: string | null, value: RawValue, what: string): Promise<unknown> {
    const decoded = await this.value(type, value, what);
    return channel === ERROR_CHANNEL && this.flavour === "python-msgpack" ? errorFromPython(decoded) : decoded;
  }
}
