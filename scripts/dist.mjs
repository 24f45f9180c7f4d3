// `npm run dist`: package the desktop app for this platform (AppImage, dmg or nsis; see electron-builder.yml).
// It needs Electron's binary and the Electron build of better-sqlite3; both need network the first time.
import { npx, requireDesktopPrerequisites } from "./electron-env.mjs";

requireDesktopPrerequisites();
const built = npx(["electron-vite", "build"]);
process.exit(built !== 0 ? built : npx(["electron-builder", "--publish", "never"]));
