// Which engine this is. `threadline serve` answers its Agent Server API from the engine's active
// source, so connecting an engine to its own server would make that connection the source of its
// own answers: every request would ask itself again, without end. The server names its engine in a
// header of /info (project.info carries the id), and a connection refuses a server naming this
// engine. A module constant: each engine (a worker thread, or a test's in-process engine with its
// own module graph) has its own, and a restarted engine a new one.
import { randomUUID } from "node:crypto";

export const INSTANCE_HEADER = "x-threadline-instance";

export const ENGINE_INSTANCE = randomUUID();
