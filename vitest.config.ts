import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The LangGraph checkpointer conformance suite registers its tests through globals.
    globals: true,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
