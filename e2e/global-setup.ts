// Builds the renderer once for the whole run (the fixture serves out/renderer), and fails early with a
// clear message when no Chromium can be found.
import { execFileSync } from "node:child_process";
import { findBrowser } from "../scripts/find-browser.mjs";

export default function globalSetup(): void {
  const browser = findBrowser();
  if (!browser.path) throw new Error(browser.reason);
  if (process.env.THREADLINE_E2E_SKIP_BUILD === "1") return;
  execFileSync("npx", ["electron-vite", "build"], { stdio: ["ignore", "ignore", "inherit"], cwd: process.cwd() });
}
