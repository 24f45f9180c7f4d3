// The one engine client of this page, set once at boot, so that stores can call it without a React context.
import type { UiClient } from "../../../shared/contract";
import { ThreadlineError } from "../../../shared/errors";
import type { Transport } from "./transport";

let current: { client: UiClient; transport: Transport } | null = null;

export function setEngine(client: UiClient, transport: Transport): void {
  current = { client, transport };
}

export function engine(): UiClient {
  if (!current) throw new ThreadlineError("UNAVAILABLE", "not connected to the engine yet");
  return current.client;
}

export function transport(): Transport | null {
  return current?.transport ?? null;
}

/**
 * A message fit for the UI from anything a call may throw: the engine's sentence, without its error code
 * or the call name it starts with ("state.update: …"), which mean nothing to the person reading it.
 */
export function errorMessage(error: unknown): string {
  const message = ThreadlineError.from(error).message.replace(/^[a-z]+\.[A-Za-z]+: /, "");
  return message.charAt(0).toUpperCase() + message.slice(1);
}
