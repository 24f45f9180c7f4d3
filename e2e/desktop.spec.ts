// The desktop app's smoke flow with Playwright's Electron driver. It needs Electron's binary and the
// Electron build of better-sqlite3, which `npm ci` deliberately never downloads; where they are missing
// (as on offline CI machines) the spec skips and says which one and how to get it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { _electron as electron, expect, test } from "@playwright/test";
import { electronBinary, electronSqliteBinding } from "../scripts/electron-env.mjs";

const binary = electronBinary();
const binding = electronSqliteBinding();
const missing = [binary, binding].find((check) => !check.ok);

test.describe("desktop app", () => {
  test.skip(!!missing, missing && !missing.ok ? `desktop smoke flow not run: ${missing.reason}` : "");

  test("opens a secure window whose UI reaches the engine over the preload bridge", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "threadline-desktop-"));
    const app = await electron.launch({
      executablePath: binary.ok ? binary.path : undefined,
      args: [path.resolve("out/main/index.js"), "--db", path.join(dir, "threads.db")],
    });
    try {
      const page = await app.firstWindow();
      await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
      const isolated = await page.evaluate(() => ({
        node: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as { threadline: { calls: object } }).threadline.calls).length,
      }));
      expect(isolated).toMatchObject({ node: "undefined", process: "undefined" });
      expect(isolated.bridge).toBeGreaterThan(20);
      const graphs = await page.evaluate(async () => {
        const bridge = (globalThis as unknown as { threadline: { calls: Record<string, (a: unknown) => Promise<{ ok: boolean; result: { graphs: { id: string }[] } }>> } }).threadline;
        const outcome = await bridge.calls["graphs.list"]!({});
        return outcome.result.graphs.map((g) => g.id);
      });
      expect(graphs).toEqual(expect.arrayContaining(["react-agent", "human-in-the-loop", "fan-out"]));
      const before = page.url();
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href = "https://example.com/";
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
