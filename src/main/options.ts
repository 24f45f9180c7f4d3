// Command-line flags of the desktop app: `--db FILE`, `--project DIR` (also as --db=FILE) and `--examples`.
import path from "node:path";

export interface LaunchOptions {
  dbFile: string | null;
  projectDir: string | null;
  /** List the built-in examples although a project is open (`--examples`, or the File menu's setting). */
  examples?: boolean;
}

export function parseLaunchArgs(argv: readonly string[], cwd: string): LaunchOptions {
  const value = (flag: string): string | null => {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === flag && i + 1 < argv.length) return argv[i + 1]!;
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
    return null;
  };
  const db = value("--db");
  const project = value("--project");
  return {
    dbFile: db ? path.resolve(cwd, db) : null,
    projectDir: project ? path.resolve(cwd, project) : null,
    ...(argv.includes("--examples") ? { examples: true } : {}),
  };
}
