/**
 * The graphs issue 18 prices a checkpointer on: each one a full `invoke` on a fresh thread, checked
 * for its expected result so that a saver which lost state cannot look fast.
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { Annotation, END, MessagesAnnotation, START, Send, StateGraph } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { buildAgent } from "./checkpointer-harness";

export interface Workload {
  key: string;
  label: string;
  /** One run on a fresh thread of `saver`; throws if the final state is not the expected one. */
  run(saver: BaseCheckpointSaver, threadId: string): Promise<void>;
}

function text(step: number, bytes: number): string {
  const head = `step ${step}: `;
  return head + "lorem ipsum dolor sit amet ".repeat(Math.ceil(bytes / 27)).slice(0, Math.max(0, bytes - head.length));
}

function messagesThread(steps: number): Workload {
  return {
    key: `messages-${steps}`,
    label: `messages thread, ${steps} steps (+1 KB each)`,
    async run(saver, threadId) {
      const final = await buildAgent(steps, saver).invoke({ messages: [] }, { configurable: { thread_id: threadId }, recursionLimit: steps + 10 });
      if (final.count !== steps || final.messages.length !== steps) throw new Error(`messages thread stopped at ${final.count} steps`);
    },
  };
}

const REACT_LOOPS = 500;

/** An agent that calls a tool `REACT_LOOPS` times (AI message with a tool call, then the tool's message), then answers. */
const react: Workload = {
  key: "react-500",
  label: `ReAct thread, ${REACT_LOOPS} tool loops`,
  async run(saver, threadId) {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("agent", (state) => {
        const loop = state.messages.filter((m) => m.getType() === "tool").length;
        if (loop >= REACT_LOOPS) return { messages: [new AIMessage({ id: `answer-${loop}`, content: "Done: every lookup finished." })] };
        return {
          messages: [
            new AIMessage({
              id: `ai-${loop}`,
              content: "",
              tool_calls: [{ id: `call-${loop}`, name: "lookup", args: { query: `item ${loop}`, page: loop % 7 } }],
            }),
          ],
        };
      })
      .addNode("tools", (state) => {
        const last = state.messages[state.messages.length - 1] as AIMessage;
        const call = last.tool_calls![0]!;
        return { messages: [new ToolMessage({ id: `tool-${call.id}`, tool_call_id: call.id!, name: call.name, content: text(Number(call.args.page), 400) })] };
      })
      .addEdge(START, "agent")
      .addConditionalEdges("agent", (state) => ((state.messages.at(-1) as AIMessage).tool_calls?.length ? "tools" : END), ["tools", END])
      .addEdge("tools", "agent")
      .compile({ checkpointer: saver });
    const final = await graph.invoke(
      { messages: [new HumanMessage({ id: "question", content: "Look everything up." })] },
      { configurable: { thread_id: threadId }, recursionLimit: 2 * REACT_LOOPS + 10 },
    );
    const messages = final.messages as BaseMessage[];
    if (messages.length !== 2 * REACT_LOOPS + 2) throw new Error(`ReAct thread ended with ${messages.length} messages`);
  },
};

const WIDE_CHANNELS = 30;
const WIDE_STEPS = 500;
const WIDE_CHANGED = 3;

const wideSpec: Record<string, ReturnType<typeof Annotation<unknown>>> = {};
for (let i = 0; i < WIDE_CHANNELS; i++) wideSpec[`field${i}`] = Annotation<unknown>();
const WideState = Annotation.Root({ ...wideSpec, step: Annotation<number>() });

/** 30 channels of small records; each step rewrites three of them. */
const wide: Workload = {
  key: "wide-30",
  label: `wide state, ${WIDE_CHANNELS} channels, ${WIDE_CHANGED} change per step, ${WIDE_STEPS} steps`,
  async run(saver, threadId) {
    const graph = new StateGraph(WideState)
      .addNode("update", (state) => {
        const step = (state.step as number) + 1;
        const update: Record<string, unknown> = { step };
        for (let k = 0; k < WIDE_CHANGED; k++) {
          const i = (step * WIDE_CHANGED + k) % WIDE_CHANNELS;
          update[`field${i}`] = { step, name: `field ${i}`, tags: ["a", "b", `s${step}`], score: step * 0.5 + i };
        }
        return update;
      })
      .addEdge(START, "update")
      .addConditionalEdges("update", (state) => ((state.step as number) < WIDE_STEPS ? "update" : END), ["update", END])
      .compile({ checkpointer: saver });
    const input: Record<string, unknown> = { step: 0 };
    for (let i = 0; i < WIDE_CHANNELS; i++) input[`field${i}`] = { step: 0, name: `field ${i}`, tags: [], score: i };
    const final = (await graph.invoke(input, { configurable: { thread_id: threadId }, recursionLimit: WIDE_STEPS + 10 })) as Record<string, unknown>;
    if (final.step !== WIDE_STEPS) throw new Error(`wide state stopped at step ${String(final.step)}`);
  },
};

const FAN_OUT = 20;
const FAN_OUT_ROUNDS = 25;

const FanOutState = Annotation.Root({
  round: Annotation<number>({ reducer: (_, b) => b, default: () => 0 }),
  results: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

/** Each round a planner sends 20 parallel tasks (`Send`), whose writes are pending writes until the step ends. */
const fanOut: Workload = {
  key: "fan-out-20",
  label: `fan-out, ${FAN_OUT} parallel Send tasks x ${FAN_OUT_ROUNDS} rounds`,
  async run(saver, threadId) {
    const graph = new StateGraph(FanOutState)
      .addNode("plan", (state) => ({ round: state.round + 1 }))
      .addNode("work", (task: { round: number; i: number }) => ({ results: [`round ${task.round} task ${task.i}: ${text(task.i, 200)}`] }))
      .addEdge(START, "plan")
      .addConditionalEdges("plan", (state) =>
        state.round > FAN_OUT_ROUNDS ? END : Array.from({ length: FAN_OUT }, (_, i) => new Send("work", { round: state.round, i })),
      )
      .addEdge("work", "plan")
      .compile({ checkpointer: saver });
    const final = await graph.invoke({ round: 0 }, { configurable: { thread_id: threadId }, recursionLimit: 4 * FAN_OUT_ROUNDS + 10 });
    if (final.results.length !== FAN_OUT * FAN_OUT_ROUNDS) throw new Error(`fan-out ended with ${final.results.length} results`);
  },
};

export const WORKLOADS: Workload[] = [messagesThread(300), messagesThread(1000), react, wide, fanOut];
