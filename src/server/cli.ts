// `threadline serve [--db FILE] [--project DIR] [--examples] [--port N] [--open STORE]… [--remote URL [--api-key KEY]] [--browser] [--allow-origin URL]…`
// `threadline import LANGGRAPH_DB [--db FILE] [--on-conflict skip|replace|rename]`
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkImportSource } from "../core/importers";
import { defaultDatabasePath } from "../core/paths";
import { EngineHost } from "../core/worker/engine-host";
import type { CallResult } from "../shared/contract";
import { isConnectionString } from "../core/stores/open";
import { withoutPassword } from "../shared/opened-sources";
import { rendererDir } from "./http";
import { normaliseOrigin } from "./security";
import { startServer } from "./serve";

const USAGE = `Usage: threadline serve [options]
       threadline import LANGGRAPH_DB [--db FILE] [--on-conflict skip|replace|rename]

serve   serves Threadline's UI and API on 127.0.0.1 for a browser ("browser mode")
import  copies the threads of a database written by LangGraph's SqliteSaver (Python or JS)
        into Threadline's database; the source file is only read from a copy

Options:
  --db FILE           SQLite database to open or create (default: ${defaultDatabasePath()})
  --project DIR       a LangGraph project folder with a langgraph.json (default: built-in examples only)
  --examples          also list the built-in examples when a project is open
  --port N            port to listen on (default: a free port)
  --open STORE        also open a LangGraph checkpoint store in place, read-only: a SQLite file written by
                      SqliteSaver, or postgres://user:password@host:5432/db?schema=… (repeatable)
  --remote URL        also connect to a LangGraph Agent Server (langgraph dev, Python or JS, or a deployment),
                      e.g. http://127.0.0.1:2024, and show its threads first
  --api-key KEY       the Agent Server's API key (sent as x-api-key to that server only)
  --browser           open the page in the default browser
  --allow-origin URL  admit another web origin with CORS, e.g. a useStream app's dev server (repeatable)
  --on-conflict MODE  import: what to do with a thread id the database already has (default: skip)
  -h, --help          show this help`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  spawn(cmd, args, { stdio: "ignore", detached: true }).on("error", () => console.error(`threadline: could not open a browser; open ${url}`)).unref();
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: "string" },
        project: { type: "string" },
        port: { type: "string" },
        open: { type: "string", multiple: true, default: [] },
        remote: { type: "string" },
        "api-key": { type: "string" },
        browser: { type: "boolean", default: false },
        examples: { type: "boolean", default: false },
        "allow-origin": { type: "string", multiple: true, default: [] },
        "on-conflict": { type: "string", default: "skip" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`threadline: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] === "import" && positionals.length === 2) {
    return importCommand(positionals[1]!, path.resolve(values.db ?? defaultDatabasePath()), values["on-conflict"]);
  }
  if (positionals[0] !== "serve" || positionals.length > 1) {
    console.error(`threadline: expected 'serve' or 'import FILE'${positionals.length ? `, got '${positionals.join(" ")}'` : ""}\n\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`threadline: --port expects a number from 0 to 65535, got '${values.port}'`);
    return 2;
  }
  const projectDir = values.project ? path.resolve(values.project) : null;
  if (projectDir && !existsSync(path.join(projectDir, "langgraph.json"))) {
    console.error(`threadline: ${projectDir} has no langgraph.json; --project expects a LangGraph project folder`);
    return 2;
  }
  try {
    // Checked before anything starts: a bad origin must end the command at once.
    values["allow-origin"].forEach(normaliseOrigin);
  } catch (error) {
    console.error(`threadline: ${(error as Error).message}`);
    return 2;
  }
  if (values["api-key"] !== undefined && values.remote === undefined) {
    console.error("threadline: --api-key goes with --remote URL (the Agent Server it is for)");
    return 2;
  }
  const staticDir = rendererDir(ROOT);
  if (!staticDir) console.error("threadline: the UI is not built yet (run `npm run build`); serving the API only");

  let server;
  try {
    server = await startServer({
      dbFile: path.resolve(values.db ?? defaultDatabasePath()),
      projectDir,
      examples: values.examples,
      port,
      allowOrigins: values["allow-origin"],
      staticDir,
      warmUp: true,
    });
  } catch (error) {
    console.error(`threadline: ${(error as Error).message}`);
    return 1;
  }
  const { graphs, failures, missingEnv } = (await server.engine.invoke("graphs.list", {})) as CallResult<"graphs.list">;
  if (missingEnv) console.error(`threadline: missing env file: ${missingEnv.message}`);
  for (const failure of failures) console.error(`threadline: graph '${failure.id}' did not load (${failure.file}): ${failure.message}`);
  console.log(`Graphs: ${graphs.map((g) => g.id).join(", ") || "none"}`);
  // Stores named with --open, each opened in place and read-only; the last one is what the page shows first.
  for (const location of values.open) {
    try {
      const where = isConnectionString(location) ? location : path.resolve(location);
      const { sources, activeId } = (await server.engine.invoke("sources.open", { location: where })) as CallResult<"sources.open">;
      console.log(`Opened ${sources.find((s) => s.id === activeId)?.label ?? withoutPassword(location)} (read-only)`);
    } catch (error) {
      console.error(`threadline: --open ${withoutPassword(location)}: ${(error as Error).message}`);
      await server.close();
      return 1;
    }
  }
  if (values.remote !== undefined) {
    try {
      const apiKey = values["api-key"];
      const { sources, activeId } = (await server.engine.invoke("sources.connect", { url: values.remote, ...(apiKey ? { apiKey } : {}) })) as CallResult<"sources.connect">;
      console.log(`Connected to the Agent Server at ${sources.find((s) => s.id === activeId)?.label ?? values.remote}`);
    } catch (error) {
      // The message names the server and what went wrong, never the key.
      console.error(`threadline: --remote ${values.remote}: ${(error as Error).message}`);
      await server.close();
      return 1;
    }
  }
  console.log(`Threadline is serving on ${server.url}`);
  console.log(`Open ${server.pageUrl}`);
  console.log(`API token (x-api-key): ${server.token}`);
  if (values.browser) openInBrowser(server.pageUrl);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return 0;
}

async function importCommand(source: string, dbFile: string, onConflict: string): Promise<number> {
  if (!["skip", "replace", "rename"].includes(onConflict)) {
    console.error(`threadline: --on-conflict expects skip, replace or rename, got '${onConflict}'`);
    return 2;
  }
  try {
    // Before the engine opens (and so creates) the target: a refused import creates nothing.
    await checkImportSource(path.resolve(source), dbFile);
  } catch (error) {
    console.error(`threadline: ${(error as Error).message}`);
    return 1;
  }
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const engine = await EngineHost.start({ dbFile, watch: false });
  try {
    const result = await engine.call("threads.importLangGraph", {
      file: path.resolve(source),
      onConflict: onConflict as "skip" | "replace" | "rename",
    });
    for (const t of result.threads) console.log(`imported ${t.sourceId} as ${t.threadId}: ${t.checkpoints} checkpoints, ${t.writes} writes`);
    for (const t of result.skipped) console.log(`skipped ${t.threadId}: ${t.reason}`);
    console.log(`${result.threads.length} threads imported into ${dbFile} (${result.flavour})`);
    return 0;
  } catch (error) {
    console.error(`threadline: ${(error as Error).message}`);
    return 1;
  } finally {
    await engine.close();
  }
}
