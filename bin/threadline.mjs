#!/usr/bin/env node
// The `threadline` command. The server is TypeScript run through tsx, so that the same sources serve
// from a checkout with no build step; only the renderer (a static bundle) has to be built.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/server/cli.ts");
process.exitCode = await main(process.argv.slice(2));
