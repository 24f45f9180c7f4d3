import { fanOutExample } from "./fan-out";
import { humanInTheLoopExample } from "./human-in-the-loop";
import { reactAgentExample } from "./react-agent";

export interface ExampleGraph {
  id: string;
  title: string;
  description: string;
  sampleInput: unknown;
  /** The module that defines its Annotation state, for reading its types (absent in a build without sources). */
  typeSource?: string;
  /** A fresh, uncompiled graph: the registry compiles it with its checkpointer. */
  build: () => { compile: (options?: never) => unknown };
}

export const EXAMPLE_GRAPHS: readonly ExampleGraph[] = [reactAgentExample, humanInTheLoopExample, fanOutExample];

export { buildFanOut, buildResearchWorker } from "./fan-out";
export { buildHumanInTheLoop, parseReviewAnswer } from "./human-in-the-loop";
export { buildReactAgent } from "./react-agent";
export { ScriptedChatModel } from "./scripted-model";
