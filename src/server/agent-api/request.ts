// Reading a request through its zod schema (./schemas.ts): the body as JSON, the query as strings.
import type { Context } from "hono";
import type { z } from "zod";
import { jsonTextNestingExceeds, MAX_NESTING_DEPTH, TOO_DEEP_MESSAGE } from "../../shared/nesting";
import { ApiError, invalidRequest } from "./errors";

/** The body as JSON; an empty body reads as `{}`. */
export async function json(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  // Read before parsing: a body nested 100,000 deep is refused without building it (shared/nesting.ts).
  // The body object itself is not a level: the limit applies to each field, as for the contract.
  if (jsonTextNestingExceeds(text, MAX_NESTING_DEPTH + 1)) throw new ApiError(400, `the request body is ${TOO_DEEP_MESSAGE}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(422, `the request body is not JSON (${(error as Error).message})`);
  }
}

export async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await json(c));
  if (!parsed.success) throw invalidRequest(`${c.req.method} ${c.req.path}: the request body`, parsed.error);
  return parsed.data;
}

/** The query string: a key given once is a string, `stream_mode` (given repeatedly) a list. */
export function query<S extends z.ZodType>(c: Context, schema: S, lists: readonly string[] = []): z.output<S> {
  const raw: Record<string, string | string[]> = { ...c.req.query() };
  for (const key of lists) {
    const all = c.req.queries(key);
    if (all) raw[key] = all;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidRequest(`${c.req.method} ${c.req.path}: the query`, parsed.error);
  return parsed.data;
}

export const param = (c: Context, name: string): string => c.req.param(name) ?? "";
