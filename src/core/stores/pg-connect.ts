// A PostgreSQL connection string as the user gives it
// (postgres://user:password@host:5432/db?schema=…), checked before any
// connection is made, and the server's refusals as messages that say what
// was wrong. `schema` is the JS PostgresSaver's option of that name (Python's
// saver always uses the connection's search path, "public" by default).

import type pg from "pg";
import { StorageError } from "../storage/errors";

/** Options a connection string may carry; anything else is refused rather than silently ignored. */
const SUPPORTED = new Set(["schema", "sslmode", "application_name", "connect_timeout"]);
const SSL_MODES = new Set(["disable", "prefer", "require", "no-verify", "verify-full"]);

export interface PgTarget {
  config: pg.ClientConfig;
  schema: string;
  /** The connection string without its password, for the UI and the recent-sources list. */
  label: string;
}

export function parseConnectionString(text: string): PgTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StorageError("CANNOT_OPEN", `Not a PostgreSQL connection string: expected postgres://user:password@host:5432/database`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new StorageError("CANNOT_OPEN", `Not a PostgreSQL connection string (it starts with "${url.protocol}"): expected postgres://…`);
  }
  const unsupported = [...url.searchParams.keys()].filter((k) => !SUPPORTED.has(k));
  if (unsupported.length > 0) {
    throw new StorageError(
      "CANNOT_OPEN",
      `The connection string has the option(s) ${unsupported.map((k) => `"${k}"`).join(", ")}, which Threadline does not support; ` +
        `supported: ${[...SUPPORTED].join(", ")}.`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined;
  const schema = url.searchParams.get("schema") || "public";
  const sslmode = url.searchParams.get("sslmode") ?? "disable";
  if (!SSL_MODES.has(sslmode)) throw new StorageError("CANNOT_OPEN", `sslmode "${sslmode}" is not one of ${[...SSL_MODES].join(", ")}.`);
  const timeout = Number(url.searchParams.get("connect_timeout") ?? "10");
  if (!Number.isFinite(timeout) || timeout <= 0) throw new StorageError("CANNOT_OPEN", `connect_timeout must be a number of seconds.`);
  const config: pg.ClientConfig = {
    host: url.hostname.replace(/^\[|\]$/g, "") || "localhost",
    port: url.port ? Number(url.port) : 5432,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
    application_name: url.searchParams.get("application_name") ?? "threadline",
    connectionTimeoutMillis: timeout * 1000,
    // Every statement of the session is read-only, whatever the code above it does.
    options: "-c default_transaction_read_only=on",
    ssl: sslmode === "disable" || sslmode === "prefer" ? false : { rejectUnauthorized: sslmode === "verify-full" },
  };
  const shown = new URL(url.toString());
  shown.password = "";
  return { config, schema, label: shown.toString() };
}

/** A failure to connect or read, as a message naming the cause. */
export function connectionProblem(error: unknown, target: PgTarget): StorageError {
  const e = error as { code?: string; message?: string };
  const where = `${target.config.host}:${target.config.port}`;
  const user = target.config.user ?? "(default user)";
  let message: string;
  switch (e.code) {
    case "28P01":
      message = `Wrong password for user "${user}" on ${where}.`;
      break;
    case "28000":
      message = `The server ${where} does not let user "${user}" in: ${e.message}`;
      break;
    case "3D000":
      message = `The server ${where} has no database "${target.config.database}".`;
      break;
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
    case "EAI_AGAIN":
      message = `Cannot reach PostgreSQL at ${where} (${e.code}): is the server running and the host and port right?`;
      break;
    default:
      message = /timeout/i.test(e.message ?? "")
        ? `Cannot reach PostgreSQL at ${where}: no answer within ${Number(target.config.connectionTimeoutMillis) / 1000} s.`
        : `PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  }
  return new StorageError("CANNOT_OPEN", message, { cause: error });
}
