// The server's store (LangGraph's long-term memory) through the SDK's client.store. The server does
// not say whether it indexes for search by meaning: a query is sent as it is, and the server
// answers it or ignores it as it does for any client.
import type { Item, SearchItem } from "@langchain/langgraph-sdk";
import type { JsonObject } from "../../../shared/encoding";
import type { StoreItemInfo } from "../../../shared/store";
import type { SourcePart } from "../source";
import type { RemoteConnection } from "./connection";
import { fromServer, toServer } from "./values";

function itemInfo(item: Item | SearchItem): StoreItemInfo {
  const raw = item as Item & { created_at?: string; updated_at?: string; createdAt?: string | Date; updatedAt?: string | Date };
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "string" ? v : new Date(0).toISOString());
  return {
    namespace: item.namespace,
    key: item.key,
    value: fromServer(item.value),
    createdAt: iso(raw.createdAt ?? raw.created_at),
    updatedAt: iso(raw.updatedAt ?? raw.updated_at),
    ...("score" in item && typeof item.score === "number" ? { score: item.score } : {}),
  };
}

export function remoteMemory(connection: RemoteConnection): SourcePart<"memory"> {
  const store = connection.client.store;
  return {
    "store.info": async () => ({ semanticSearch: false, indexedFields: [], defaultTtlMinutes: null }),
    "store.get": async (args) => {
      const item = await connection.call(() => store.getItem(args.namespace, args.key)).catch((error: unknown) => {
        if ((error as { code?: string }).code === "NOT_FOUND") return null;
        throw error;
      });
      return item ? itemInfo(item) : null;
    },
    "store.put": async (args) => {
      await connection.call(() =>
        store.putItem(args.namespace, args.key, toServer(args.value) as JsonObject, {
          ...(args.index !== undefined && args.index !== null ? { index: args.index } : {}),
          ...(args.ttl !== undefined ? { ttl: args.ttl } : {}),
        }),
      );
      return null;
    },
    "store.delete": async (args) => {
      await connection.call(() => store.deleteItem(args.namespace, args.key));
      return null;
    },
    "store.search": async (args) => {
      const { items } = await connection.call(() =>
        store.searchItems(args.namespacePrefix, {
          ...(args.filter ? { filter: args.filter } : {}),
          limit: args.limit,
          offset: args.offset,
          ...(args.query ? { query: args.query } : {}),
        }),
      );
      return items.map(itemInfo);
    },
    "store.listNamespaces": async (args) => {
      const { namespaces } = await connection.call(() =>
        store.listNamespaces({
          ...(args.prefix ? { prefix: args.prefix } : {}),
          ...(args.suffix ? { suffix: args.suffix } : {}),
          ...(args.maxDepth ? { maxDepth: args.maxDepth } : {}),
          limit: args.limit,
          offset: args.offset,
        }),
      );
      return namespaces;
    },
  };
}
