// `threadline serve` in a process of its own with a given token, port and database (what the CLI does,
// with the token fixed), for tests that stop a server and start it again as the same server. Prints
// "serving on URL" once it listens; SIGTERM stops it.
import { startServer } from "../../src/server/serve";

const [dbFile, port, token] = process.argv.slice(2);
const server = await startServer({ dbFile: dbFile!, port: Number(port ?? 0), token: token! });
console.log(`serving on ${server.url}`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
