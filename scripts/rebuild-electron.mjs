// Builds better-sqlite3 for Electron's ABI into electron-native/, leaving node_modules' Node build
// (which the tests use) untouched; the desktop app loads it through better-sqlite3's `nativeBinding`.
// Needs network: a prebuilt binary from better-sqlite3's releases, else Electron's headers for node-gyp.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, ELECTRON_NATIVE_DIR, ELECTRON_SQLITE_BINDING } from "./electron-env.mjs";

const electronVersion = JSON.parse(readFileSync(path.join(ROOT, "node_modules/electron/package.json"), "utf8")).version;
const work = mkdtempSync(path.join(tmpdir(), "threadline-sqlite-electron-"));
const pkg = path.join(work, "better-sqlite3");
cpSync(path.join(ROOT, "node_modules/better-sqlite3"), pkg, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });

const run = (cmd, args) => spawnSync(cmd, args, { cwd: pkg, stdio: "inherit", shell: process.platform === "win32" }).status === 0;
const prebuilt = path.join(ROOT, "node_modules/.bin/prebuild-install");
const ok =
  run(prebuilt, ["--runtime", "electron", "--target", electronVersion, "--arch", process.arch]) ||
  run("npx", ["--yes", "node-gyp@11.4.2", "rebuild", "--release", "--runtime=electron", `--target=${electronVersion}`,
    "--dist-url=https://electronjs.org/headers"]);
const built = path.join(pkg, "build/Release/better_sqlite3.node");
if (!ok || !existsSync(built)) {
  console.error(`threadline: could not build better-sqlite3 for Electron ${electronVersion} (see the output above; this needs network).`);
  process.exit(1);
}
mkdirSync(ELECTRON_NATIVE_DIR, { recursive: true });
copyFileSync(built, ELECTRON_SQLITE_BINDING);
rmSync(work, { recursive: true, force: true });
console.log(`threadline: wrote ${path.relative(ROOT, ELECTRON_SQLITE_BINDING)} for Electron ${electronVersion}`);
