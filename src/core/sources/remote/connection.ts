// The connection to a LangGraph Agent Server (`langgraph dev`, Python or JS, or a deployment)
// through the official SDK. The API key lives in this object only: it goes to that server (the
// SDK's x-api-key header) and nowhere else, and no message or label ever contains it. Every request
// is counted, so that tests and the bench can check that the timeline costs no request per checkpoint.
import { Client } from "@langchain/langgraph-sdk";
import { z } from "zod";
import { ThreadlineError, invalidArgument } from "../../../shared/errors";
import { ENGINE_INSTANCE, INSTANCE_HEADER } from "./instance";

/** What /info must answer: the assistants API (LangGraph API servers since it exists, Python or JS). */
const infoSchema = z.looseObject({
  version: z.string().nullish(),
  langgraph_js_version: z.string().nullish(),
  langgraph_py_version: z.string().nullish(),
  context: z.string().nullish(),
  server: z.string().nullish(),
  flags: z.looseObject({ assistants: z.boolean().optional() }).nullish(),
});
export type RemoteServerInfo = z.infer<typeof infoSchema>;

/** A server URL as the user typed it: http(s) only, no credentials in it, no trailing slash. */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalidArgument(`"${raw}" is not a URL: give the Agent Server's address, e.g. http://127.0.0.1:2024`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidArgument(`an Agent Server is reached over http:// or https://, not ${url.protocol}`);
  }
  if (url.username || url.password) throw invalidArgument("put the API key in the key field, not in the URL");
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

/** Whether a location names an Agent Server rather than a checkpoint store. */
export function isServerUrl(location: string): boolean {
  return /^https?:\/\//i.test(location.trim());
}

export class RemoteConnection {
  readonly client: Client;
  /** HTTP requests sent to the server so far. */
  requests = 0;
  /** Told after each call: null when the server answered, else why it could not be reached. */
  onOutcome: (problem: string | null) => void = () => {};

  constructor(
    readonly url: string,
    private readonly apiKey: string | null,
  ) {
    const counted = (input: RequestInfo | URL, init?: RequestInit) => {
      this.requests++;
      return fetch(input, init);
    };
    // No retries: an unreachable server is said at once, and the UI retries when the user acts.
    // apiKey null (not undefined): the SDK would otherwise pick a key up from the environment.
    this.client = new Client({ apiUrl: url, apiKey: apiKey ?? null, callerOptions: { maxRetries: 0, fetch: counted } });
  }

  /** GET a path of the server that the SDK has no method for (/info), with the key. */
  async get(path: string, answered?: (response: Response) => void): Promise<unknown> {
    this.requests++;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { headers: this.apiKey ? { "x-api-key": this.apiKey } : {} });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    if (!response.ok) throw httpError(this.url, response.status, await response.text().catch(() => ""));
    answered?.(response);
    return response.json();
  }

  /**
   * Checks that the server is an Agent Server this version supports, and that the key is right (/info
   * answers without a key on LangGraph's servers; listing assistants needs it).
   */
  async check(): Promise<RemoteServerInfo> {
    let raw: unknown;
    try {
      raw = await this.get("/info", (response) => {
        if (response.headers.get(INSTANCE_HEADER) === ENGINE_INSTANCE) {
          throw invalidArgument(`${this.url} is this Threadline itself: its threads are the local source already`);
        }
      });
    } catch (error) {
      if (error instanceof ThreadlineError && error.code === "NOT_FOUND") {
        throw new ThreadlineError("UNAVAILABLE", `${this.url} has no /info: not a LangGraph Agent Server, or one older than this version supports`);
      }
      throw error;
    }
    const info = infoSchema.safeParse(raw);
    if (!info.success || info.data.flags?.assistants === false) {
      throw new ThreadlineError(
        "UNAVAILABLE",
        `${this.url} is a server of an unsupported version: its /info does not describe a LangGraph Agent Server with assistants`,
      );
    }
    await this.call(() => this.client.assistants.search({ limit: 1 }));
    return info.data;
  }

  /** One SDK call, its failure said as what it is (unreachable, wrong key, not found…). */
  async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      const answer = await request();
      this.onOutcome(null);
      return answer;
    } catch (error) {
      const failure = remoteError(this.url, error);
      // An answer, even a refusal, means the server is there; a failure to reach it is the problem.
      if (typeof (error as { status?: unknown })?.status === "number") this.onOutcome(null);
      else if (!isGivenUp(error)) this.onOutcome(failure.message);
      throw failure;
    }
  }
}

function unreachable(url: string, error: unknown): ThreadlineError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ThreadlineError("UNAVAILABLE", `cannot reach the Agent Server at ${url} (${why})`);
}

function httpError(url: string, status: number, body: string): ThreadlineError {
  const detail = serverDetail(body);
  if (status === 401 || status === 403) {
    return new ThreadlineError("UNAVAILABLE", `the Agent Server at ${url} refused the API key (${status})${detail ? `: ${detail}` : ""}`);
  }
  if (status === 404) return new ThreadlineError("NOT_FOUND", detail || `not found on ${url}`);
  if (status === 409) return new ThreadlineError("CONFLICT", detail || "conflict");
  // LangGraph's servers refuse a run on a busy thread (multitask strategy "reject") with 422 and these words.
  if (status === 422 && /already running/i.test(detail)) return new ThreadlineError("CONFLICT", detail);
  if (status === 400 || status === 422) return new ThreadlineError("INVALID_ARGUMENT", detail || `the server refused the request (${status})`);
  if (status >= 500) return new ThreadlineError("UNAVAILABLE", `the Agent Server at ${url} failed (${status})${detail ? `: ${detail}` : ""}`);
  return new ThreadlineError("INTERNAL", `the Agent Server at ${url} answered ${status}${detail ? `: ${detail}` : ""}`);
}

/** The server's own words from an error body ({detail} or {message}), else the body cut short. */
function serverDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; message?: unknown };
    const text = parsed.detail ?? parsed.message;
    if (typeof text === "string") return text;
    if (text !== undefined) return JSON.stringify(text).slice(0, 300);
  } catch {
    // not JSON
  }
  return body.slice(0, 300);
}

/** A request this side stopped (cancelled, or past its own time limit): says nothing about the server. */
function isGivenUp(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** An SDK failure as a contract error. */
export function remoteError(url: string, error: unknown): ThreadlineError {
  if (error instanceof ThreadlineError) return error;
  const status = (error as { status?: unknown })?.status;
  if (typeof status === "number") {
    const message = error instanceof Error ? error.message.replace(/^HTTP \d+: /, "") : "";
    return httpError(url, status, message);
  }
  if (error instanceof Error && error.name === "AbortError") return new ThreadlineError("CANCELLED", "the request to the Agent Server was cancelled");
  if (error instanceof Error && error.name === "TimeoutError") return new ThreadlineError("UNAVAILABLE", `the Agent Server at ${url} did not answer in time`);
  // No HTTP answer at all (refused, reset, DNS, TLS): the server could not be reached.
  return unreachable(url, error);
}
