// The UI's bench targets (issue 14) on a 10,000-checkpoint thread shaped like an agent's (e2e/seed-agent.ts:
// a growing message list with tool calls, branches replayed from old checkpoints, subgraph runs): click →
// timeline ready < 300 ms, End and Home < 300 ms, selecting a checkpoint < 100 ms, a diff between the first
// and the last checkpoint < 500 ms, and the page's JS heap after GC < 150 MB (Chrome DevTools Protocol).
// Times run in the page, from the input event to the first frame that shows the result. A 3-checkpoint
// thread clicked in the same run is reported beside them as the peer: what the page costs without length.
// Builds the renderer first (`npx electron-vite build`, as the E2E setup does) and needs a Chromium (find-browser.mjs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { BROWSER_ARGS, findBrowser } from "../scripts/find-browser.mjs";
import { startServer } from "../src/server/serve";
import { writeLinearThread } from "../e2e/seed";
import { AGENT_THREAD, writeAgentThread } from "../e2e/seed-agent";
import { median } from "./format";

const TARGETS = { clickMs: 300, endMs: 300, homeMs: 300, selectMs: 100, diffMs: 500, heapMb: 150 };
const RUNS = 5;
const STATIC_DIR = path.resolve(import.meta.dirname, "..", "out", "renderer");

export const name = "ui-timeline";

/**
 * Runs `act` (page source text) and resolves with the ms until `done` (page source text, an expression)
 * holds on a frame. Written as source text: tsx would wrap a function literal in helpers the page lacks.
 */
