// How the Agent Server API fails: its own refusals (ApiError, with LangGraph's statuses) and the
// engine's errors through the one code→status map browser mode uses too (../error-status.ts).
import type { Context } from "hono";
import type { z } from "zod";
import { ThreadlineError } from "../../shared/errors";
import { HTTP_STATUS } from "../error-status";

export type ApiStatus = 400 | 404 | 409 | 422 | 500 | 501 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
    /** The `error` field of the answer. */
    readonly kind = "Error",
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError(404, message);

/** A zod failure as one readable line: each issue with the field it is about. */
export function invalidRequest(what: string, error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message));
  return new ApiError(422, `${what}: ${issues.join("; ")}`);
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) return c.json({ error: error.kind, message: error.message }, error.status);
  const e = ThreadlineError.from(error);
  return c.json({ error: e.code, message: e.message }, HTTP_STATUS[e.code]);
}

/** A handler whose every failure answers as above. */
export const route =
  (handler: (c: Context) => Promise<Response>) =>
  async (c: Context): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      return errorResponse(c, error);
    }
  };
