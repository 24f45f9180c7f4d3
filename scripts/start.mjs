// `npm start`: build and launch the desktop app, but only after checking, without touching
// the network, that Electron's binary and an Electron build of better-sqlite3 are present.
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
if (built !== 0) process.exit(built);
process.exit(run(["electron-vite", "preview", "--skipBuild", "--", ...process.argv.slice(2)]));
