// The store one engine gives every graph: Threadline's SQLite store on the project's own BaseStore,
// configured by langgraph.json's `store` section. A bad section does not stop the graphs: it is
// reported beside them (under "langgraph.json") and the store runs without what failed.
import type Database from "better-sqlite3";
import type { GraphLoadFailure } from "../../shared/graph";
import type { StoreCapabilities } from "../../shared/store";
import { readStoreSection, type StoreSection } from "./config";
import { resolveEmbeddings } from "./embeddings";
import { sqliteStoreOn, type BaseStoreClass, type SqliteStore } from "./store-class";
import type { StoreIndex, StoreOptions, StoreTtl } from "./types";

export interface ProjectStore {
  store: SqliteStore;
  capabilities: StoreCapabilities;
  problems: GraphLoadFailure[];
}

export interface ProjectStoreOptions {
  projectDir: string | null;
  /** The project's BaseStore (graphs/project-runtime.ts); Threadline's when absent. */
  base?: BaseStoreClass;
  onWrite?: StoreOptions["onWrite"];
}

function ttlOf(section: StoreSection): StoreTtl | undefined {
  if (!section.ttl) return undefined;
  return {
    defaultTtl: section.ttl.default_ttl ?? null,
    refreshOnRead: section.ttl.refresh_on_read ?? true,
    sweepIntervalMinutes: section.ttl.sweep_interval_minutes ?? null,
  };
}

export async function openProjectStore(db: Database.Database, options: ProjectStoreOptions): Promise<ProjectStore> {
  const problems: GraphLoadFailure[] = [];
  const problem = (message: string) => problems.push({ id: "langgraph.json", file: `${options.projectDir}/langgraph.json`, message });
  let section: StoreSection = {};
  if (options.projectDir) {
    try {
      section = readStoreSection(options.projectDir);
    } catch (error) {
      problem((error as Error).message);
    }
  }
  let index: StoreIndex | undefined;
  if (section.index && options.projectDir) {
    try {
      const embeddings = await resolveEmbeddings(section.index.embed, options.projectDir);
      index = { dims: section.index.dims, embeddings, ...(section.index.fields ? { fields: section.index.fields } : {}) };
    } catch (error) {
      problem(`The store's semantic search is off: ${(error as Error).message}`);
    }
  }
  const ttl = ttlOf(section);
  const Store = sqliteStoreOn(options.base);
  let store: SqliteStore;
  try {
    store = new Store(db, { ...(index ? { index } : {}), ...(ttl ? { ttl } : {}), ...(options.onWrite ? { onWrite: options.onWrite } : {}) });
  } catch (error) {
    // sqlite-vec did not load: keep the store, without semantic search.
    problem(`The store's semantic search is off: ${(error as Error).message}`);
    index = undefined;
    store = new Store(db, { ...(ttl ? { ttl } : {}), ...(options.onWrite ? { onWrite: options.onWrite } : {}) });
  }
  store.start();
  return {
    store,
    problems,
    capabilities: {
      semanticSearch: index !== undefined,
      indexedFields: index ? (index.fields ?? ["$"]) : [],
      defaultTtlMinutes: ttl?.defaultTtl ?? null,
    },
  };
}
