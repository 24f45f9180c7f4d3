// The contract's store calls (store.*) over the engine's store: values cross encoded, items carry
// ISO times. The same checks as a graph's own calls apply (namespace rules, serializable values).
import type { ParsedArgs } from "../../shared/contract";
import { encodeValue } from "../../shared/encoding";
import { ThreadlineError } from "../../shared/errors";
import type { StoreCapabilities, StoreItemInfo } from "../../shared/store";
import { reviveForGraph } from "../threads/revive";
import type { SqliteStore } from "./store-class";
import type { StoreItem, StoreSearchItem } from "./types";

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

export class StoreService {
  constructor(
    private readonly store: SqliteStore,
    private readonly capabilities: StoreCapabilities,
  ) {}

  info(): StoreCapabilities {
    return this.capabilities;
  }

  async get(args: ParsedArgs<"store.get">): Promise<StoreItemInfo | null> {
    const item = await this.store.get(args.namespace, args.key);
    return item ? toItemInfo(item) : null;
  }

  async put(args: ParsedArgs<"store.put">): Promise<null> {
    const value = reviveForGraph(args.value);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ThreadlineError("INVALID_ARGUMENT", "store.put: value must be an object of fields");
    }
    await this.store.put(args.namespace, args.key, value as Record<string, unknown>, args.index ?? undefined, {
      ...(args.ttl !== undefined ? { ttl: args.ttl } : {}),
    });
    return null;
  }

  async delete(args: ParsedArgs<"store.delete">): Promise<null> {
    await this.store.delete(args.namespace, args.key);
    return null;
  }

  async search(args: ParsedArgs<"store.search">): Promise<StoreItemInfo[]> {
    // Without store.index a query is ignored, as InMemoryStore ignores it; store.info tells the UI.
    const items = await this.store.search(args.namespacePrefix, {
      ...(args.filter ? { filter: args.filter } : {}),
      limit: args.limit,
      offset: args.offset,
      ...(args.query ? { query: args.query } : {}),
    });
    return items.map(toItemInfo);
  }

  listNamespaces(args: ParsedArgs<"store.listNamespaces">): Promise<string[][]> {
    return this.store.listNamespaces(args);
  }
}
