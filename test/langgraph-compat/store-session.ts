// The store part of the scripted SDK session (client.store.*), and a memory graph run through the
// SDK: a second thread of one user recalls what the first stored. Every namespace sits under a root
// label made for this session, since `langgraph dev` keeps its store in the project folder between
// runs; the label is a UUID, so normalise() makes the two recordings comparable.
import { randomUUID } from "node:crypto";
import type { Client } from "@langchain/langgraph-sdk";
import { failure, type RecordStep } from "./steps";


export async function runStoreSession(client: Client, record: RecordStep): Promise<void> {
  const root = randomUUID();
  const user = [root, "users", "u1"];
  await client.store.putItem(user, "prefs", { theme: "dark", n: 3 });
  await client.store.putItem(user, "food", { likes: "tea", n: 7 });
  await client.store.putItem([root, "users", "u2"], "prefs", { theme: "light", n: 5 });
  await client.store.putItem([root, "docs"], "readme", { title: "Read me", n: 1, tags: ["a", "b"] });

  record("store.get", await client.store.getItem(user, "prefs"));
  record("store.get.missing", await client.store.getItem(user, "nope"));
  record("store.search.all", await client.store.searchItems([root]));
  record("store.search.paged", await client.store.searchItems([root], { limit: 2, offset: 1 }));
  record("store.search.filter", await client.store.searchItems([root], { filter: { theme: "dark" } }));
  record("store.search.operators", await client.store.searchItems([root, "users"], { filter: { n: { $gte: 5 } } }));
  record("store.search.query", await client.store.searchItems([root], { query: "tea" }));
  record("store.namespaces", await client.store.listNamespaces({ prefix: [root] }));
  record("store.namespaces.depth", await client.store.listNamespaces({ prefix: [root], maxDepth: 2 }));
  record("store.namespaces.suffix", await client.store.listNamespaces({ prefix: [root], suffix: ["u2"] }));
  record("store.namespaces.paged", await client.store.listNamespaces({ prefix: [root], limit: 1, offset: 1 }));

  await client.store.putItem(user, "prefs", { theme: "solarized", n: 4 });
  record("store.update", await client.store.getItem(user, "prefs"));
  record("store.update.order", (await client.store.searchItems(user)).items.map((i) => i.key));
  await client.store.deleteItem(user, "food");
  record("store.delete", await client.store.getItem(user, "food"));
  record("store.delete.search", (await client.store.searchItems(user)).items.map((i) => i.key));
  record("store.put.emptyNamespace", await failure(() => client.store.putItem([], "k", { a: 1 })));
  record("store.put.emptyLabel", await failure(() => client.store.putItem([root, ""], "k", { a: 1 })));

  // -- a memory graph: the second thread of the same user recalls the first thread's memory
  const first = await client.threads.create();
  const second = await client.threads.create();
  record("store.memory.first", await client.runs.wait(first.thread_id, "memory", { input: { user: root, message: "I like green tea" } }));
  record("store.memory.second", await client.runs.wait(second.thread_id, "memory", { input: { user: root, message: "which tea?" } }));
  record("store.memory.items", (await client.store.searchItems(["memories", root])).items.map((i) => i.value));
}
