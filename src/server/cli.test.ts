// The command line refuses bad input before it starts or creates anything.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "./cli";
import { LANGGRAPH_FIXTURES } from "../../test/support/fixtures";
import { freePort } from "../../test/langgraph-compat/servers";

const FIXTURES = LANGGRAPH_FIXTURES;
const HUSNAIN = path.join(FIXTURES, "Husnain-eng__Research-Agent-Pro-HITL-Powered-Agentic-AI__checkpoints.db");
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let dir: string;
let errors: string[];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "threadline-cli-"));
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.join(" ")));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("threadline serve", () => {
  it.each(["file:///x", "data:text/html,hi"])("refuses --allow-origin %s with a message and a non-zero exit, starting nothing", async (origin) => {
    const db = path.join(dir, "threads.db");
    expect(await main(["serve", "--db", db, "--allow-origin", origin])).toBe(2);
    expect(errors.join("\n")).toMatch(/--allow-origin expects an http:\/\/ or https:\/\/ origin/);
    expect(existsSync(db)).toBe(false);
  });
});

describe("threadline serve --remote", () => {
  it("refuses --api-key without --remote, starting nothing", async () => {
    const db = path.join(dir, "threads.db");
    expect(await main(["serve", "--db", db, "--api-key", "k"])).toBe(2);
    expect(errors.join("\n")).toMatch(/--api-key goes with --remote URL/);
    expect(existsSync(db)).toBe(false);
  });

  it("ends with the reason when the Agent Server cannot be reached, never printing the key", async () => {
    const db = path.join(dir, "threads.db");
    // A port that was free a moment ago: nothing listens there.
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await main(["serve", "--db", db, "--port", "0", "--remote", url, "--api-key", "secret-key-42"])).toBe(1);
    const said = errors.join("\n");
    expect(said).toContain(`--remote ${url}: cannot reach the Agent Server at ${url} (ECONNREFUSED)`);
    expect(said).not.toContain("secret-key-42");
  });
});

describe("threadline import", () => {
  it("creates no --db target when the source is refused", async () => {
    const notes = path.join(dir, "notes.txt");
    writeFileSync(notes, "not a database");
    const target = path.join(dir, "new", "threads.db");
    expect(await main(["import", notes, "--db", target])).toBe(1);
    expect(errors.join("\n")).toMatch(/not a SQLite database/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.dirname(target))).toBe(false);
  });

  it.skipIf(!existsSync(HUSNAIN))("refuses a source that is also the target, leaving it unchanged", async () => {
    const source = path.join(dir, "checkpoints.db");
    copyFileSync(HUSNAIN, source);
    const before = sha(source);
    expect(await main(["import", source, "--db", source])).toBe(1);
    expect(errors.join("\n")).toMatch(/into itself/);
    expect(sha(source)).toBe(before);
    expect(existsSync(`${source}-wal`)).toBe(false);
  });
});
