import { AIMessage, HumanMessage, RemoveMessage } from "@langchain/core/messages";
import { Send } from "@langchain/langgraph";
import { ExtData, encode } from "@msgpack/msgpack";
import { decodePythonMsgpack, errorFromPython, PY_CLASS_KEY, revivePythonJson } from "./python-values";

/** One of LangGraph's extension values, as Python's serializer nests them: the payload is msgpack too. */
const ext = (type: number, payload: unknown[]) => new ExtData(type, encode(payload, { extensionCodec: undefined }));
const pack = (value: unknown) => decodePythonMsgpack(encode(value));

describe("LangGraph's Python msgpack values", () => {
  it("revives LangChain messages (ext 5) as LangChain JS messages, without Python's empty fields", () => {
    const [human, ai, remove] = pack([
      ext(5, ["langchain_core.messages.human", "HumanMessage", { content: "hi", type: "human", name: null, id: "h1", example: false }, "model_validate_json"]),
      ext(5, [
        "langchain_core.messages.ai",
        "AIMessage",
        { content: "", type: "ai", id: "a1", tool_calls: [{ name: "search", args: { q: "x" }, id: "c1", type: "tool_call" }], usage_metadata: null },
        "model_validate_json",
      ]),
      ext(5, ["langchain_core.messages.modifier", "RemoveMessage", { content: "", type: "remove", id: "h1" }, "model_validate_json"]),
    ]) as [HumanMessage, AIMessage, RemoveMessage];
    expect(human).toBeInstanceOf(HumanMessage);
    expect(human).toMatchObject({ content: "hi", id: "h1" });
    expect(human.name).toBeUndefined();
    expect(ai).toBeInstanceOf(AIMessage);
    expect(ai.tool_calls).toEqual([{ name: "search", args: { q: "x" }, id: "c1", type: "tool_call" }]);
    expect(remove).toBeInstanceOf(RemoveMessage);
    expect(remove.id).toBe("h1");
  });

  it("tags other models and classes with their Python class", () => {
    expect(pack(ext(5, ["app.schemas", "Profile", { name: "Jane", age: null }, "model_validate_json"]))).toEqual({
      [PY_CLASS_KEY]: "app.schemas.Profile",
      name: "Jane",
      age: null,
    });
    expect(pack(ext(2, ["app.models", "Point", { x: 1, y: 2 }]))).toEqual({ [PY_CLASS_KEY]: "app.models.Point", x: 1, y: 2 });
    expect(pack(ext(1, ["app.models", "Pair", [1, 2]]))).toEqual({ [PY_CLASS_KEY]: "app.models.Pair", args: [1, 2] });
  });

  it("decodes LangGraph's own types and Python's built-ins", () => {
    expect(pack(ext(2, ["langgraph.types", "Interrupt", { value: { ask: "ok?" }, id: "abc" }]))).toEqual({ value: { ask: "ok?" }, id: "abc" });
    const send = pack(ext(1, ["langgraph.types", "Send", ["tools", { q: 1 }]]));
    expect(send).toBeInstanceOf(Send);
    expect(send).toMatchObject({ node: "tools", args: { q: 1 } });
    expect(pack(ext(0, ["builtins", "set", ["a", "b"]]))).toEqual(new Set(["a", "b"]));
    expect(pack(ext(0, ["uuid", "UUID", "1f0571f751ea6270ffff88dcf9cd6b34"]))).toBe("1f0571f7-51ea-6270-ffff-88dcf9cd6b34");
    expect(pack(ext(3, ["datetime", "datetime", "2025-02-26T15:20:47.911702+00:00", "fromisoformat"]))).toBe("2025-02-26T15:20:47.911702+00:00");
    expect(pack(new ExtData(42, encode("opaque")))).toEqual({ [PY_CLASS_KEY]: "msgpack.ext42", value: "opaque" });
  });
});

describe("LangGraph's Python JSON values", () => {
  it("revives lc records innermost first", () => {
    const value = revivePythonJson({
      writes: {
        agent: {
          messages: [{ lc: 1, type: "constructor", id: ["langchain", "schema", "messages", "AIMessage"], kwargs: { content: "hello" } }],
          seen: { lc: 2, type: "constructor", id: ["builtins", "set"], method: null, args: [["x"]], kwargs: {} },
          model: { lc: 2, type: "constructor", id: ["app", "Model"], method: [null, "model_construct"], args: [], kwargs: { a: 1 } },
        },
      },
    }) as { writes: { agent: { messages: AIMessage[]; seen: Set<string>; model: object } } };
    expect(value.writes.agent.messages[0]).toBeInstanceOf(AIMessage);
    expect(value.writes.agent.messages[0]!.content).toBe("hello");
    expect(value.writes.agent.seen).toEqual(new Set(["x"]));
    expect(value.writes.agent.model).toEqual({ [PY_CLASS_KEY]: "app.Model", a: 1 });
  });
});

describe("Python exception reprs", () => {
  it("become LangGraph JS's {name, message}", () => {
    expect(errorFromPython(`AttributeError("'Chroma' object has no attribute 'persist'")`)).toEqual({
      name: "AttributeError",
      message: "'Chroma' object has no attribute 'persist'",
    });
    expect(errorFromPython(`openai.BadRequestError('Error code: 400 - {\\'error\\': "x"}\\n')`)).toEqual({
      name: "openai.BadRequestError",
      message: `Error code: 400 - {'error': "x"}\n`,
    });
    expect(errorFromPython("2 validation errors for HumanMessage")).toEqual({ name: "Error", message: "2 validation errors for HumanMessage" });
    expect(errorFromPython({ name: "E", message: "m" })).toEqual({ name: "E", message: "m" });
  });
});
