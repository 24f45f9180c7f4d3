import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "../../shared/contract";
import { createTestEngine, type TestEngine } from "../worker/fixtures/test-engine";
import { ownerId } from "./runs-store";

const HOLDER = fileURLToPath(new URL("../worker/fixtures/lease-holder.ts", import.meta.url));
const SHORT_LEASE = { leaseMs: 1_000, renewMs: 200 };

let dir: string;
const engines: TestEngine[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-lease-"));
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function engine(name: string) {
  const e = await createTestEngine(
    { dbFile: path.join(dir, "t.db"), projectDir: null, owner: ownerId(process.pid, name), deadOwners: [], restartReason: null },
    () => undefined,
    SHORT_LEASE,
  );
  engines.push(e);
  return e;
}

/** Starts a run in a child whose owner id names `pid`, then SIGKILLs the child; resolves with the run id. */
function runThenKill(file: string, pid: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", HOLDER, file, String(pid)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve(out.trim()) : reject(new Error(`holder exited ${code}: ${err}`))));
  });
}

describe("run ownership by lease", () => {
  it("recovers a SIGKILLed engine's run although a live process has its PID (PID reuse)", { timeout: 30_000 }, async () => {
    const file = path.join(dir, "t.db");
    // The killed engine's owner id names this test's PID, which stays alive: the PID was reused.
    const runId = await runThenKill(file, process.pid);
    const next = await engine("after-restart");
    expect(next.runs.get(runId).status).not.toBe("success");
    await vi.waitFor(() => expect(next.runs.get(runId).status).toBe("error"), { timeout: 10_000, interval: 100 });
    expect(next.runs.get(runId).error).toMatchObject({ className: "EngineStopped" });
    expect(next.runs.isBusy("reused")).toBe(false);
    const again = await next.runs.start(parseArgs("runs.start", { threadId: "reused", graphId: "line", input: { log: [] } }));
    expect((await next.runs.join(again.runId)).status).toBe("success");
  });

  it("leaves a live engine's run alone across many lease periods", { timeout: 30_000 }, async () => {
    const a = await engine("a");
    const b = await engine("b");
    const run = await a.runs.start(parseArgs("runs.start", { threadId: "live", graphId: "slow", input: { n: 3_000 } }));
    // Three lease lengths pass while b sweeps every renewal.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(b.runs.get(run.runId).status).toBe("running");
    await expect(b.runs.start(parseArgs("runs.start", { threadId: "live", graphId: "line", input: { log: [] } }))).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await a.runs.join(run.runId)).status).toBe("success");
  });
});
