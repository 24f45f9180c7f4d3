// The checkpointer lent to the Agent Server API's runs writes the run's config into checkpoint metadata.
import { MemorySaver, emptyCheckpoint } from "@langchain/langgraph-checkpoint";
import { lendAgentServerSaver, serverCheckpointMetadata } from "./checkpoint-metadata";

const runArgs = (request?: Record<string, never>) =>
  ({ threadId: "t", graphId: "g", config: {}, metadata: {}, multitaskStrategy: "reject", ifNotExists: "reject", step: false, ...(request ? { request } : {}) }) as never;

describe("the Agent Server API's checkpoint metadata", () => {
  it("holds the config's plain configurable keys and metadata under LangGraph's own", () => {
    const config = {
      configurable: { thread_id: "t", checkpoint_ns: "", run_id: "r", graph_id: "g", user: "ada", __pregel_x: "hidden", nested: { a: 1 } },
      metadata: { created_by: "system", run_id: "r", step: 99 },
    };
    expect(serverCheckpointMetadata(config, { source: "loop", step: 2, parents: {} })).toEqual({
      graph_id: "g",
      user: "ada",
      created_by: "system",
      run_id: "r",
      source: "loop",
      step: 2,
      parents: {},
    });
  });

  it("is lent only to runs the API started, and stores through the graph's own saver", async () => {
    const saver = new MemorySaver();
    expect(lendAgentServerSaver(runArgs(), saver)).toBeUndefined();
    const lent = lendAgentServerSaver(runArgs({}), saver)!;
    const config = { configurable: { thread_id: "t", checkpoint_ns: "", graph_id: "g" }, metadata: { kind: "x" } };
    await lent.put(config, emptyCheckpoint(), { source: "input", step: -1, parents: {} }, {});
    expect((await saver.getTuple({ configurable: { thread_id: "t" } }))?.metadata).toEqual({ graph_id: "g", kind: "x", source: "input", step: -1, parents: {} });
  });
});
