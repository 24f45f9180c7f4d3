// LangGraph's BaseStore over SqliteStoreEngine.
//
// THE LINE-SPECIFIC SEAM: the class is built on whichever BaseStore it is given. The engine passes
// the project's own (graphs/project-runtime.ts loads it from the project's
// @langchain/langgraph-checkpoint, like the project's serializer), so that a graph's
// `store instanceof BaseStore` holds against its own import; Threadline's 1.x class otherwise. Every
// public method is overridden here, so behaviour (validation, TTL, order) is the same whatever the
// line's base does; a line whose BaseStore lacks a method simply gets ours. A line whose operations
// differ in shape would be adapted in `batch` below, before the engine sees them.

import { BaseStore } from "@langchain/langgraph-checkpoint";
import type Database from "better-sqlite3";
import { checkNamespace } from "./namespace";
import { SqliteStoreEngine } from "./sqlite-store";
import type { MatchCondition, StoreItem, StoreOp, StoreOptions, StoreResult, StoreSearchItem } from "./types";

/** Any line's BaseStore class: abstract, constructed without arguments. */
export type BaseStoreClass = abstract new () => object;

export interface SearchOptions {
  filter?: Record<string, unknown>;
  limit?: number;
  offset?: number;
  query?: string;
}

export interface ListNamespacesOptions {
  prefix?: string[];
  suffix?: string[];
  maxDepth?: number;
  limit?: number;
  offset?: number;
}

export interface SqliteStore {
  readonly engine: SqliteStoreEngine;
  batch(ops: readonly StoreOp[]): Promise<StoreResult[]>;
  get(namespace: string[], key: string): Promise<StoreItem | null>;
  search(namespacePrefix: string[], options?: SearchOptions): Promise<StoreSearchItem[]>;
  put(namespace: string[], key: string, value: Record<string, unknown>, index?: false | string[], options?: { ttl?: number | null }): Promise<void>;
  delete(namespace: string[], key: string): Promise<void>;
  listNamespaces(options?: ListNamespacesOptions): Promise<string[][]>;
  start(): void;
  stop(): void;
}

const READ = { allowEmpty: true, allowReservedRoot: true } as const;

function defineStoreClass(Base: BaseStoreClass) {
  abstract class Shell extends (Base as abstract new () => object) {}
  return class SqliteStoreImpl extends Shell implements SqliteStore {
    readonly engine: SqliteStoreEngine;

    constructor(db: Database.Database, options: StoreOptions = {}) {
      super();
      this.engine = new SqliteStoreEngine(db, options);
    }

    batch(ops: readonly StoreOp[]): Promise<StoreResult[]> {
      return this.engine.batch(ops);
    }

    async get(namespace: string[], key: string): Promise<StoreItem | null> {
      checkNamespace(namespace, READ);
      return (await this.batch([{ namespace, key }]))[0] as StoreItem | null;
    }

    async search(namespacePrefix: string[], options: SearchOptions = {}): Promise<StoreSearchItem[]> {
      checkNamespace(namespacePrefix, READ, "namespace prefix");
      const { filter, limit = 10, offset = 0, query } = options;
      return (await this.batch([{ namespacePrefix, filter, limit, offset, query }]))[0] as StoreSearchItem[];
    }

    async put(
      namespace: string[],
      key: string,
      value: Record<string, unknown>,
      index?: false | string[],
      options: { ttl?: number | null } = {},
    ): Promise<void> {
      checkNamespace(namespace);
      await this.batch([{ namespace, key, value, index, ...(options.ttl !== undefined ? { ttl: options.ttl } : {}) }]);
    }

    async delete(namespace: string[], key: string): Promise<void> {
      checkNamespace(namespace, READ);
      await this.batch([{ namespace, key, value: null }]);
    }

    async listNamespaces(options: ListNamespacesOptions = {}): Promise<string[][]> {
      const { prefix, suffix, maxDepth, limit = 100, offset = 0 } = options;
      const matchConditions: MatchCondition[] = [];
      for (const [matchType, path] of [["prefix", prefix], ["suffix", suffix]] as const) {
        if (!path) continue;
        checkNamespace(path, READ, matchType);
        matchConditions.push({ matchType, path });
      }
      const op = { ...(matchConditions.length > 0 ? { matchConditions } : {}), maxDepth, limit, offset };
      return (await this.batch([op]))[0] as string[][];
    }

    start(): void {
      this.engine.start();
    }

    stop(): void {
      this.engine.stop();
    }

    /** A store sits in every run's config: tracing that serialises the config must not walk the database. */
    toJSON(): string {
      return "[SqliteStore]";
    }
  };
}

export type SqliteStoreConstructor = new (db: Database.Database, options?: StoreOptions) => SqliteStore;

const classes = new WeakMap<BaseStoreClass, SqliteStoreConstructor>();

/** The store class on `Base` (the project's BaseStore; Threadline's by default), built once per base. */
export function sqliteStoreOn(Base: BaseStoreClass = BaseStore): SqliteStoreConstructor {
  let made = classes.get(Base);
  if (!made) classes.set(Base, (made = defineStoreClass(Base)));
  return made;
}

/** A store on Threadline's own BaseStore: what a user's app can use directly. */
export function createSqliteStore(db: Database.Database, options: StoreOptions = {}): SqliteStore & BaseStore {
  return new (sqliteStoreOn())(db, options) as SqliteStore & BaseStore;
}

