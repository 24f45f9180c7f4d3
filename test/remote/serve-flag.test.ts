// `threadline serve --remote URL --api-key KEY` as a process: it connects before it prints its address,
// the page's source is the server, and the key appears nowhere in what it prints.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, type RunningServer } from "../../src/server/serve";
import type { SourcesList } from "../../src/shared/opened-sources";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

let remote: RunningServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-remote-flag-"));
  remote = await startServer({ dbFile: path.join(dir, "remote.db"), port: 0 });
});
afterAll(async () => {
  await remote.close();
  rmSync(dir, { recursive: true, force: true });
});

it("connects to the server named with --remote, with its key, and never prints the key", async () => {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin", "threadline.mjs"), "serve", "--db", path.join(dir, "page.db"), "--port", "0", "--remote", `${remote.url}/`, "--api-key", remote.token],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`threadline serve did not start:\n${output}`)), 60_000);
      const onData = (data: Buffer) => {
        output += data.toString();
        const found = output.match(/serving on (http:\/\/\S+)[\s\S]*x-api-key\): (\S+)/);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code) => reject(new Error(`threadline serve exited with ${code}:\n${output}`)));
    });
    expect(output).toContain(`Connected to the Agent Server at ${remote.url}\n`);
    const response = await fetch(`${match[1]}/api/calls/sources.list`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": match[2]! },
      body: "{}",
    });
    const { result } = (await response.json()) as { result: SourcesList };
    expect(result.sources.find((s) => s.id === result.activeId)).toMatchObject({ kind: "remote", label: remote.url, connected: true });
    expect(JSON.stringify(result)).not.toContain(remote.token);
    expect(output).not.toContain(remote.token);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}, 90_000);
