import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The LangGraph checkpointer conformance suite registers its tests through globals.
    globals: true,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Engines and servers started by the tests keep their schema cache here, not in the user's own Threadline folder.
    env: { THREADLINE_CACHE_DIR: process.env.THREADLINE_CACHE_DIR || path.join(os.tmpdir(), "threadline-test-cache") },
  },
});
