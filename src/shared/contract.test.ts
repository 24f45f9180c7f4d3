import { describe, expect, it } from "vitest";
import { CALL_NAMES, CALLS, callFacts, createClient, dispatch, isCallName, parseArgs, partOf, UI_CALL_NAMES, type EngineServer } from "./contract";
import { ERROR_CODES, ThreadlineError } from "./errors";
import { ENGINE_EVENT_TYPES } from "./events";

describe("the contract", () => {
  it("names every call group.method", () => {
    for (const name of CALL_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(CALL_NAMES).toContain("threads.fork");
    expect(CALL_NAMES).toContain("runs.start");
  });

  it("builds a nested client that sends each call by its full name", async () => {
    const sent: [string, unknown][] = [];
    const client = createClient(async (name, args) => {
      sent.push([name, args]);
      return null;
    });
    await client.threads.get({ threadId: "t" });
    await client.graphs.list();
    expect(sent).toEqual([
      ["threads.get", { threadId: "t" }],
      ["graphs.list", {}],
    ]);
    for (const name of CALL_NAMES) {
      const [group, method] = name.split(".") as [string, string];
      expect(typeof (client as unknown as Record<string, Record<string, unknown>>)[group]![method]).toBe("function");
    }
  });

  it("keeps its call facts consistent: restarts answer with a call, the UI's client leaves adapter-only calls out", () => {
    for (const name of CALL_NAMES) {
      const { restartsEngine, adapterOnly, inspector, needs } = callFacts(name);
      if (restartsEngine) expect(isCallName(restartsEngine.answer), `${name} answers with ${restartsEngine.answer}`).toBe(true);
      if (adapterOnly) expect(inspector || needs, `${name}: an adapter-only call has no other part`).toBeFalsy();
    }
    const ui = createClient(async () => null, UI_CALL_NAMES) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(ui.history!).sort()).toEqual(["page", "states", "tree"]);
    expect(partOf("history.apiStates")).toBe("agentApi");
    expect(partOf("runs.console")).toBe("console");
    expect(partOf("diff.get")).toBe("inspector");
    expect(partOf("threads.get")).toBe("reads");
  });

  it("applies defaults when parsing", () => {
    expect(parseArgs("threads.search", {})).toEqual({ limit: 50, offset: 0 });
    expect(parseArgs("runs.start", { threadId: "t", graphId: "g" })).toMatchObject({
      multitaskStrategy: "reject",
      step: false,
      config: {},
    });
  });

  it("rejects bad arguments with INVALID_ARGUMENT naming the field", () => {
    const cases: [Parameters<typeof parseArgs>[0], unknown, string][] = [
      ["threads.get", { threadId: 42 }, "threadId"],
      ["threads.get", {}, "threadId"],
      ["threads.search", { limit: 0 }, "limit"],
      ["threads.search", { limit: 5000 }, "limit"],
      ["threads.search", { status: "sleeping" }, "status"],
      ["history.page", { threadId: "t", before: "" }, "before"],
      ["runs.start", { threadId: "t", graphId: "g", input: {}, command: { resume: 1 } }, "command"],
      ["runs.start", { threadId: "t", graphId: "g", command: {} }, "command"],
      ["runs.start", { threadId: "t", graphId: "g", multitaskStrategy: "shove" }, "multitaskStrategy"],
      ["breakpoints.set", { graphId: "g", before: "all", after: [] }, "before"],
      ["graphs.list", { extra: 1 }, "extra"],
    ];
    for (const [name, args, field] of cases) {
      let error: unknown;
      try {
        parseArgs(name, args);
      } catch (e) {
        error = e;
      }
      expect(error, `${name} ${JSON.stringify(args)}`).toBeInstanceOf(ThreadlineError);
      expect((error as ThreadlineError).code).toBe("INVALID_ARGUMENT");
      expect((error as ThreadlineError).message).toContain(name);
      expect((error as ThreadlineError).message).toContain(field);
    }
  });

  it("dispatch refuses unknown calls and wraps unknown errors as INTERNAL without a stack", async () => {
    const server = {
      "threads.get": () => {
        throw new Error("database is on fire");
      },
    } as unknown as EngineServer;
    await expect(dispatch(server, "threads.nope", {})).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(dispatch(server, "toString", {})).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    const error = (await dispatch(server, "threads.get", { threadId: "t" }).catch((e: unknown) => e)) as ThreadlineError;
    expect(error.toWire()).toEqual({ code: "INTERNAL", message: "database is on fire" });
  });

  it("lists error codes and events for the transports", () => {
    expect(ERROR_CODES).toEqual(expect.arrayContaining(["NOT_FOUND", "CONFLICT", "INVALID_ARGUMENT", "GRAPH_LOAD_FAILED", "RUN_FAILED", "NOT_SQLITE", "INTERNAL"]));
    expect(ENGINE_EVENT_TYPES).toEqual(expect.arrayContaining(["run.created", "token", "threads.changed", "worker.restarted"]));
    expect(Object.keys(CALLS).length).toBe(CALL_NAMES.length);
  });

  it("round-trips errors through the wire", () => {
    const wire = JSON.parse(JSON.stringify(new ThreadlineError("NOT_FOUND", "No thread").toWire()));
    const back = ThreadlineError.fromWire(wire);
    expect(back).toBeInstanceOf(ThreadlineError);
    expect(back.code).toBe("NOT_FOUND");
    expect(ThreadlineError.from(wire).message).toBe("No thread");
  });
});
