// End-to-end specs of the inspector in browser mode: each test gets its own server and temporary database
// (e2e/fixtures.ts); the renderer is built once (e2e/global-setup.ts). No browser is downloaded: the
// Chromium comes from scripts/find-browser.mjs.
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { BROWSER_ARGS, findBrowser } from "./scripts/find-browser.mjs";

const browser = findBrowser();
// The servers the specs start keep their schema cache here, not in the user's own Threadline folder.
process.env.THREADLINE_CACHE_DIR ||= path.join(os.tmpdir(), "threadline-test-cache");

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results",
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    viewport: { width: 1280, height: 800 },
    headless: true,
    launchOptions: { ...(browser.path ? { executablePath: browser.path } : {}), args: BROWSER_ARGS },
    trace: "retain-on-failure",
  },
});
