// A JSON array of history states as a response body, written as the engine hands the states over.
import type { ApiStateText } from "../../shared/agent-api/state";
import { joinedBytes } from "./history-cache";

/** A JSON array of state texts written to a response body as the states arrive. */
export class StateStream {
  readonly states: ApiStateText[] = [];
  readonly readable: ReadableStream<Uint8Array>;
  /** Resolves with the first states. */
  readonly started: Promise<void>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private markStarted!: () => void;
  /** The client went away (or the stream ended): later states have nowhere to go. */
  private closed = false;

  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => void (this.controller = controller),
      cancel: () => void (this.closed = true),
    });
  }

  push(states: readonly ApiStateText[]): void {
    if (states.length === 0) return;
    this.states.push(...states);
    this.markStarted();
    if (this.closed) return;
    this.controller.enqueue(joinedBytes(this.states.length === states.length ? "[" : ",", states.map((s) => s.json), ""));
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.enqueue(Buffer.from(this.states.length === 0 ? "[]" : "]"));
    this.controller.close();
  }

  /** After the first bytes the status is sent: the client sees the body end early. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.error(error);
  }
}