function timed(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const start = performance.now();
    try { ${act} } catch (e) { return reject(e); }
    const check = () => {
      if (performance.now() - start > 30000) return reject(new Error("timed out waiting for: " + ${JSON.stringify(done)}));
      if (${done}) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    check();
  })`) as Promise<number>;
}

const q = (selector: string) => `document.querySelector(${JSON.stringify(selector)})`;
const key = (k: string) => `${q('[data-testid="timeline-list"]')}.dispatchEvent(new KeyboardEvent("keydown", { key: "${k}", bubbles: true }));`;
const click = (selector: string) => `${q(selector)}.click();`;
/** The row is drawn, selected, and inside the list's visible area. */
const selectedInView = (step: string) => `(() => {
  const row = ${q(`[data-testid="timeline-row"][aria-selected="true"][data-step="${step}"]`)};
  const list = ${q('[data-testid="timeline-list"]')};
  if (!row || !list) return false;
  const r = row.getBoundingClientRect(), l = list.getBoundingClientRect();
  return r.top >= l.top - 1 && r.bottom <= l.bottom + 1;
})()`;

function line(label: string, runs: number[], target: number): string {
  return `${label}: median ${median(runs).toFixed(1)} ms (runs: ${runs.map((t) => t.toFixed(0)).join(", ")} ms; target < ${target} ms)`;
}

export async function run() {
  // The page under test is the built renderer: built every time (as e2e/global-setup.ts does), since a
  // bundle left from an older checkout measured the old page (End 1.1 s where the current one takes 0.1 s).
  execFileSync("npx", ["electron-vite", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  const browserPath = findBrowser();
  if (!browserPath.path) throw new Error(browserPath.reason);
  const dir = mkdtempSync(path.join(tmpdir(), "threadline-bench-ui-"));
  const dbFile = path.join(dir, "bench.sqlite");
  const seedStart = performance.now();
  const line0 = await writeAgentThread(dbFile, "long");
  const seedMs = performance.now() - seedStart;
  await writeLinearThread(dbFile, "short", 3);
  const server = await startServer({ dbFile, staticDir: STATIC_DIR, port: 0 });
  const browser = await chromium.launch({ executablePath: browserPath.path, args: BROWSER_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.pageUrl);
    await page.locator('[data-app-state="ready"]').waitFor();
    const ready = (threadId: string) =>
      `${q(`[data-testid="timeline"][data-state="ready"]`)} && ${q('[data-testid="open-thread"]')}?.getAttribute("data-thread-id") === "${threadId}" && !!${q('[data-testid="timeline-row"]')}`;
    const openThread = (threadId: string) => timed(page, click(`[data-testid="thread-row"][data-thread-id="${threadId}"] [data-testid="thread-open"]`), ready(threadId));

    const clicks: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      peer.push(await openThread("short"));
      clicks.push(await openThread("long"));
    }

    // Home and End on the open long thread, selection drawn in view; End reads the oldest page (the pages
    // between load when scrolled to).
    const head = await page.locator('[data-testid="timeline-row"]').first().getAttribute("data-step");
    const ends: number[] = [];
    const homes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Opened afresh each time, so that End reads the oldest page again.
      if (i > 0) {
        await openThread("short");
        await openThread("long");
      }
      ends.push(await timed(page, key("End"), selectedInView("-1")));
      homes.push(await timed(page, key("Home"), selectedInView(head!)));
    }

    // Selecting a checkpoint: the click until the Checkpoint tab shows that checkpoint's state.
    await page.getByTestId("tab-checkpoint").click();
    const rows = page.locator('[data-testid="timeline-row"][data-checkpoint-ns=""]');
    const selects: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const row = rows.nth(3 + i * 2);
      const id = await row.getAttribute("data-checkpoint-id");
      selects.push(
        await timed(
          page,
          click(`[data-testid="timeline-row"][data-checkpoint-id="${id}"]`),
          `${q(`[data-testid="checkpoint-detail"][data-checkpoint-id="${id}"]`)} && !${q('[data-testid="checkpoint-detail"][data-loading]')} && !!${q('[data-testid="state-tree"]')}`,
        ),
      );
    }

    // Diff between the first checkpoint and the last one written (the newest row): pin the first, select the last.
    const first = line0[0]!;
    await page.getByTestId("timeline-list").focus();
    await page.keyboard.press("End");
    await page.locator(`[data-testid="timeline-row"][data-checkpoint-id="${first}"][aria-selected="true"]`).waitFor();
    await page.locator(`[data-testid="checkpoint-detail"][data-checkpoint-id="${first}"]`).waitFor();
    await page.getByTestId("pin-diff").click();
    await page.getByTestId("tab-diff").click();
    await page.getByTestId("timeline-list").focus();
    await page.keyboard.press("Home");
    const top = page.locator('[data-testid="timeline-row"]');
    const last = (await top.nth(0).getAttribute("data-checkpoint-id"))!;
    const other = (await top.nth(1).getAttribute("data-checkpoint-id"))!;
    const diffs: number[] = [];
    const diffShown = (to: string) =>
      `${q(`[data-testid="diff-to"][data-checkpoint-id="${to}"]`)} && ${q(`[data-testid="diff-from"][data-checkpoint-id="${first}"]`)} && !${q('[data-testid="diff-panel"][data-loading]')} && !!${q('[data-testid="diff-view"]')}`;
    for (let i = 0; i < RUNS; i++) {
      // Away and back, so that each run computes the diff again.
      await top.nth(1).click();
      await page.locator(`[data-testid="diff-to"][data-checkpoint-id="${other}"]`).waitFor();
      diffs.push(await timed(page, click(`[data-testid="timeline-row"][data-checkpoint-id="${last}"]`), diffShown(last)));
    }
    const entries = await page.getByTestId("diff-entry").count();

    // The worst case for memory: every page of the timeline loaded, and the long thread's states read. End
    // left a gap above the oldest page; scrolled there, the pages in between arrive until the thread is whole.
    await page.getByTestId("timeline-list").focus();
    await page.keyboard.press("End");
    await page.locator('[data-testid="timeline-row"][aria-selected="true"][data-step="-1"]').waitFor();
    const rowHeight = await page.locator('[data-testid="timeline-row"][aria-selected="true"]').evaluate((row) => row.getBoundingClientRect().height);
    await page.getByTestId("timeline-list").evaluate((el, by) => el.scrollBy(0, -by), rowHeight * 195);
    await page.waitForFunction(() => /^\d+ checkpoints$/.test(document.querySelector('[data-testid="timeline-count"]')?.textContent ?? ""), undefined, { timeout: 120_000 });
    const loadedRows = Number((await page.getByTestId("timeline-count").textContent())!.split(" ")[0]);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
    const heapMb = heap.usedSize / 1024 / 1024;

    const m = { click: median(clicks), peer: median(peer), end: median(ends), home: median(homes), select: median(selects), diff: median(diffs) };
    const total = AGENT_THREAD.checkpoints + AGENT_THREAD.branches * (AGENT_THREAD.branchLength + 1);
    return {
      report: [
        `agent thread: ${AGENT_THREAD.checkpoints} main-line checkpoints (a message each, tool calls), ${AGENT_THREAD.branches} replayed branches, a 4-checkpoint subgraph run every ${AGENT_THREAD.subgraphEvery} steps; ${total} root checkpoints; seeded in ${(seedMs / 1000).toFixed(1)} s`,
        line("click → timeline ready", clicks, TARGETS.clickMs),
        `  peer, a 3-checkpoint thread: median ${m.peer.toFixed(1)} ms (ratio long/short ${(m.click / m.peer).toFixed(2)}x)`,
        line("End (oldest page read, oldest row selected in view)", ends, TARGETS.endMs),
        line("Home", homes, TARGETS.homeMs),
        line("select a checkpoint (its state shown)", selects, TARGETS.selectMs),
        line(`diff first ↔ last (${entries} entries)`, diffs, TARGETS.diffMs),
        `JS heap after GC, every row loaded (${loadedRows} rows): ${heapMb.toFixed(1)} MB (target < ${TARGETS.heapMb} MB)`,
      ].join("\n"),
      json: { checkpoints: total, clickMs: m.click, peerClickMs: m.peer, endMs: m.end, homeMs: m.home, selectMs: m.select, diffMs: m.diff, heapMb, runs: { clicks, peer, ends, homes, selects, diffs } },
      targets: [
        { target: `click → timeline ready < ${TARGETS.clickMs} ms`, pass: m.click < TARGETS.clickMs, detail: `${m.click.toFixed(1)} ms` },
        { target: `End < ${TARGETS.endMs} ms`, pass: m.end < TARGETS.endMs, detail: `${m.end.toFixed(1)} ms` },
        { target: `Home < ${TARGETS.homeMs} ms`, pass: m.home < TARGETS.homeMs, detail: `${m.home.toFixed(1)} ms` },
        { target: `select a checkpoint < ${TARGETS.selectMs} ms`, pass: m.select < TARGETS.selectMs, detail: `${m.select.toFixed(1)} ms` },
        { target: `diff first ↔ last < ${TARGETS.diffMs} ms`, pass: m.diff < TARGETS.diffMs, detail: `${m.diff.toFixed(1)} ms` },
        { target: `JS heap after GC < ${TARGETS.heapMb} MB`, pass: heapMb < TARGETS.heapMb, detail: `${heapMb.toFixed(1)} MB` },
      ],
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
