// Where the shared LangGraph checkpoint databases are: ../shared/fixtures/langgraph-dbs beside the
// repository (as on every developer machine and in CI), or THREADLINE_LANGGRAPH_FIXTURES.
import { existsSync } from "node:fs";
import path from "node:path";

export const LANGGRAPH_FIXTURES =
  process.env.THREADLINE_LANGGRAPH_FIXTURES ?? path.resolve(import.meta.dirname, "../../../shared/fixtures/langgraph-dbs");

/** A database written by @langchain/langgraph-checkpoint-sqlite (JS), which specs open, import and copy. */
export const JS_SAVER_DB = path.join(LANGGRAPH_FIXTURES, "freddymercury__langchain-academy-langgraphjs__example.db");

/** Whether a test can read the shared fixture `file`, and why it is skipped when it cannot. */
export interface FixtureCheck {
  missing: boolean;
  /** Always the reason a skip gives: which file the test reads and that it is not on this machine. */
  reason: string;
}

/**
 * Checks that the shared fixture `file` is here. CI has the fixtures (they come with the checkout, and
 * .ci/run sets THREADLINE_REQUIRE_FIXTURES): there a missing one fails the test file instead of
 * skipping it, so that no feature goes untested for want of a file.
 */
export function fixtureCheck(file: string): FixtureCheck {
  const missing = !existsSync(file);
  if (missing && process.env.THREADLINE_REQUIRE_FIXTURES) {
    throw new Error(`The shared fixture ${file} is missing, and THREADLINE_REQUIRE_FIXTURES says every test that reads it must run.`);
  }
  return { missing, reason: `reads the shared LangGraph fixture database ${file}, which is not on this machine` };
}
