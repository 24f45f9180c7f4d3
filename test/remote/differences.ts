// Where a thread on an Agent Server behaves otherwise than one in Threadline's own store, because the
// server's API decides: the README lists these, word for word (differences.test.ts), and the remote
// flows (flows.ts) check that each is what happens.
export const REMOTE_DIFFERENCES = [
  "An edit goes through the graph's reducers, as the Agent Server applies every update: a message edited by id replaces that message, but a list with an append reducer gets the edited values appended.",
  "A metadata key that is removed (a title cleared) is set to null, and the server's own keys (graph_id, assistant_id) stay: Agent Servers merge metadata.",
  "A fork into a new thread keeps the whole history of the thread it copies (the server copies threads whole); its head is a copy of the chosen checkpoint beside it (LangGraph's fork), and the server chooses the copy's id.",
  "The thread list shows no checkpoint count: the server tells it only by reading the whole history.",
  "A run's console output and per-node durations are not shown: only Threadline's own runner captures them.",
] as const;

export function readmeList(): string {
  return REMOTE_DIFFERENCES.map((d) => `- ${d}`).join("\n");
}
