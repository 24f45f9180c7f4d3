// The UI's bench targets (issue 6): with 10,000 checkpoints written through the checkpointer, clicking the
// thread until its timeline is ready takes under 300 ms, and the page's JS heap after garbage collection
// stays under 150 MB (read over the Chrome DevTools Protocol). Shaped as a bench/ module: register it in
// bench/index.ts. Needs the renderer built (`npx electron-vite build`) and a Chromium (find-browser.mjs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { BROWSER_ARGS, findBrowser } from "../scripts/find-browser.mjs";
import { startServer } from "../src/server/serve";
import { writeLinearThread } from "../e2e/seed";

const CHECKPOINTS = 10_000;
const CLICK_TARGET_MS = 300;
const HEAP_TARGET_MB = 150;
const STATIC_DIR = path.resolve(import.meta.dirname, "..", "out", "renderer");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const name = "ui-timeline";

export async function run() {
  // The page under test is the built renderer; build it when this checkout has not yet.
  if (!existsSync(path.join(STATIC_DIR, "index.html"))) execFileSync("npx", ["electron-vite", "build"], { stdio: "inherit" });
  const browserPath = findBrowser();
  if (!browserPath.path) throw new Error(browserPath.reason);
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-ui-"));
  const dbFile = path.join(dir, "bench.sqlite");
  await writeLinearThread(dbFile, "long", CHECKPOINTS);
  await writeLinearThread(dbFile, "short", 3);
  const server = await startServer({ dbFile, staticDir: STATIC_DIR, port: 0 });
  const browser = await chromium.launch({ executablePath: browserPath.path, args: BROWSER_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.pageUrl);
    await page.locator('[data-app-state="ready"]').waitFor();
    // Written as source text: tsx would wrap a function literal in helpers that do not exist in the page.
    const clickToReady = async (threadId: string, firstStep: string) =>
      page.evaluate(`new Promise((resolve, reject) => {
        const row = document.querySelector('[data-testid="thread-row"][data-thread-id="${threadId}"]');
        if (!row) return reject(new Error("no row for ${threadId}"));
        const start = performance.now();
        row.click();
        const check = () => {
          const timeline = document.querySelector('[data-testid="timeline"][data-state="ready"]');
          const first = document.querySelector('[data-testid="timeline-row"]');
          if (timeline && first && first.getAttribute("data-step") === "${firstStep}") resolve(performance.now() - start);
          else requestAnimationFrame(check);
        };
        check();
      })`) as Promise<number>;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clickToReady("short", "1");
      times.push(await clickToReady("long", String(CHECKPOINTS - 2)));
    }
    // The worst case for memory: every page of the timeline loaded.
    await page.getByTestId("timeline-list").focus();
    await page.keyboard.press("End");
    await page.locator('[data-testid="timeline-row"][aria-selected="true"][data-step="-1"]').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
    const heapMb = heap.usedSize / 1024 / 1024;
    const clickMs = median(times);
    return {
      report: [
        `thread of ${CHECKPOINTS} checkpoints written through SqliteCheckpointer`,
        `click → timeline ready: median ${clickMs.toFixed(1)} ms (runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms)`,
        `JS heap after GC, all ${CHECKPOINTS} rows loaded: ${heapMb.toFixed(1)} MB`,
      ].join("\n"),
      json: { checkpoints: CHECKPOINTS, clickToReadyMs: clickMs, clickRunsMs: times, heapMb },
      targets: [
        { target: `click → timeline ready < ${CLICK_TARGET_MS} ms`, pass: clickMs < CLICK_TARGET_MS, detail: `${clickMs.toFixed(1)} ms` },
        { target: `JS heap after GC < ${HEAP_TARGET_MB} MB`, pass: heapMb < HEAP_TARGET_MB, detail: `${heapMb.toFixed(1)} MB` },
      ],
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
