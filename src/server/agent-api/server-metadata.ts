// What LangGraph's server adds to a run's metadata when it streams the run (not what it stores as
// the run's kwargs): LangGraph hands it to every callback, so it shows in messages-tuple metadata.
import { createRequire } from "node:module";

let langgraphVersion: string | undefined;

/** The @langchain/langgraph this server resolves (a project's own copy may differ in its patch level). */
function versionOfLangGraph(): string {
  if (langgraphVersion === undefined) {
    try {
      langgraphVersion = (createRequire(import.meta.url)("@langchain/langgraph/package.json") as { version: string }).version;
    } catch {
      langgraphVersion = "0.0.0";
    }
  }
  return langgraphVersion;
}

/** `apiUrl`: the address the client reached this server at. */
export function serverMetadata(apiUrl: string): Record<string, string | number> {
  return {
    run_attempt: 1,
    langgraph_version: versionOfLangGraph(),
    langgraph_plan: "developer",
    langgraph_host: "self-hosted",
    langgraph_api_url: apiUrl,
  };
}
