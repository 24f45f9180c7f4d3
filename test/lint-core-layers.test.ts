// The rooms of src/core (eslint/layers.js, CORE_LEVELS) are only as good as the rule that enforces them.
import path from "node:path";
import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import layers from "../eslint/layers.js";

const core = (rel: string) => path.resolve(import.meta.dirname, "..", "src", "core", rel);

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

tester.run("threadline/core-layers", layers.rules["core-layers"], {
  valid: [
    { filename: core("threads/state.ts"), code: 'import { SqliteCheckpointer } from "../storage/index"; import { diff } from "../diff/diff";' },
    { filename: core("graphs/project.ts"), code: 'import { revive } from "../threads/revive";' },
    { filename: core("runs/run-manager.ts"), code: 'import type { RunManager } from "../threads/context"; import { g } from "../graphs/graph-shape";' },
    { filename: core("inspector.ts"), code: 'import { r } from "./runs/run-manager"; import { i } from "./importers";' },
    { filename: core("worker/default-engine.ts"), code: 'import { Inspector } from "../inspector";' },
    { filename: core("storage/checkpointer.ts"), code: 'import { x } from "./delta"; import { c } from "../../shared/contract";' },
    // tests exercise a room in its real surroundings
    { filename: core("storage/fast-revive.test.ts"), code: 'import { buildFanOut } from "../graphs/examples";' },
    // outside src/core the rule has nothing to say
    { filename: path.resolve(import.meta.dirname, "support/engine.ts"), code: 'import { Inspector } from "../../src/core/inspector";' },
  ],
  invalid: [
    { filename: core("storage/x.ts"), code: 'import { t } from "../threads/threads";', errors: [{ message: /src\/core\/storage may not import src\/core\/threads .*threads sits above storage/ }] },
    { filename: core("threads/x.ts"), code: 'import { Inspector } from "../inspector";', errors: [{ message: /src\/core\/threads may not import src\/core\/inspector/ }] },
    { filename: core("threads/test-support.ts"), code: 'export { Inspector } from "../inspector";', errors: [{ message: /inspector sits above threads/ }] },
    { filename: core("graphs/x.ts"), code: 'const w = import("../worker/default-engine");', errors: [{ message: /src\/core\/graphs may not import src\/core\/worker/ }] },
    { filename: core("runs/x.ts"), code: 'export * from "../importers";', errors: [{ message: /rooms of one level stay independent/ }] },
    { filename: core("inspector.ts"), code: 'import { h } from "./worker/engine-host";', errors: [{ message: /worker sits above inspector/ }] },
    { filename: core("runs/x.ts"), code: 'import { y } from "../newroom/y";', errors: [{ message: /src\/core\/newroom is not in the room table/ }] },
    { filename: core("newroom/x.ts"), code: 'import { s } from "../storage/index";', errors: [{ message: /src\/core\/newroom is not in the room table/ }] },
  ],
});
