// Where Threadline keeps its default database when none is named: the same folder Electron's
// app.getPath("userData") gives the desktop app, computed here without importing electron so that
// browser mode and the desktop app open the same threads.
import os from "node:os";
import path from "node:path";

export const APP_NAME = "Threadline";

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Application Support", APP_NAME);
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), APP_NAME);
}

export function defaultDatabasePath(): string {
  return path.join(userDataDir(), "threadline.db");
}

/**
 * Where the engine keeps what it can compute again (the schemas read from a project's TypeScript
 * types): `THREADLINE_CACHE_DIR`, else a `cache` folder in the app's data folder.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.THREADLINE_CACHE_DIR || path.join(userDataDir(env), "cache");
}
