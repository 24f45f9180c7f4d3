// Threadline's own errors cross every process boundary as `{code, message}`:
// never a stack trace, since the stack of the engine means nothing to the user.
// An exception thrown by the user's node is not one of these: it is data
// (`UserError` in types.ts) that keeps its stack.

export const ERROR_CODES = [
  "NOT_FOUND",
  "CONFLICT",
  "INVALID_ARGUMENT",
  "GRAPH_LOAD_FAILED",
  "RUN_FAILED",
  "NOT_SQLITE",
  "CANCELLED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}

export class ThreadlineError extends Error {
  override readonly name = "ThreadlineError";

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }

  static fromWire(wire: WireError): ThreadlineError {
    return new ThreadlineError(wire.code, wire.message);
  }

  /**
   * Any thrown value as a ThreadlineError. Unknown errors become INTERNAL and
   * keep only their message: the transports must never leak engine internals.
   */
  static from(error: unknown): ThreadlineError {
    if (error instanceof ThreadlineError) return error;
    if (isWireError(error)) return ThreadlineError.fromWire(error);
    // A value that does not follow encoding.ts came from the caller.
    if (error instanceof Error && error.name === "EncodingError") return new ThreadlineError("INVALID_ARGUMENT", error.message);
    const message = error instanceof Error ? error.message : String(error);
    return new ThreadlineError("INTERNAL", message || "internal error");
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === "string";
}

export const notFound = (message: string) => new ThreadlineError("NOT_FOUND", message);
export const conflict = (message: string) => new ThreadlineError("CONFLICT", message);
export const invalidArgument = (message: string) => new ThreadlineError("INVALID_ARGUMENT", message);
