import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { getThreadIndex, SqliteCheckpointer } from "./index";
import { tempDir } from "./test-helpers";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

/** Runs the writer until it has reported `after` puts, then SIGKILLs it; returns what it reported. */
function writeUntilKilled(file: string, after: number): Promise<{ id: string; step: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, file], { stdio: ["ignore", "pipe", "pipe"] });
    const reported: { id: string; step: number }[] = [];
    let pending = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [id, step] = line.split(" ");
        reported.push({ id: id!, step: Number(step) });
      }
      if (reported.length >= after && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(reported);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe("a writer killed mid-burst", () => {
  it("leaves a database that opens, passes integrity_check and has every put that returned", { timeout: 60_000 }, async () => {
    const tmp = tempDir();
    try {
      const file = tmp.file("crash.sqlite");
      // Twice on the same file: the second writer starts on the file the killed one left.
      for (const after of [150, 320]) {
        const reported = await writeUntilKilled(file, after);
        expect(reported.length).toBeGreaterThanOrEqual(after);

        const raw = new Database(file);
        expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
        raw.close();

        const saver = new SqliteCheckpointer(file);
        try {
          for (const { id, step } of reported) {
            const tuple = await saver.getTuple({ configurable: { thread_id: "crash", checkpoint_id: id } });
            expect(tuple?.checkpoint.channel_values.count).toBe(step);
            expect((tuple?.checkpoint.channel_values.messages as unknown[]).length).toBe(step + 1);
            expect(tuple?.pendingWrites).toEqual([[`task-${step}`, "messages", [{ id: step + 1 }]]]);
          }
          const index = getThreadIndex(saver.db, "crash")!;
          const counted = (saver.db.prepare("SELECT count(*) AS n FROM tl_checkpoints WHERE thread_id = 'crash'").get() as { n: number }).n;
          expect(index.checkpointCount).toBe(counted);
        } finally {
          saver.close();
        }
      }
    } finally {
      tmp.remove();
    }
  });
});
