// For the engine's tests of history.apiStates (beside them in src/core, as ../threads/test-support.ts).
import { expect } from "vitest";
import { apiThreadState } from "../../shared/agent-api/state";
import type { EngineClient } from "../../shared/contract";

/**
 * history.apiStates (values written straight from the live state where it can) against the long
 * way the LangGraph API took before it: history.states, each state's API shape stringified.
 * Returns how many states were compared.
 */
export async function compareApiHistory(client: EngineClient, threadId: string, checkpointNs = ""): Promise<number> {
  const args = { threadId, checkpointNs, limit: 1000 };
  const expected = (await client.history.states(args)).map((s) => JSON.stringify(apiThreadState(s, threadId)));
  const actual = (await client.history.apiStates(args)).states.map((s) => s.json);
  expect(actual).toEqual(expected);
  return actual.length;
}
