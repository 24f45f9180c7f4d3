// Values written by LangGraph's Python serializer (JsonPlusSerializer), as
// JavaScript values that Threadline's checkpointer stores and the inspector
// shows: msgpack with LangGraph's extension types, and the older JSON form
// with `lc` constructor records. Python classes cannot be imported here, so
// they are decoded structurally: LangChain messages become LangChain JS
// messages, LangGraph's Interrupt and Send their JS counterparts, sets Sets,
// dates ISO strings, and any other class a plain object tagged with its
// dotted class name under PY_CLASS_KEY.

import { ExtensionCodec, decode } from "@msgpack/msgpack";
import { Send } from "@langchain/langgraph";
import { messageFromFields } from "../threads/revive";

/** The key naming the Python class of a value that has no JS counterpart, e.g. "myapp.schemas.Profile". */
export const PY_CLASS_KEY = "__class__";

// LangGraph's extension type codes (langgraph/checkpoint/serde/jsonplus.py).
const EXT_CONSTRUCTOR_SINGLE_ARG = 0;
const EXT_CONSTRUCTOR_POS_ARGS = 1;
const EXT_CONSTRUCTOR_KW_ARGS = 2;
const EXT_METHOD_SINGLE_ARG = 3;
const EXT_PYDANTIC_V1 = 4;
const EXT_PYDANTIC_V2 = 5;
const EXT_NUMPY_ARRAY = 6;

type Fields = Record<string, unknown>;

const MESSAGE_MODULES = ["langchain_core.messages", "langchain.schema.messages", "langchain.schema"];
const MESSAGE_CLASSES = new Set([
  "HumanMessage",
  "AIMessage",
  "AIMessageChunk",
  "SystemMessage",
  "ToolMessage",
  "FunctionMessage",
  "ChatMessage",
  "RemoveMessage",
  "HumanMessageChunk",
  "SystemMessageChunk",
  "ToolMessageChunk",
  "FunctionMessageChunk",
  "ChatMessageChunk",
]);
/** Python-only message fields with no place in a JS message. */
const PYTHON_ONLY_MESSAGE_FIELDS = new Set(["example"]);

function isMessageClass(module: string, name: string): boolean {
  return MESSAGE_CLASSES.has(name) && MESSAGE_MODULES.some((m) => module === m || module.startsWith(`${m}.`));
}

/** Chunks have no reviver of their own; they are complete messages once stored. */
function baseMessageClass(name: string): string {
  return name !== "AIMessageChunk" && name.endsWith("Chunk") ? name.slice(0, -"Chunk".length) : name;
}

function toMessage(name: string, fields: Fields): unknown {
  const clean: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    // Python writes every optional field (name=None, id=None, usage_metadata=None); JS leaves them unset.
    if (value === null && key !== "content") continue;
    if (PYTHON_ONLY_MESSAGE_FIELDS.has(key)) continue;
    clean[key] = value;
  }
  if (clean.content === null || clean.content === undefined) clean.content = "";
  return messageFromFields(clean, baseMessageClass(name));
}

function tagged(module: string, name: string, fields: Fields): Fields {
  return { [PY_CLASS_KEY]: module ? `${module}.${name}` : name, ...fields };
}

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Python's `str(uuid)` form of a UUID's 32 hex digits. */
function formatUuid(hex: string): string {
  return /^[0-9a-f]{32}$/i.test(hex)
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : hex;
}

/** A class built from one argument: `Class(arg)`. */
function fromSingleArg(module: string, name: string, arg: unknown): unknown {
  if (module === "builtins" && (name === "set" || name === "frozenset")) return new Set(Array.isArray(arg) ? arg : [arg]);
  if (module === "collections" && name === "deque") return Array.isArray(arg) ? arg : [arg];
  if (module === "uuid" && name === "UUID" && typeof arg === "string") return formatUuid(arg);
  // Decimal, IPv4Address and the like are written as their string form; an Enum as its value.
  if (module === "decimal" || module === "ipaddress") return arg;
  return tagged(module, name, { args: [arg] });
}

/** A class built from positional arguments: `Class(*args)`. */
function fromPositionalArgs(module: string, name: string, args: unknown): unknown {
  const list = Array.isArray(args) ? args : [args];
  if (module === "langgraph.types" && name === "Send") return new Send(String(list[0]), list[1]);
  if (module === "pathlib" || module.startsWith("pathlib.")) return list.map(String).join("/");
  if (module === "re" && name === "compile" && typeof list[0] === "string") return list[0];
  return tagged(module, name, { args: list });
}

/** A class built from keyword arguments: `Class(**kwargs)`, dataclasses and the like. */
function fromKeywordArgs(module: string, name: string, kwargs: unknown): unknown {
  const fields = isFields(kwargs) ? kwargs : { kwargs };
  // LangGraph JS keeps interrupts as plain {value, id, ...} objects.
  if (module === "langgraph.types" && name === "Interrupt") return { ...fields };
  return tagged(module, name, fields);
}

/** `Class.method(arg)`: datetime.fromisoformat and friends. */
function fromMethod(module: string, name: string, arg: unknown, method: unknown): unknown {
  if (module === "datetime" && method === "fromisoformat" && typeof arg === "string") return arg;
  return tagged(module, name, { method: String(method), args: [arg] });
}

