// The desktop app's settings, kept in a small JSON file in the user-data folder.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";

const settingsSchema = z.object({
  /** List the built-in examples next to an open project's graphs. */
  showExamples: z.boolean().default(false),
});
export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(file: string): Settings {
  try {
    return settingsSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    // Missing or damaged: the defaults, as on a first start.
    return settingsSchema.parse({});
  }
}

export function writeSettings(file: string, settings: Settings): void {
  writeFileSync(file, JSON.stringify(settingsSchema.parse(settings), null, 2));
}
