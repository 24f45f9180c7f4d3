// `npm start`: build and launch the desktop app, but only after checking, without touching
// the network, that Electron's binary and an Electron build of better-sqlite3 are present.
import { npx, requireDesktopPrerequisites } from "./electron-env.mjs";

requireDesktopPrerequisites();
const built = npx(["electron-vite", "build"]);
process.exit(built !== 0 ? built : npx(["electron-vite", "preview", "--skipBuild", "--", ...process.argv.slice(2)]));