function fromModel(module: string, name: string, fields: unknown): unknown {
  if (isMessageClass(module, name) && isFields(fields)) return toMessage(name, fields);
  return tagged(module, name, isFields(fields) ? fields : { value: fields });
}

function fromExtension(type: number, payload: unknown): unknown {
  if (!Array.isArray(payload) || typeof payload[0] !== "string" || typeof payload[1] !== "string") {
    return { [PY_CLASS_KEY]: `msgpack.ext${type}`, value: payload };
  }
  const [module, name, arg, method] = payload as [string, string, unknown, unknown];
  switch (type) {
    case EXT_CONSTRUCTOR_SINGLE_ARG:
      return fromSingleArg(module, name, arg);
    case EXT_CONSTRUCTOR_POS_ARGS:
      return fromPositionalArgs(module, name, arg);
    case EXT_CONSTRUCTOR_KW_ARGS:
      return fromKeywordArgs(module, name, arg);
    case EXT_METHOD_SINGLE_ARG:
      return fromMethod(module, name, arg, method);
    case EXT_PYDANTIC_V1:
    case EXT_PYDANTIC_V2:
      return fromModel(module, name, arg);
    case EXT_NUMPY_ARRAY:
      return tagged(module, name, { args: payload.slice(2) });
    default:
      return tagged(module, name, { args: payload.slice(2) });
  }
}

const codec = new ExtensionCodec();
for (let type = 0; type <= 127; type++) {
  codec.register({
    type,
    encode: () => null,
    decode: (data) => fromExtension(type, decode(data, { extensionCodec: codec })),
  });
}

/** One msgpack value written by LangGraph's Python serializer. */
export function decodePythonMsgpack(bytes: Uint8Array): unknown {
  return decode(bytes, { extensionCodec: codec });
}

// ---- the JSON form ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MODEL_METHODS = new Set(["model_construct", "model_validate_json", "parse_raw", "construct"]);

/** One `lc`-tagged record of Python's JSON form, or undefined if it is not one. */
function fromLcRecord(record: Fields): { value: unknown } | undefined {
  const id = record.id;
  if (record.type !== "constructor" || !Array.isArray(id) || id.length === 0 || !id.every((part) => typeof part === "string")) {
    return undefined;
  }
  const parts = id as string[];
  const name = parts[parts.length - 1]!;
  const module = parts.slice(0, -1).join(".");
  if (record.lc === 1) {
    // LangChain's own serialization: ["langchain_core", "messages", "HumanMessage"] with kwargs.
    if (isMessageClass(module, name) || (parts.includes("messages") && MESSAGE_CLASSES.has(name))) {
      return { value: toMessage(name, isRecord(record.kwargs) ? record.kwargs : {}) };
    }
    return undefined;
  }
  if (record.lc !== 2) return undefined;
  const args = Array.isArray(record.args) ? record.args : [];
  const kwargs = isRecord(record.kwargs) ? record.kwargs : {};
  // Pydantic models are written with method [null, "model_construct"]; dates with "fromisoformat".
  const methods = (Array.isArray(record.method) ? record.method : [record.method]).filter((m): m is string => typeof m === "string" && m !== "");
  if (methods.some((m) => MODEL_METHODS.has(m))) {
    return { value: fromModel(module, name, Object.keys(kwargs).length > 0 ? kwargs : args[0]) };
  }
  if (methods.length > 0) return { value: fromMethod(module, name, args[0], methods[methods.length - 1]) };
  if (Object.keys(kwargs).length > 0) return { value: fromKeywordArgs(module, name, kwargs) };
  if (args.length === 1) return { value: fromSingleArg(module, name, args[0]) };
  return { value: fromPositionalArgs(module, name, args) };
}

/** A parsed JSON value from Python's JSON form, with its `lc` records decoded (innermost first). */
export function revivePythonJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revivePythonJson);
  if (!isRecord(value)) return value;
  const revived: Fields = {};
  for (const [key, field] of Object.entries(value)) {
    const inner = revivePythonJson(field);
    if (key === "__proto__") Object.defineProperty(revived, key, { value: inner, enumerable: true, writable: true, configurable: true });
    else revived[key] = inner;
  }
  if (revived.lc === 2 && revived.type === "undefined") return undefined;
  return (fromLcRecord(revived) ?? { value: revived }).value;
}

/**
 * A node's failure as LangGraph JS stores it ({name, message}), from the repr Python stored,
 * e.g. `AttributeError("'Chroma' object has no attribute 'persist'")`.
 */
export function errorFromPython(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const match = /^([A-Za-z_][\w.]*)\((['"])([\s\S]*)\2\)$/.exec(value);
  if (!match) return { name: "Error", message: value };
  const [, name, quote, body] = match as unknown as [string, string, string, string];
  return { name, message: unescapePythonString(body, quote) };
}

function unescapePythonString(body: string, quote: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, escape: string) => {
    switch (escape[0]) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "x":
      case "u":
      case "U":
        return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
      case "\\":
      case "'":
      case '"':
        return escape;
      default:
        return escape === quote ? quote : `\\${escape}`;
    }
  });
}
