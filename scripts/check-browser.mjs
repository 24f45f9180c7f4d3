// `npm test` runs this first so that a machine without a browser stops at once with the fix,
// instead of failing minutes later inside the end-to-end specs.
import { findBrowser } from "./find-browser.mjs";

const found = findBrowser();
if (!found.path) {
  console.error(`threadline: ${found.reason}`);
  process.exit(1);
}
console.log(`threadline: end-to-end tests will use ${found.path} (${found.source})`);
