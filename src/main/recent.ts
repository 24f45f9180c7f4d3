// The File menu's recent projects and databases, kept in a small JSON file in the user-data folder.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";

const recentSchema = z.object({
  projects: z.array(z.string()).default([]),
  databases: z.array(z.string()).default([]),
});
export type Recent = z.infer<typeof recentSchema>;
const MAX = 8;

export function readRecent(file: string): Recent {
  try {
    return recentSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    // Missing or damaged: a recent list is a convenience, not data worth refusing to start over.
    return { projects: [], databases: [] };
  }
}

export function addRecent(file: string, kind: keyof Recent, entry: string): Recent {
  const recent = readRecent(file);
  recent[kind] = [entry, ...recent[kind].filter((e) => e !== entry)].slice(0, MAX);
  writeFileSync(file, JSON.stringify(recent, null, 2));
  return recent;
}
