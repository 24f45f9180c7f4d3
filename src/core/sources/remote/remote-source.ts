// A LangGraph Agent Server (Python or JS `langgraph dev`, or a deployment) as a source: its
// assistants are the graphs, its threads the threads, runs go on the server and stream here, edits
// and forks are the server's own updates, and its store is the memory. What only the local runner
// has (per-node console output and durations) and what the server does not push (threads other
// clients write) are unavailable, each with the reason.
import type { EngineEvent, EventListener, Unsubscribe } from "../../../shared/events";
import { available, unavailable, type SourceInfo } from "../../../shared/sources";
import type { Source, SourcePart } from "../source";
import { RemoteConnection, type RemoteServerInfo } from "./connection";
import { remoteEdits } from "./edits";
import { RemoteGraphs } from "./graphs";
import { HistoryReader } from "./history";
import { remoteMemory } from "./memory";
import { remoteReads } from "./reads";
import { RemoteRuns } from "./runs";

export class RemoteSource implements Source {
  readonly reads: SourcePart<"reads">;
  readonly graphs: SourcePart<"graphs">;
  readonly edits: SourcePart<"edits">;
  readonly runs: SourcePart<"runs">;
  readonly memory: SourcePart<"memory">;
  private readonly history: HistoryReader;
  private readonly remoteRuns: RemoteRuns;
  private readonly listeners = new Set<EventListener>();
  /** Why the server cannot be reached right now (the last call's failure), or null. */
  problem: string | null = null;

  private constructor(
    readonly connection: RemoteConnection,
    readonly server: RemoteServerInfo,
  ) {
    this.history = new HistoryReader(connection);
    const graphs = new RemoteGraphs(connection);
    const changed = (threadId: string) => this.changed(threadId);
    this.reads = remoteReads(connection, this.history);
    this.graphs = graphs.part();
    this.edits = remoteEdits(connection, changed);
    this.remoteRuns = new RemoteRuns(connection, graphs, (event) => this.emit(event), changed);
    this.runs = this.remoteRuns.part();
    this.memory = remoteMemory(connection);
    connection.onOutcome = (problem) => {
      const was = this.problem;
      this.problem = problem;
      // Lost, or back after being lost: the page reads its source list and everything it shows again.
      if ((was === null) !== (problem === null)) this.emit({ type: "threads.changed", threadIds: null, source: "external", at: new Date().toISOString() });
    };
  }

  /** Connects (checking the server's version and the key) and answers the source. */
  static async connect(url: string, apiKey: string | null): Promise<RemoteSource> {
    const connection = new RemoteConnection(url, apiKey);
    const server = await connection.check();
    return new RemoteSource(connection, server);
  }

  get label(): string {
    return this.connection.url;
  }

  info(): SourceInfo {
    return {
      kind: "remote",
      label: this.connection.url,
      capabilities: {
        graphs: available,
        edits: available,
        imports: unavailable("imports go into Threadline's own store; an Agent Server's threads are made by its runs"),
        runs: available,
        console: unavailable("an Agent Server does not send a run's console output; only Threadline's own runner captures it"),
        timings: unavailable("an Agent Server does not time its nodes for a client; only Threadline's own runner measures them"),
        live: unavailable("an Agent Server does not announce threads other clients write; they show when the list is read again"),
        memory: available,
      },
    };
  }

  subscribe(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  /** A thread changed by a run or an edit made from here: its states are read again. */
  private changed(threadId: string): void {
    this.history.forget(threadId);
    this.emit({ type: "threads.changed", threadIds: [threadId], source: "engine", at: new Date().toISOString() });
  }

  async close(): Promise<void> {
    this.remoteRuns.close();
    this.listeners.clear();
  }
}
