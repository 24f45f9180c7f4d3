// Which Threadline process this is. `threadline serve` answers its Agent Server API from the active
// source, so connecting to our own server would make that connection the source of its own answers:
// every request would ask itself again, without end. The server names itself in a header of /info and
// the connection refuses a server that names this process. The id lives in process.env because the
// engine's worker thread gets a copy of the environment when it starts: the server sets it first.
import { randomUUID } from "node:crypto";

export const INSTANCE_HEADER = "x-threadline-instance";

export function instanceId(): string {
  return (process.env.THREADLINE_INSTANCE ??= randomUUID());
}
