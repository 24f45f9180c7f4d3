// The LangGraph.js releases Threadline runs, in the words every layer uses: the engine when it
// refuses a project, and when a project's release lacks something a call needs.
import { ThreadlineError } from "./errors";

/** The releases Threadline runs: the same text the README states. */
export const SUPPORTED_RANGE = "0.2.0 up to 1.x (>=0.2.0 <2.0.0)";

/** What a graph's release can do that some calls depend on (see core/graphs/langgraph-line.ts). */
export interface ReleaseInfo {
  /** The project's @langchain/langgraph version, e.g. "0.2.74". */
  version: string;
  /** LangGraph's Overwrite, to replace a value that has a reducer (1.2.0 on). */
  overwrite: boolean;
}

/** The error for something `version` cannot do: `what` in words, naming the release. */
export function notOnThisRelease(version: string, what: string): ThreadlineError {
  return new ThreadlineError(
    "INVALID_ARGUMENT",
    `${what}: this project's @langchain/langgraph ${version} cannot do that (Threadline runs LangGraph.js ${SUPPORTED_RANGE}; upgrading the project's @langchain/langgraph lifts this).`,
  );
}
