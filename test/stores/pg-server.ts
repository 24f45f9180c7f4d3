// A real PostgreSQL 15 for the tests and the bench: a fresh cluster in a temporary folder owned
// by the postgres user (the server refuses root), on a free port, listening on 127.0.0.1 only,
// with password authentication (so a wrong password is a real failure). Stopped and removed by
// `stop()`. Debian's package puts the binaries in /usr/lib/postgresql/15/bin (`.ci/run` installs it).

import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/** 15 where installed (the version the tests were written against), else the newest Debian put there. */
function findBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const pick = versions.includes("15") ? "15" : versions.find((v) => existsSync(path.join(root, v, "bin", "initdb")));
  return path.join(root, pick ?? "15", "bin");
}

const BIN = process.env.THREADLINE_PG_BIN ?? findBin();
export const PG_PASSWORD = "threadline-test";

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  if (!existsSync(path.join(BIN, "initdb")) || !existsSync(path.join(BIN, "pg_ctl"))) {
    return `PostgreSQL is not installed (no initdb/pg_ctl in ${BIN}); on Debian: apt-get install postgresql`;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function ids(user: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync("id", ["-u", user]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", user]).toString().trim()),
  };
}

export interface TestPostgres {
  port: number;
  /** A connection string for `database` as the superuser "postgres", with its password. */
  url(database?: string, params?: string): string;
  /** Runs SQL as the superuser (setup only: the code under test gets its own connections). */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[], database?: string): Promise<pg.QueryResult<T>>;
  createDatabase(name: string): Promise<void>;
  stop(): void;
}

/**
 * `keep`: a folder whose cluster outlives the server (the bench caches its generated data there):
 * created on first use, started again as it is later, and left in place by `stop()`.
 */
export async function startPostgres(options: { keep?: string } = {}): Promise<TestPostgres> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const root = options.keep ?? mkdtempSync(path.join(tmpdir(), "threadline-pg-"));
  mkdirSync(root, { recursive: true });
  const data = path.join(root, "data");
  const owner = ids("postgres");
  chownSync(root, owner.uid, owner.gid);
  chmodSync(root, 0o700);
  const asPostgres = (args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "pipe" });
  if (!existsSync(path.join(data, "PG_VERSION"))) {
    rmSync(data, { recursive: true, force: true });
    const pwfile = path.join(root, "pw");
    writeFileSync(pwfile, PG_PASSWORD);
    chownSync(pwfile, owner.uid, owner.gid);
    asPostgres([path.join(BIN, "initdb"), "-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync"]);
  }
  // A kept cluster a killed run left running: stop it first (its port is unknown).
  if (options.keep && existsSync(path.join(data, "postmaster.pid"))) {
    try {
      asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]);
    } catch {
      // Not running: pg_ctl start replaces a stale pid file.
    }
  }
  const port = await freePort();
  const flags = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=off -c max_connections=50`;
  asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-l", path.join(root, "log"), "-o", flags, "-w", "-t", "60", "start"]);
  const url = (database = "postgres", params = "") =>
    `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${port}/${database}${params ? `?${params}` : ""}`;
  const server: TestPostgres = {
    port,
    url,
    async admin(sql, values, database) {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return await client.query(sql, values);
      } finally {
        await client.end();
      }
    },
    async createDatabase(name) {
      await server.admin(`CREATE DATABASE "${name}"`);
    },
    stop() {
      try {
        // A kept cluster stops cleanly, so the next start needs no recovery.
        asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-m", options.keep ? "fast" : "immediate", "-w", "stop"]);
      } finally {
        if (!options.keep) rmSync(root, { recursive: true, force: true });
      }
    },
  };
  return server;
}
