// The engine's side of the Agent Server API's assistants: each graph of the project has a default
// assistant (id: uuid5 of the graph id, as LangGraph's server derives it, made when the graphs
// load and kept across launches), and clients create more, patch them (each patch a new version),
// pick the latest version, search, count and delete them. Stored in tl_assistants (migration 9).
import { randomUUID } from "node:crypto";
import type { ParsedArgs } from "../../shared/contract";
import type { ApiAssistant, ApiAssistantVersion } from "../../shared/agent-api/assistants";
import { assistantIdOf } from "./ids";
import type { JsonObject } from "../../shared/encoding";
import { conflict, notFound } from "../../shared/errors";
import { jsonContains } from "../../shared/json-contains";
import {
  assistantVersions,
  deleteAssistant,
  getAssistant,
  getAssistantVersion,
  lastVersion,
  listAssistants,
  putAssistant,
  threadsOfAssistant,
} from "./assistants-table";
import type { EngineContext, GraphSource } from "../threads/context";
import type { ThreadService } from "../threads/threads";

type Filter = { graphId?: string | undefined; name?: string | undefined; metadata?: JsonObject | undefined };

export class AgentApiAssistants {
  /** The graph source whose default assistants exist: made once per load, so a deleted one stays deleted until the next. */
  private ensuredFor: GraphSource | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly threads: ThreadService,
  ) {}

  async put(args: ParsedArgs<"assistants.put">): Promise<ApiAssistant> {
    this.ensureDefaults();
    this.ctx.graphs().get(args.graphId);
    const assistantId = args.assistantId ?? randomUUID();
    const existing = getAssistant(this.ctx.db, assistantId);
    if (existing) {
      if (args.ifExists === "raise") throw conflict(`Assistant "${assistantId}" already exists`);
      return existing;
    }
    return this.create(assistantId, args);
  }

  async get(args: ParsedArgs<"assistants.get">): Promise<ApiAssistant> {
    return this.mustGet(args.assistantId);
  }

  async patch(args: ParsedArgs<"assistants.patch">): Promise<ApiAssistant> {
    const current = this.mustGet(args.assistantId);
    if (args.graphId !== undefined) this.ctx.graphs().get(args.graphId);
    const next: ApiAssistant = {
      ...current,
      ...(args.graphId !== undefined ? { graph_id: args.graphId } : {}),
      ...(args.config !== undefined ? { config: args.config } : {}),
      ...(args.context !== undefined ? { context: args.context } : {}),
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(args.description !== undefined ? { description: args.description } : {}),
      ...(args.metadata !== undefined ? { metadata: { ...current.metadata, ...args.metadata } } : {}),
      version: lastVersion(this.ctx.db, current.assistant_id) + 1,
      updated_at: this.ctx.now(),
    };
    this.ctx.db.transaction(() => putAssistant(this.ctx.db, next, true))();
    return next;
  }

  async delete(args: ParsedArgs<"assistants.delete">): Promise<{ assistantIds: string[] }> {
    const { assistant_id: id } = this.mustGet(args.assistantId);
    if (args.deleteThreads) {
      for (const threadId of threadsOfAssistant(this.ctx.db, id)) await this.threads.delete(threadId);
    }
    this.ctx.db.transaction(() => deleteAssistant(this.ctx.db, id))();
    return { assistantIds: [id] };
  }

  /** The assistant takes that version's graph, config, context, metadata, name and description. */
  async setLatest(args: ParsedArgs<"assistants.setLatest">): Promise<ApiAssistant> {
    const current = this.mustGet(args.assistantId);
    const version = getAssistantVersion(this.ctx.db, current.assistant_id, args.version);
    if (!version) throw notFound(`Assistant "${current.assistant_id}" has no version ${args.version}`);
    const next: ApiAssistant = { ...version, created_at: current.created_at, updated_at: this.ctx.now() };
    putAssistant(this.ctx.db, next, false);
    return next;
  }

  async versions(args: ParsedArgs<"assistants.versions">): Promise<ApiAssistantVersion[]> {
    const { assistant_id: id } = this.mustGet(args.assistantId);
    const all = assistantVersions(this.ctx.db, id).filter((v) => !args.metadata || jsonContains(v.metadata, args.metadata));
    return all.slice(args.offset, args.offset + args.limit);
  }

  async search(args: ParsedArgs<"assistants.search">): Promise<{ assistants: ApiAssistant[]; total: number }> {
    const found = this.matching(args);
    const direction = args.sortOrder === "asc" ? 1 : -1;
    const key = args.sortBy;
    found.sort((a, b) => direction * (compare(a[key], b[key]) || compare(a.assistant_id, b.assistant_id)));
    return { assistants: found.slice(args.offset, args.offset + args.limit), total: found.length };
  }

  async count(args: ParsedArgs<"assistants.count">): Promise<number> {
    return this.matching(args).length;
  }

  private matching(filter: Filter): ApiAssistant[] {
    this.ensureDefaults();
    const name = filter.name?.toLowerCase();
    return listAssistants(this.ctx.db, filter.graphId).filter(
      (a) => (!name || a.name.toLowerCase().includes(name)) && (!filter.metadata || jsonContains(a.metadata, filter.metadata)),
    );
  }

  /** By its id, or by a loaded graph's id for that graph's default assistant. */
  private mustGet(idOrGraph: string): ApiAssistant {
    this.ensureDefaults();
    const isGraph = this.ctx.graphs().list().some((g) => g.id === idOrGraph);
    const found = getAssistant(this.ctx.db, isGraph ? assistantIdOf(idOrGraph) : idOrGraph);
    if (!found) throw notFound(`Assistant "${idOrGraph}" not found`);
    return found;
  }

  private create(assistantId: string, args: ParsedArgs<"assistants.put">): ApiAssistant {
    const now = this.ctx.now();
    const assistant: ApiAssistant = {
      assistant_id: assistantId,
      graph_id: args.graphId,
      config: args.config,
      context: args.context,
      metadata: args.metadata,
      name: args.name || args.graphId,
      description: args.description ?? null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    this.ctx.db.transaction(() => putAssistant(this.ctx.db, assistant, true))();
    return assistant;
  }

  /** Each loaded graph's default assistant, as LangGraph's server registers it at startup (kept when it exists). */
  private ensureDefaults(): void {
    const source = this.ctx.graphs();
    if (this.ensuredFor === source) return;
    this.ensuredFor = source;
    for (const graph of source.list()) {
      const assistantId = assistantIdOf(graph.id);
      if (getAssistant(this.ctx.db, assistantId)) continue;
      this.create(assistantId, { graphId: graph.id, config: {}, context: {}, metadata: { created_by: "system" }, name: graph.id, ifExists: "do_nothing" });
    }
  }
}

function compare(a: string | number | null, b: string | number | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
}
