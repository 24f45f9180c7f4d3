// What the desktop app needs beyond `npm ci`, checked without importing `electron`
// (its index.js downloads the binary on first use, which must never happen implicitly).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ELECTRON_NATIVE_DIR = path.join(ROOT, "electron-native");
export const ELECTRON_SQLITE_BINDING = path.join(ELECTRON_NATIVE_DIR, "better_sqlite3.node");

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
export function electronBinary() {
  const pkgDir = path.join(ROOT, "node_modules", "electron");
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === "win32" ? "electron.exe" : "electron");
    return existsSync(p) ? { ok: true, path: p } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p}).` };
  }
  const pathFile = path.join(pkgDir, "path.txt");
  if (existsSync(pathFile)) {
    const p = path.join(pkgDir, "dist", readFileSync(pathFile, "utf8"));
    if (existsSync(p)) return { ok: true, path: p };
  }
  return {
    ok: false,
    reason:
      "Electron's binary is not installed (node_modules/electron/dist is empty); fetch it on a machine with network " +
      "access with `npx install-electron`, or use browser mode now: `npm run serve`.",
  };
}

/** @returns {{ ok: true } | { ok: false, reason: string }} */
export function electronSqliteBinding() {
  return existsSync(ELECTRON_SQLITE_BINDING)
    ? { ok: true }
    : {
        ok: false,
        reason:
          "better-sqlite3 has not been built for Electron's ABI (electron-native/better_sqlite3.node is missing); " +
          "run `npm run rebuild:electron` (needs network for Electron's headers), or use browser mode: `npm run serve`.",
      };
}

/** Exits with the first missing desktop prerequisite, in one line, before anything is built. */
export function requireDesktopPrerequisites() {
  for (const check of [electronBinary(), electronSqliteBinding()]) {
    if (!check.ok) {
      console.error(`threadline: ${check.reason}`);
      process.exit(1);
    }
  }
}

/** Runs an npx command in the project folder and returns its exit code. */
export function npx(args) {
  return spawnSync("npx", args, { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" }).status ?? 1;
}
