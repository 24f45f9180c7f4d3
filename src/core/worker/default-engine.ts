// The engine a worker runs in the app: one database and one project's graphs
// as the Inspector's local source, with the run manager wired in. Opening another
// project and reloading graphs are handled by EngineHost (both need a fresh
// worker, since loaded ES modules cannot be unloaded).

import path from "node:path";
import { Inspector } from "../inspector";
import { cacheDir } from "../paths";
import { GraphRegistry } from "../graphs/registry";
import { lendAgentServerSaver } from "../agent-api/checkpoint-metadata";
import { LocalRunManager } from "../runs/run-manager";
import { openDatabase } from "../storage/database";
import { engineCheckpointer, replayEngineJournals } from "./engine-journal";
import { gateEvents } from "../runs/event-gate";
import { getBreakpoints } from "../storage/runs-table";
import { reviveForGraph, useMessageClasses } from "../threads/revive";
import { loadProjectRuntime } from "../graphs/project-runtime";
import type { CreateEngine } from "./protocol";
import { openProjectStore } from "../store/project-store";
import { storePart } from "../sources/store-part";
import { runScope } from "../runs/run-scope";

export const createEngine: CreateEngine = async (options, emit) => {
  const db = openDatabase(options.dbFile);
  try {
    replayEngineJournals(db, options.deadOwners);
    const runtime = options.projectDir ? await loadProjectRuntime(options.projectDir) : {};
    useMessageClasses(runtime.messages ?? null);
    // The project's serializer is its own copy of LangGraph's JsonPlusSerializer (see ProjectRuntime).
    const checkpointerOptions = runtime.serde
      ? { serde: runtime.serde, serdeIsJsonPlus: true, ...(runtime.serdeMessages ? { serdeMessages: runtime.serdeMessages } : {}) }
      : {};
    const checkpointer = engineCheckpointer(db, options.owner, checkpointerOptions);
    // One store for every graph and thread, as langgraph dev's; a run's writes go into its event log.
    const { store, capabilities, problems } = await openProjectStore(db, {
      projectDir: options.projectDir,
      ...(runtime.storeBase ? { base: runtime.storeBase } : {}),
      onWrite: (writes) => runScope.getStore()?.storeWrites?.(writes),
    });
    const registry = await GraphRegistry.create({
      checkpointer,
      store,
      problems,
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.examples ? { includeExamples: true } : {}),
      typeSchemas: { cacheDir: path.join(cacheDir(), "schemas") },
    });
    const inspector = Inspector.local({
      checkpointer,
      db,
      graphs: registry,
      store: storePart(store, capabilities),
      project: { dir: options.projectDir, dbFile: options.dbFile },
      warmUp: { checkpointer: checkpointerOptions, ...(runtime.langgraph ? { langgraph: runtime.langgraph } : {}) },
    });
    const runs = new LocalRunManager({
      db,
      owner: options.owner,
      emit: gateEvents(checkpointer, (event) => inspector.source.emit(event)),
      graphs: {
        graph: (id, config) => registry.forRun(id, config ?? {}),
        revive: (_id, value) => reviveForGraph(value),
        breakpoints: (id) => getBreakpoints(db, id),
      },
      lendSaver: lendAgentServerSaver,
    });
    inspector.source.setRunManager(runs);
    runs.recover(options.deadOwners, options.restartReason ?? undefined);
    inspector.subscribe(emit);
    return {
      server: inspector,
      recover: (owners, reason) => {
        replayEngineJournals(db, owners);
        void runs.recoverAndTell(owners, reason);
      },
      async close() {
        registry.close();
        store.stop();
        await inspector.close();
        checkpointer.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
};
