// langgraph.json's `store` section, as `langgraph dev` reads it:
//   "store": { "index": { "embed": "openai:text-embedding-3-small", "dims": 1536, "fields": ["text"] },
//              "ttl": { "default_ttl": 10080, "refresh_on_read": true, "sweep_interval_minutes": 60 } }
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { formatZodIssues } from "../../shared/contract";

const storeSection = z
  .object({
    index: z
      .object({
        embed: z.string().min(1, "names a provider and model (\"openai:text-embedding-3-small\") or \"./file.ts:export\""),
        dims: z.number().int().positive(),
        fields: z.array(z.string().min(1)).optional(),
      })
      .optional(),
    ttl: z
      .object({
        default_ttl: z.number().positive().nullable().optional(),
        refresh_on_read: z.boolean().optional(),
        sweep_interval_minutes: z.number().positive().nullable().optional(),
      })
      .optional(),
  })
  .optional();

export type StoreSection = NonNullable<z.infer<typeof storeSection>>;

/** The `store` section of the project's langgraph.json; {} when absent. Throws a message saying what is wrong. */
export function readStoreSection(projectDir: string): StoreSection {
  const file = path.join(projectDir, "langgraph.json");
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return {}; // the graph loader reports a broken langgraph.json
  }
  const parsed = storeSection.safeParse((raw as { store?: unknown } | null)?.store);
  if (!parsed.success) throw new Error(`"store" in langgraph.json: ${formatZodIssues(parsed.error)}`);
  return parsed.data ?? {};
}
