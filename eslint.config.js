import tseslint from "typescript-eslint";
import layers from "./eslint/layers.js";

export default tseslint.config(
  { ignores: ["node_modules/", "out/", "dist/", "test-results/", "playwright-report/", ".cache/", "test/langgraph-compat/.dev-*/", "**/*.d.ts"] },
  ...tseslint.configs.recommended,
  {
    plugins: { threadline: layers },
    rules: {
      "threadline/layers": "error",
      "threadline/agent-api": "error",
      "threadline/core-layers": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
