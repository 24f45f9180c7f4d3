// `npm run dist`: package the desktop app for this platform (AppImage, dmg or nsis; see electron-builder.yml).
// It needs Electron's binary and the Electron build of better-sqlite3; both need network the first time.
import { spawnSync } from "node:child_process";
import { electronBinary, electronSqliteBinding, ROOT } from "./electron-env.mjs";

for (const check of [electronBinary(), electronSqliteBinding()]) {
  if (!check.ok) {
    console.error(`threadline: ${check.reason}`);
    process.exit(1);
  }
}
const run = (args) => spawnSync("npx", args, { cwd: ROOT, stdio: "inherit" }).status ?? 1;
const built = run(["electron-vite", "build"]);
process.exit(built !== 0 ? built : run(["electron-builder", "--publish", "never"]));
