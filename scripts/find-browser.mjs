// Finds a Chromium for the end-to-end tests without downloading anything:
// THREADLINE_CHROMIUM, then the system's Chromium/Chrome, then Playwright's own download.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const SYSTEM_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
];

export const BROWSER_HELP =
  "No Chromium found for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`), " +
  "or set THREADLINE_CHROMIUM to the path of any Chromium or Chrome executable, or run `npx playwright install chromium`.";

/** Flags that keep a headless Chromium from reaching out to the network or needing a GPU/sandbox. */
export const BROWSER_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** @returns {{ path: string, source: string } | { path: undefined, reason: string }} */
export function findBrowser() {
  const fromEnv = process.env.THREADLINE_CHROMIUM;
  if (fromEnv) {
    return existsSync(fromEnv)
      ? { path: fromEnv, source: "THREADLINE_CHROMIUM" }
      : { path: undefined, reason: `THREADLINE_CHROMIUM points at ${fromEnv}, which does not exist.` };
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { path: system, source: "system" };
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require("playwright-core");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: own, source: "playwright" };
  } catch {
    // playwright-core missing or its browser registry unreadable: fall through to the help text.
  }
  return { path: undefined, reason: BROWSER_HELP };
}
