// Enforces the layer table of ../shared/design/ARCHITECTURE.md: which folder of src/ may
// import which, where `electron` may appear, and which layers must stay free of Node-only
// modules (so that they run in a sandboxed renderer and in any process).
import { builtinModules } from "node:module";
import path from "node:path";

const LAYERS = {
  shared: { may: ["shared"], electron: false, node: false },
  core: { may: ["core", "shared"], electron: false, node: true },
  server: { may: ["server", "core", "shared"], electron: false, node: true },
  main: { may: ["main", "core", "shared"], electron: true, node: true },
  preload: { may: ["preload", "shared"], electron: true, node: true },
  renderer: { may: ["renderer", "shared"], electron: false, node: false },
};

const NODE_ONLY = new Set([
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  "better-sqlite3",
]);

const srcRoot = path.resolve(import.meta.dirname, "..", "src");

function layerOf(file) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  const top = rel.split(path.sep)[0];
  return top in LAYERS ? top : undefined;
}

function bareName(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** @type {import("eslint").Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: { description: "imports point down the layer table of ARCHITECTURE.md" },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    const layer = LAYERS[from];

    function check(node, spec) {
      if (typeof spec !== "string") return;
      if (spec.startsWith(".")) {
        const target = layerOf(path.resolve(path.dirname(file), spec));
        if (target && !layer.may.includes(target)) {
          context.report({ node, message: `src/${from} may not import src/${target} (${spec}); allowed: ${layer.may.join(", ")}` });
        }
        return;
      }
      const name = bareName(spec);
      if (name === "electron" && !layer.electron) {
        context.report({ node, message: `'electron' may only be imported in src/main and src/preload, not src/${from}` });
      } else if (!layer.node && (NODE_ONLY.has(spec) || NODE_ONLY.has(name))) {
        context.report({ node, message: `src/${from} must not import the Node-only module '${spec}'` });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: rule } };
