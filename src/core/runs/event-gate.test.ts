// A run's events go out only once another connection can read the checkpoints they announce.
import Database from "better-sqlite3";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { EngineEvent } from "../../shared/events";
import { SqliteCheckpointer } from "../storage/index";
import { tempDir } from "../storage/test-helpers";
import { gateEvents } from "./event-gate";

const State = Annotation.Root({ n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
const STEPS = 30;

function counter(saver: SqliteCheckpointer) {
  const graph = new StateGraph(State)
    .addNode("inc", () => ({ n: 1 }))
    .addEdge(START, "inc")
    .addConditionalEdges("inc", (s) => (s.n < STEPS ? "inc" : END));
  return graph.compile({ checkpointer: saver });
}

const checkpointEvent = (checkpointId: string): EngineEvent =>
  ({ type: "checkpoint", runId: "r", threadId: "t", seq: 0, at: "", checkpoint: { checkpointId } }) as unknown as EngineEvent;

describe("gateEvents", () => {
  const tmp = tempDir("threadline-gate-");
  afterAll(() => tmp.remove());

  it("holds events while rows are pending and sends them, in order, once another connection sees the rows", async () => {
    const file = tmp.file("gate.sqlite");
    const saver = new SqliteCheckpointer(file);
    const other = new Database(file, { readonly: true });
    const seen: { event: string; visible: boolean }[] = [];
    const visible = (id: string) => other.prepare("SELECT 1 FROM tl_checkpoints WHERE checkpoint_id = ?").get(id) !== undefined;
    const emit = gateEvents(saver, (event) => {
      const id = (event as unknown as { checkpoint?: { checkpointId: string } }).checkpoint?.checkpointId;
      seen.push({ event: id ?? event.type, visible: id === undefined || visible(id) });
    });
    try {
      // Every checkpoint the graph puts is announced as LangGraph's stream would (right after its put).
      const stream = await counter(saver).stream({ n: 0 }, { configurable: { thread_id: "t" }, streamMode: "checkpoints", recursionLimit: STEPS + 10 });
      let heldBack = 0;
      for await (const chunk of stream) {
        if (saver.hasPendingWrites) heldBack++;
        emit(checkpointEvent(String(chunk.config.configurable?.checkpoint_id)));
      }
      // The graph ran ahead of the batches: most announcements found their rows not yet written.
      expect(heldBack).toBeGreaterThan(STEPS / 2);
      emit({ type: "run.finished", runId: "r", threadId: "t", seq: 0, at: "" } as unknown as EngineEvent);
      const checkpoints = seen.filter((s) => s.event !== "run.finished");
      expect(checkpoints.length).toBeGreaterThan(STEPS);
      expect(seen.every((s) => s.visible)).toBe(true);
      expect(seen.at(-1)!.event).toBe("run.finished");
      expect(saver.hasPendingWrites).toBe(false);
    } finally {
      saver.close();
      other.close();
    }
  });

  it("sends at once when nothing is pending, and the run's end even if its batch cannot be written", async () => {
    const sent: string[] = [];
    let pending = false;
    let listener = () => {};
    const emit = gateEvents(
      {
        get hasPendingWrites() {
          return pending;
        },
        flushWrites() {
          throw new Error("disk full");
        },
        onWritesFlushed(l) {
          listener = l;
          return () => {};
        },
      },
      (event) => sent.push(event.type),
    );
    emit({ type: "run.started" } as EngineEvent);
    expect(sent).toEqual(["run.started"]);
    pending = true;
    emit({ type: "checkpoint" } as EngineEvent);
    expect(sent).toEqual(["run.started"]);
    expect(() => emit({ type: "run.finished" } as EngineEvent)).toThrow("disk full");
    expect(sent).toEqual(["run.started", "checkpoint", "run.finished"]);
    pending = false;
    listener();
    emit({ type: "run.created" } as EngineEvent);
    expect(sent).toEqual(["run.started", "checkpoint", "run.finished", "run.created"]);
  });
});
