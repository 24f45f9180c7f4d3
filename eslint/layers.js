// Enforces the layer table of ../shared/design/ARCHITECTURE.md: which folder of src/ may
// import which, where `electron` may appear, and which layers must stay free of Node-only
// modules (so that they run in a sandboxed renderer and in any process).
import { existsSync, statSync } from "node:fs";
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

/** Calls `check(node, specifier)` for every import, re-export and dynamic import of a file. */
function visitImports(check) {
  return {
    ImportDeclaration: (node) => check(node, node.source.value),
    ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
    ExportAllDeclaration: (node) => check(node, node.source.value),
    ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
  };
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

    return visitImports(check);
  },
};

// ---- Rooms inside src/core ------------------------------------------------------------------
// A self-contained block: the order of src/core's rooms, lowest first. A module may import its own
// room and any room of a lower level, never one above it nor another room of its level (rooms of
// one level stay independent). Files directly in src/core (inspector.ts…) are the room
// "inspector". Tests (*.test.ts) are exempt: they exercise a room in its real surroundings; test
// support that needs the whole engine lives outside src (test/support/). A new folder must be
// placed here before it can import or be imported.
const CORE_LEVELS = [
  ["storage", "diff"], // SQLite checkpointer, migrations, tables; pure diffing
  ["threads"], // threads, state, transfer; reach graphs and runs through threads/context.ts
  ["graphs"], // examples, langgraph.json projects, the registry
  ["runs", "importers", "store"], // the run manager; imports of LangGraph's own databases; LangGraph's store
  ["agent-api", "stores"], // engine-side pieces of the Agent Server adapter; checkpoint stores opened in place
  ["sources"], // where the inspector's threads come from: the seam, the local engine, opened stores
  ["inspector"], // src/core/*.ts: the Inspector that answers the contract
  ["worker"], // the engine's worker thread and its host
];
const CORE_LEVEL = new Map(CORE_LEVELS.flatMap((rooms, level) => rooms.map((room) => [room, level])));
const coreRoot = path.join(srcRoot, "core");

/**
 * The room of a file under src/core, "inspector" for the files at its top, undefined outside. A
 * path naming a folder itself (`./importers`, its index) is that folder's room.
 */
function coreRoomOf(file) {
  const rel = path.relative(coreRoot, file);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  if (parts.length > 1) return parts[0];
  const isFolder = CORE_LEVEL.has(parts[0]) || (existsSync(file) && statSync(file).isDirectory());
  return isFolder ? parts[0] : "inspector";
}

/** @type {import("eslint").Rule.RuleModule} */
const coreLayersRule = {
  meta: {
    type: "problem",
    docs: { description: "inside src/core, imports point down: storage ← threads ← graphs ← runs ← inspector ← worker" },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = coreRoomOf(file);
    if (!from || /\.test\.tsx?$/.test(file)) return {};
    const fromLevel = CORE_LEVEL.get(from);

    function check(node, spec) {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const to = coreRoomOf(path.resolve(path.dirname(file), spec));
      if (!to || to === from) return;
      if (fromLevel === undefined) {
        context.report({ node, message: `src/core/${from} is not in the room table of eslint/layers.js (CORE_LEVELS): place it there` });
        return;
      }
      const toLevel = CORE_LEVEL.get(to);
      if (toLevel === undefined) {
        context.report({ node, message: `src/core/${to} is not in the room table of eslint/layers.js (CORE_LEVELS): place it there` });
      } else if (toLevel >= fromLevel) {
        context.report({
          node,
          message: `src/core/${from} may not import src/core/${to} (${spec}): ${toLevel === fromLevel ? "rooms of one level stay independent" : `${to} sits above ${from}`}`,
        });
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
// ---- end of the src/core rooms block ----------------------------------------------------------

// The Agent Server API's rooms below the adapter (its wire types, its engine-side calls) belong to
// the adapter (src/server/agent-api): nothing else may grow a dependency on LangGraph's wire format.
const AGENT_API_ROOMS = ["shared/agent-api", "core/agent-api"];
/** Who may import them: the adapter and the rooms themselves, and the files that must name their calls. */
const AGENT_API_IMPORTERS = {
  folders: ["server/agent-api", ...AGENT_API_ROOMS],
  files: [
    "shared/contract.ts", // declares the adapter's calls (their argument schemas and result types)
    "core/sources/local.ts", // the local engine's source, which answers them
    "core/worker/default-engine.ts", // the engine's wiring, which gives the run manager the adapter's checkpointer
    // The remote source is a client of the same wire format the adapter serves: it sends inputs, edits and resumes
    // to an Agent Server as the adapter's own encoded → wire conversion writes them, rather than a second copy of it.
    "core/sources/remote/values.ts",
  ],
};

const within = (rel, folder) => rel === folder || rel.startsWith(`${folder}/`);
const srcPath = (file) => {
  const rel = path.relative(srcRoot, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join("/");
};

/** @type {import("eslint").Rule.RuleModule} */
const agentApiRule = {
  meta: {
    type: "problem",
    docs: { description: "src/shared/agent-api and src/core/agent-api are imported only by the Agent Server API adapter" },
    schema: [],
  },
  create(context) {
    const from = srcPath(context.filename);
    if (from === undefined || /\.test\.tsx?$/.test(from)) return {};
    if (AGENT_API_IMPORTERS.files.includes(from) || AGENT_API_IMPORTERS.folders.some((f) => within(from, f))) return {};

    function check(node, spec) {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = srcPath(path.resolve(path.dirname(context.filename), spec));
      const room = target && AGENT_API_ROOMS.find((r) => within(target, r));
      if (room) {
        context.report({
          node,
          message: `src/${room} belongs to the Agent Server API adapter: only src/server/agent-api (and ${AGENT_API_IMPORTERS.files.map((f) => `src/${f}`).join(", ")}) may import it, not src/${from}`,
        });
      }
    }

    return visitImports(check);
  },
};

export default { rules: { layers: rule, "core-layers": coreLayersRule, "agent-api": agentApiRule } };
