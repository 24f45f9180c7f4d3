import { resolve } from "node:path";
import { defineConfig } from "electron-vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The engine runs in a worker thread of its own (src/core/worker): a second entry next to index.js.
        input: {
          index: resolve(__dirname, "src/main/index.ts"),
          "worker-entry": resolve(__dirname, "src/core/worker/worker-entry.ts"),
          // Reading a project's TypeScript types for its schemas runs in a thread of its own (type-schemas/service.ts).
          "schema-worker": resolve(__dirname, "src/core/graphs/type-schemas/worker-entry.ts"),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can load neither ES modules nor npm packages: one CommonJS file.
      rollupOptions: {
        input: { index: resolve(__dirname, "src/preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, "src/renderer"),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, "src/renderer/index.html") } },
    },
    plugins: [react()],
  },
});
