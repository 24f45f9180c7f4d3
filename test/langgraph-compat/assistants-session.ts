// The assistants part of the scripted SDK session (client.assistants.*): create, run with the
// assistant's config and context, patch into a new version, list versions, set the latest, search,
// count and delete. `langgraph dev` keeps its assistants in the project folder between runs, so
// every assistant made here carries a label made for this session (a UUID, which normalise()
// replaces) and searches filter on it.
import { randomUUID } from "node:crypto";
import type { Client } from "@langchain/langgraph-sdk";
import { failure, type RecordStep } from "./steps";


export async function runAssistantsSession(client: Client, record: RecordStep): Promise<void> {
  const mine = { session: randomUUID() };
  const names = (found: { name: string }[]) => found.map((a) => a.name);

  record("assistants.greeter.default", await client.assistants.get("greeter"));
  const created = await client.assistants.create({
    graphId: "greeter",
    config: { configurable: { greeting: "hello" } },
    context: { name: "Ada" },
    metadata: { ...mine, owner: "ada" },
    name: "Greeter",
    description: "says hello",
  });
  const id = created.assistant_id;
  record("assistants.create", created);
  record("assistants.create.again", await failure(() => client.assistants.create({ graphId: "greeter", assistantId: id })));
  record("assistants.create.doNothing", await client.assistants.create({ graphId: "greeter", assistantId: id, ifExists: "do_nothing", name: "Other" }));
  // Runs take the assistant's config and context; a run's own context goes over the assistant's, key by key.
  record("assistants.run", await client.runs.wait(null, id, { input: {} }));
  record("assistants.run.ownContext", await client.runs.wait(null, id, { input: {}, context: { name: "Bob" } }));
  const thread = await client.threads.create({ metadata: mine });
  const run = await client.runs.create(thread.thread_id, id, { input: {}, metadata: { via: "assistant" } });
  await client.runs.join(thread.thread_id, run.run_id);
  record("assistants.run.resource", await client.runs.get(thread.thread_id, run.run_id));
  record("assistants.run.thread", await client.threads.get(thread.thread_id));

  record("assistants.patch", await client.assistants.update(id, { config: { configurable: { greeting: "hey" } }, metadata: { stage: "beta" } }));
  record("assistants.patch.run", await client.runs.wait(null, id, { input: {} }));
  record("assistants.versions", await client.assistants.getVersions(id));
  record("assistants.versions.byMetadata", (await client.assistants.getVersions(id, { metadata: { stage: "beta" } })).map((v) => v.version));
  record("assistants.setLatest", await client.assistants.setLatest(id, 1));
  record("assistants.setLatest.run", await client.runs.wait(null, id, { input: {} }));
  record("assistants.setLatest.missing", await failure(() => client.assistants.setLatest(id, 7)));

  await client.assistants.create({ graphId: "react-agent", metadata: { ...mine, owner: "bob" }, name: "Second" });
  record("assistants.search.metadata", names(await client.assistants.search({ metadata: { ...mine, owner: "ada" } })));
  record("assistants.search.graph", names(await client.assistants.search({ graphId: "greeter", metadata: mine })));
  record("assistants.search.name", names(await client.assistants.search({ name: "greet", metadata: mine })));
  record("assistants.search.newestFirst", names(await client.assistants.search({ metadata: mine })));
  record("assistants.search.paged", names(await client.assistants.search({ metadata: mine, limit: 1, offset: 1 })));
  record("assistants.count", await client.assistants.count({ metadata: mine }));
  record("assistants.count.graph", await client.assistants.count({ graphId: "greeter", metadata: mine }));

  for (const a of await client.assistants.search({ metadata: mine })) {
    record(`assistants.delete.${a.name}`, await client.assistants.delete(a.assistant_id));
  }
  record("assistants.delete.get", await failure(() => client.assistants.get(id)));
  record("assistants.delete.versions", await failure(() => client.assistants.getVersions(id)));
  record("assistants.delete.count", await client.assistants.count({ metadata: mine }));
}
