// The local source's store part: the contract's store.* calls over the engine's SQLite store. Values
// cross encoded, items carry ISO times; the same checks as a graph's own calls apply (namespace rules, values).
import { encodeValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import type { StoreCapabilities, StoreItemInfo } from "../../shared/store";
import { reviveForGraph } from "../threads/revive";
import type { SqliteStore } from "../store/store-class";
import type { StoreItem, StoreSearchItem } from "../store/types";
import type { SourcePart } from "./source";

export function toItemInfo(item: StoreItem | StoreSearchItem): StoreItemInfo {
  return {
    namespace: item.namespace,
    key: item.key,
    value: encodeValue(item.value),
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    ...("score" in item && item.score !== undefined ? { score: item.score } : {}),
  };
}

/** The store part of a source (sources/source.ts): the contract's store.* calls over `store`. */
export function storePart(store: SqliteStore, capabilities: StoreCapabilities): SourcePart<"memory"> {
  return {
    "store.info": async () => capabilities,
    "store.get": async (args) => {
      const item = await store.get(args.namespace, args.key);
      return item ? toItemInfo(item) : null;
    },
    "store.put": async (args) => {
      const value = reviveForGraph(args.value);
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ThreadlineError("INVALID_ARGUMENT", "store.put: value must be an object of fields");
      }
      const options = args.ttl !== undefined ? { ttl: args.ttl } : {};
      await store.put(args.namespace, args.key, value as Record<string, unknown>, args.index ?? undefined, options);
      return null;
    },
    "store.delete": async (args) => {
      await store.delete(args.namespace, args.key);
      return null;
    },
    // Without store.index a query is ignored, as InMemoryStore ignores it; store.info tells the UI.
    "store.search": async (args) => {
      const items = await store.search(args.namespacePrefix, {
        ...(args.filter ? { filter: args.filter } : {}),
        limit: args.limit,
        offset: args.offset,
        ...(args.query ? { query: args.query } : {}),
      });
      return items.map(toItemInfo);
    },
    "store.listNamespaces": async (args) => store.listNamespaces(args),
  };
}
