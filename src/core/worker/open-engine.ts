// How the desktop app and `threadline serve` start an engine: the worker, then one call that proves
// the database opened. A file that cannot be opened fails here, with its reason, instead of at every
// later call, and the half-started worker is closed (the app keeps the engine it had).
import { EngineHost, type EngineHostOptions } from "./engine-host";

export async function openEngine(options: EngineHostOptions): Promise<EngineHost> {
  const host = await EngineHost.start(options);
  try {
    await host.invoke("project.info", {});
  } catch (error) {
    await host.close();
    throw error;
  }
  return host;
}
