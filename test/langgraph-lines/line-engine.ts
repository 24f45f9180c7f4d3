// An engine (src/core, in this process) on one line's installed fixture project, with the events
// it emitted and shorthands for the session's calls.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, dispatch, type EngineServer } from "../../src/shared/contract";
import type { EngineEvent } from "../../src/shared/events";
import { useMessageClasses } from "../../src/core/threads/revive";
import { createEngine } from "../../src/core/worker/default-engine";
import { installLine, type Line } from "./install";

export type Values = Record<string, unknown>;

export async function openLineEngine(line: Line) {
  const dir = await installLine(line);
  const work = mkdtempSync(path.join(tmpdir(), `threadline-line-${line}-`));
  const events: EngineEvent[] = [];
  const engine = await createEngine(
    { dbFile: path.join(work, "threads.db"), projectDir: dir, owner: `${process.pid}:${line}`, deadOwners: [], restartReason: null },
    (event) => events.push(event),
  );
  const client = createClient((name, args) => dispatch(engine.server as EngineServer, name, args));
  const run = async (args: Parameters<typeof client.runs.start>[0]) => {
    const started = await client.runs.start(args);
    return client.runs.join({ runId: started.runId });
  };
  return {
    client,
    run,
    values: async (threadId: string) => (await client.state.get({ threadId })).values as Values,
    runEvents: (runId: string) => events.filter((e) => (e as { runId?: string }).runId === runId) as (EngineEvent & Values)[],
    async close() {
      await engine.close();
      useMessageClasses(null);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export type LineEngine = Awaited<ReturnType<typeof openLineEngine>>;
