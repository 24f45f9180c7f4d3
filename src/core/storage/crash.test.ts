import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { getThreadIndex, SqliteCheckpointer } from "./index";
import { tempDir } from "./test-helpers";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

interface Reported {
  puts: { id: string; step: number }[];
  /** Steps whose writes were acknowledged (batched mode; in awaiting mode, every reported put's). */
  writes: Set<number>;
}

/** Runs the writer until it has reported `after` puts, then SIGKILLs it; returns what it reported. */
function writeUntilKilled(file: string, after: number, mode: "awaiting" | "batched"): Promise<Reported> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, file, mode], { stdio: ["ignore", "pipe", "pipe"] });
    const reported: Reported = { puts: [], writes: new Set() };
    let pending = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [first, second] = line.split(" ");
        if (first === "w") reported.writes.add(Number(second));
        else {
          reported.puts.push({ id: first!, step: Number(second) });
          if (mode === "awaiting") reported.writes.add(Number(second));
        }
      }
      if (reported.puts.length >= after && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(reported);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

/** Bytes of step journals (storage/journal.ts) the killed writer left beside the file. */
function journalBytes(file: string): number {
  return readdirSync(dirname(file))
    .filter((name) => name.startsWith(`${basename(file)}-tlj-`))
    .reduce((sum, name) => sum + statSync(join(dirname(file), name)).size, 0);
}

describe("a writer killed mid-burst", () => {
  for (const mode of ["awaiting", "batched"] as const) {
    it(`leaves a database that opens, passes integrity_check and has every put that returned (${mode} writes)`, { timeout: 60_000 }, async () => {
      const tmp = tempDir();
      try {
        const file = tmp.file("crash.sqlite");
        let unwritten = 0;
        // Twice on the same file: the second writer starts on the file the killed one left.
        for (const after of [150, 320]) {
          const reported = await writeUntilKilled(file, after, mode);
          expect(reported.puts.length).toBeGreaterThanOrEqual(after);

          const raw = new Database(file);
          expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
          const inTables = (raw.prepare("SELECT count(*) AS n FROM tl_checkpoints WHERE thread_id = 'crash'").get() as { n: number }).n;
          raw.close();
          if (journalBytes(file) > 0 && inTables < reported.puts.length) unwritten++;

          // Opening the file for writing replays the dead writer's journal, then removes it.
          const saver = new SqliteCheckpointer(file);
          try {
            expect(journalBytes(file)).toBe(0);
            for (const { id, step } of reported.puts) {
              const tuple = await saver.getTuple({ configurable: { thread_id: "crash", checkpoint_id: id } });
              expect(tuple?.checkpoint.channel_values.count).toBe(step);
              expect((tuple?.checkpoint.channel_values.messages as unknown[]).length).toBe(step + 1);
              if (reported.writes.has(step)) expect(tuple?.pendingWrites).toEqual([[`task-${step}`, "messages", [{ id: step + 1 }]]]);
            }
            const index = getThreadIndex(saver.db, "crash")!;
            const counted = (saver.db.prepare("SELECT count(*) AS n FROM tl_checkpoints WHERE thread_id = 'crash'").get() as { n: number }).n;
            expect(index.checkpointCount).toBe(counted);
            expect(saver.db.pragma("integrity_check", { simple: true })).toBe("ok");
          } finally {
            saver.close();
          }
        }
        // Batched, puts resolve before their rows reach the tables: the kills left acknowledged
        // checkpoints only in the journal (each kill does unless it lands right after a batch).
        if (mode === "batched") expect(unwritten).toBeGreaterThan(0);
      } finally {
        tmp.remove();
      }
    });
  }
});
