// The one map from Threadline's error codes to HTTP statuses, for both of browser mode's APIs: the
// contract's routes (src/server/http.ts) and LangGraph's Agent Server API (src/server/agent-api).
// Typed by ErrorCode, so a code added to shared/errors.ts is a compile error here until it has one.
import type { ErrorCode } from "../shared/errors";

export type ErrorStatus = 404 | 409 | 422 | 500 | 503;

export const HTTP_STATUS: Record<ErrorCode, ErrorStatus> = {
  // 422 as LangGraph's server answers a request it understood but cannot accept.
  INVALID_ARGUMENT: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CANCELLED: 409,
  GRAPH_LOAD_FAILED: 422,
  NOT_SQLITE: 422,
  RUN_FAILED: 500,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};
