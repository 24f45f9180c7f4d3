import { END, ReducedValue, START, Send, StateGraph, StateSchema, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

// Plans a few subtopics, sends each to a parallel "research" worker (a
// compiled subgraph, so its checkpoints live under their own namespace), and
// gathers the workers' findings through a reducer before writing a report.

const Finding = z.object({
  subtopic: z.string(),
  summary: z.string(),
  sources: z.number().int(),
});
export type Finding = z.infer<typeof Finding>;

const appendFindings = () =>
  new ReducedValue(z.array(Finding).default(() => []), {
    inputSchema: z.array(Finding),
    reducer: (gathered: Finding[], added: Finding[]) => gathered.concat(added),
  });

export const WorkerState = new StateSchema({
  subtopic: z.string(),
  notes: new ReducedValue(z.array(z.string()).default(() => []), {
    inputSchema: z.array(z.string()),
    reducer: (notes: string[], added: string[]) => notes.concat(added),
  }),
  findings: appendFindings(),
});

export const FanOutState = new StateSchema({
  topic: z.string().describe("What to research, e.g. tidal energy"),
  aspects: z.number().int().min(1).max(6).default(3).describe("How many parallel workers to start (1-6)"),
  subtopics: z.array(z.string()).default(() => []),
  findings: appendFindings(),
  report: z.string().optional(),
});

const ASPECTS = ["history", "economics", "technology", "environment", "policy", "outlook"];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stable per subtopic, so the same input always yields the same findings. */
function sourceCount(subtopic: string): number {
  let hash = 2166136261;
  for (const char of subtopic) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return 2 + (hash % 5);
}

export function buildResearchWorker() {
  return new StateGraph(WorkerState)
    .addNode("gather", async (state, config: LangGraphRunnableConfig) => {
      // Staggered so the parallel workers visibly overlap in the UI.
      await pause(10 + (sourceCount(state.subtopic) % 3) * 10);
      const count = sourceCount(state.subtopic);
      // A custom stream event, as a real worker would report progress.
      config.writer?.({ subtopic: state.subtopic, gathered: count });
      return { notes: Array.from({ length: count }, (_, i) => `source ${i + 1} on ${state.subtopic}`) };
    })
    .addNode("summarize", (state) => ({
      findings: [
        {
          subtopic: state.subtopic,
          summary: `${state.notes.length} sources agree on the ${state.subtopic}.`,
          sources: state.notes.length,
        },
      ],
    }))
    .addEdge(START, "gather")
    .addEdge("gather", "summarize")
    .addEdge("summarize", END)
    .compile();
}

export function buildFanOut() {
  return new StateGraph(FanOutState)
    .addNode("plan", (state) => {
      const topic = state.topic?.trim() || "tidal energy";
      const count = Math.min(Math.max(Math.trunc(state.aspects ?? 3), 1), ASPECTS.length);
      // Console output of a node shows up in the run's event log.
      console.log(`planning ${count} subtopics on ${topic}`);
      return { subtopics: ASPECTS.slice(0, count).map((aspect) => `${aspect} of ${topic}`) };
    })
    .addNode("research", buildResearchWorker())
    .addNode("combine", (state) => {
      // Sorted so that the report does not depend on which worker finished first.
      const findings = [...state.findings].sort((a, b) => a.subtopic.localeCompare(b.subtopic));
      const total = findings.reduce((sum, f) => sum + f.sources, 0);
      const lines = findings.map((f) => `- ${f.subtopic}: ${f.summary}`);
      return { report: [`Report on ${state.topic} (${total} sources)`, ...lines].join("\n") };
    })
    .addEdge(START, "plan")
    .addConditionalEdges(
      "plan",
      (state) => state.subtopics.map((subtopic) => new Send("research", { subtopic })),
      ["research"],
    )
    .addEdge("research", "combine")
    .addEdge("combine", END);
}

export const fanOutExample = {
  id: "fan-out",
  title: "Fan-out / fan-in",
  description:
    "Splits a topic into subtopics and sends each to a parallel research worker with Send. The worker is a " +
    "compiled subgraph (its checkpoints appear under a subgraph namespace); a reducer gathers the findings.",
  sampleInput: { topic: "tidal energy", aspects: 3 },
  build: () => buildFanOut(),
};
