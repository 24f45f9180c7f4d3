// The sources the Inspector can serve from: Threadline's own (local), the checkpoint stores
// opened in place and the Agent Servers connected to, one of them active at a time (what the thread
// list shows). Opening, switching, closing, and "Copy into Threadline": a thread of an opened store is copied into the local store
// (SQLite files through the LangGraph importer, which keeps channel versions continuable; PostgreSQL
// through the thread export), and the local source becomes active so the action continues there.

import type { EngineEvent, EventListener, Unsubscribe } from "../../shared/events";
import { invalidArgument, notFound, ThreadlineError } from "../../shared/errors";
import { LOCAL_SOURCE_ID, type SourceEntry, type SourcesList } from "../../shared/opened-sources";
import type { ThreadInfo } from "../../shared/types";
import { openStore } from "../stores/open";
import { normaliseServerUrl } from "./remote/connection";
import { RemoteSource } from "./remote/remote-source";
import type { Source } from "./source";
import { StoreSource } from "./store";

type Opened = StoreSource | RemoteSource;

function entryOf(id: string, source: Opened): SourceEntry {
  const problem = source.problem;
  const kind = source instanceof RemoteSource ? "remote" : source.store.kind;
  const label = source instanceof RemoteSource ? source.label : source.store.label;
  return { id, kind, label, connected: problem === null, error: problem };
}

export class SourceShelf {
  private readonly opened = new Map<string, { source: Opened; unsubscribe: Unsubscribe }>();
  private readonly listeners = new Set<EventListener>();
  private activeId = LOCAL_SOURCE_ID;
  private nextId = 1;

  constructor(private readonly local: Source) {}

  get active(): Source {
    return this.opened.get(this.activeId)?.source ?? this.local;
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A transport's listener failing is that transport's problem.
      }
    }
  }

  /** Events of the opened stores, while the one they come from is the active source. */
  subscribe(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): SourcesList {
    const entries: SourceEntry[] = [{ id: LOCAL_SOURCE_ID, kind: "local", label: this.local.info().label, connected: true, error: null }];
    for (const [id, { source }] of this.opened) entries.push(entryOf(id, source));
    return { activeId: this.activeId, sources: entries };
  }

  private activate(id: string): SourcesList {
    if (id !== this.activeId) {
      this.activeId = id;
      // Everything the UI shows belongs to the previous source now.
      this.emit({ type: "threads.changed", threadIds: null, source: "engine", at: new Date().toISOString() });
    }
    return this.list();
  }

  /** Opens a file or connection string (or finds it open) and makes it the active source. */
  async open(location: string): Promise<SourcesList> {
    const store = await openStore(location);
    const already = [...this.opened].find(([, o]) => o.source instanceof StoreSource && o.source.store.label === store.label);
    if (already) {
      await store.close();
      return this.activate(already[0]);
    }
    return this.add(new StoreSource(store));
  }

  /**
   * Connects to an Agent Server (checking its version and the key) and makes it the active source.
   * Connecting again to a server already connected replaces that connection (a new key).
   */
  async connect(url: string, apiKey: string | null): Promise<SourcesList> {
    const address = normaliseServerUrl(url);
    const source = await RemoteSource.connect(address, apiKey);
    const already = [...this.opened].find(([, o]) => o.source instanceof RemoteSource && o.source.label === address);
    if (already) await this.close(already[0]);
    return this.add(source);
  }

  private add(source: Opened): SourcesList {
    const id = String(this.nextId++);
    const unsubscribe = source.subscribe((event) => this.activeId === id && this.emit(event));
    this.opened.set(id, { source, unsubscribe });
    return this.activate(id);
  }

  use(id: string): SourcesList {
    if (id !== LOCAL_SOURCE_ID && !this.opened.has(id)) throw notFound(`No open source "${id}"`);
    return this.activate(id);
  }

  async close(id: string): Promise<SourcesList> {
    if (id === LOCAL_SOURCE_ID) throw invalidArgument("sources.close: Threadline's own store cannot be closed");
    const entry = this.opened.get(id);
    if (!entry) throw notFound(`No open source "${id}"`);
    if (this.activeId === id) this.activate(LOCAL_SOURCE_ID);
    this.opened.delete(id);
    entry.unsubscribe();
    await entry.source.close();
    return this.list();
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.opened.keys()]) await this.close(id);
  }

  /** A thread of the active opened store, copied into the local store, which becomes active. */
  async copyToLocal(threadId: string): Promise<ThreadInfo> {
    const entry = this.opened.get(this.activeId);
    if (!entry) throw invalidArgument(`sources.copyToLocal: the active source is Threadline's own store; there is nothing to copy`);
    const imports = this.local.imports;
    if (!imports) throw new ThreadlineError("UNAVAILABLE", "sources.copyToLocal: Threadline's store cannot import here");
    const { source } = entry;
    let copied: string;
    if (source instanceof StoreSource && source.store.kind === "sqlite") {
      const result = await imports["threads.importLangGraph"]({ file: source.store.label, threadIds: [threadId], onConflict: "rename" });
      const imported = result.threads[0];
      if (!imported) throw invalidArgument(`sources.copyToLocal: ${result.skipped[0]?.reason ?? `thread "${threadId}" was not copied`}`);
      copied = imported.threadId;
    } else {
      // A PostgreSQL store's thread, or an Agent Server's (its export is built from its history).
      const data = await source.reads["threads.export"]({ threadId });
      copied = await this.freeId(threadId);
      await imports["threads.import"]({ data, newThreadId: copied });
    }
    this.activate(LOCAL_SOURCE_ID);
    return this.local.reads["threads.get"]({ threadId: copied });
  }

  /** The thread's own id when the local store lacks it, else the id with -copy (-copy-2, …). */
  private async freeId(threadId: string): Promise<string> {
    const taken = async (id: string) =>
      this.local.reads["threads.get"]({ threadId: id }).then(
        () => true,
        (error: unknown) => !(error instanceof ThreadlineError && error.code === "NOT_FOUND"),
      );
    if (!(await taken(threadId))) return threadId;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `${threadId}-copy` : `${threadId}-copy-${n}`;
      if (!(await taken(candidate))) return candidate;
    }
  }
}
