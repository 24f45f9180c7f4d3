// The layer table of ARCHITECTURE.md is only as good as the rule that enforces it.
import path from "node:path";
import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import layers from "../eslint/layers.js";

const src = (rel: string) => path.resolve(import.meta.dirname, "..", "src", rel);

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

tester.run("threadline/layers", layers.rules.layers, {
  valid: [
    { filename: src("core/inspector.ts"), code: 'import { x } from "../shared/contract";' },
    { filename: src("core/storage/db.ts"), code: 'import Database from "better-sqlite3"; import fs from "node:fs";' },
    { filename: src("main/index.ts"), code: 'import { app } from "electron"; import { y } from "../core/inspector";' },
    { filename: src("preload/index.ts"), code: 'import { contextBridge } from "electron"; import { c } from "../shared/contract";' },
    { filename: src("renderer/src/App.tsx"), code: 'import { create } from "zustand"; import { c } from "../../shared/contract";' },
    { filename: src("server/http.ts"), code: 'import http from "node:http"; import { i } from "../core/inspector";' },
    { filename: src("shared/contract.ts"), code: 'import { z } from "zod";' },
  ],
  invalid: [
    { filename: src("core/x.ts"), code: 'import { app } from "electron";', errors: [{ message: /only be imported in src\/main and src\/preload/ }] },
    { filename: src("core/x.ts"), code: 'import { m } from "../main/index";', errors: [{ message: /src\/core may not import src\/main/ }] },
    { filename: src("shared/x.ts"), code: 'import fs from "node:fs";', errors: [{ message: /Node-only module 'node:fs'/ }] },
    { filename: src("shared/x.ts"), code: 'export * from "../core/storage";', errors: [{ message: /src\/shared may not import src\/core/ }] },
    { filename: src("renderer/src/x.ts"), code: 'import Database from "better-sqlite3";', errors: [{ message: /Node-only module 'better-sqlite3'/ }] },
    { filename: src("renderer/src/x.ts"), code: 'const p = import("path");', errors: [{ message: /Node-only module 'path'/ }] },
    { filename: src("preload/x.ts"), code: 'import { i } from "../core/inspector";', errors: [{ message: /src\/preload may not import src\/core/ }] },
    { filename: src("server/x.ts"), code: 'import { ipcMain } from "electron";', errors: [{ message: /only be imported in src\/main/ }] },
  ],
});

tester.run("threadline/agent-api", layers.rules["agent-api"], {
  valid: [
    { filename: src("server/agent-api/history.ts"), code: 'import { s } from "../../shared/agent-api/state";' },
    { filename: src("server/agent-api/index.ts"), code: 'import { r } from "./runs";' },
    { filename: src("core/agent-api/history.ts"), code: 'import { v } from "../../shared/agent-api/values";' },
    { filename: src("core/sources/local.ts"), code: 'import { AgentApiHistory } from "../agent-api/history";' },
    { filename: src("core/worker/default-engine.ts"), code: 'import { lendAgentServerSaver } from "../agent-api/checkpoint-metadata";' },
    { filename: src("shared/contract.ts"), code: 'import type { ApiStateText } from "./agent-api/state";' },
    { filename: src("core/sources/remote/values.ts"), code: 'import { toApiValue } from "../../../shared/agent-api/values";' },
    { filename: src("core/threads/state.test.ts"), code: 'import { c } from "../agent-api/test-support";' },
    { filename: src("server/http.ts"), code: 'import { createAgentApi } from "./agent-api";' },
  ],
  invalid: [
    {
      filename: src("core/threads/state.ts"),
      code: 'import { apiStateText } from "../../shared/agent-api/state";',
      errors: [{ message: /src\/shared\/agent-api belongs to the Agent Server API adapter.*not src\/core\/threads\/state\.ts/ }],
    },
    {
      filename: src("core/runs/run-manager.ts"),
      code: 'export * from "../agent-api/run-requests";',
      errors: [{ message: /src\/core\/agent-api belongs to the Agent Server API adapter/ }],
    },
    {
      filename: src("renderer/src/App.tsx"),
      code: 'const v = import("../../shared/agent-api/values");',
      errors: [{ message: /src\/shared\/agent-api belongs/ }],
    },
    {
      // Only the remote source's value conversion may read the wire format, not the rest of it.
      filename: src("core/sources/remote/reads.ts"),
      code: 'import { apiStateText } from "../../../shared/agent-api/state";',
      errors: [{ message: /src\/shared\/agent-api belongs/ }],
    },
    {
      filename: src("server/http.ts"),
      code: 'import { s } from "../shared/agent-api/state";',
      errors: [{ message: /only src\/server\/agent-api/ }],
    },
  ],
});
