// Where the shared LangGraph checkpoint databases are: ../shared/fixtures/langgraph-dbs beside the
// repository (as on every developer machine and in CI), or THREADLINE_LANGGRAPH_FIXTURES.
import path from "node:path";

export const LANGGRAPH_FIXTURES =
  process.env.THREADLINE_LANGGRAPH_FIXTURES ?? path.resolve(import.meta.dirname, "../../../shared/fixtures/langgraph-dbs");
