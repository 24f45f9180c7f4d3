// Freed Buffers stay resident in glibc's arenas until malloc_trim gives their pages back: the
// server held about 200 MB of them after 50 runs on a growing thread (issue 12.8).
import v8 from "node:v8";
import vm from "node:vm";
import { trimMalloc } from "./malloc-trim";

const MB = 1024 * 1024;
const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

describe("trimMalloc", () => {
  it("returns the free pages of the C heap that freeing Buffers left resident (glibc; elsewhere says it cannot)", async () => {
    if (!glibc) {
      expect(trimMalloc()).toBe(false);
      return;
    }
    // Freeing a large block makes glibc serve blocks up to its size from the arenas from then on.
    let large: Buffer | null = Buffer.alloc(4 * MB, 1);
    large = null;
    collectGarbage();
    // 120 MB of 240 KB blocks, one kept in 40 so that the freed ones cannot be cut from an arena's top.
    let blocks: Buffer[] = Array.from({ length: 500 }, () => Buffer.alloc(240 * 1024, 1));
    blocks = blocks.filter((_, i) => i % 40 === 0);
    collectGarbage();
    // V8 may hand the freed blocks' memory back to malloc from a background thread, later on a busy
    // machine: measure once it has (the Buffers' backing stores no longer count).
    for (let waited = 0; process.memoryUsage().arrayBuffers > 40 * MB && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      collectGarbage();
    }
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(40 * MB);
    const before = process.memoryUsage.rss();
    expect(trimMalloc()).toBe(true);
    const after = process.memoryUsage.rss();
    expect(before - after).toBeGreaterThan(60 * MB);
    expect(blocks.every((block) => block[0] === 1)).toBe(true);
    expect(large).toBeNull();
  });
});
