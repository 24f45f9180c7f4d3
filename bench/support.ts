// What the benches that drive a server share: the agent thread they measure on, garbage collection
// between samples, and timing.
import type { Client } from "@langchain/langgraph-sdk";

/**
 * Collects the bench process's own garbage (it runs with --expose-gc) before a timed step, so that a
 * collection of what the client made earlier does not land in one server's sample.
 */
export const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

/** `fn`'s value and how long it took, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** A question the example agent answers with one weather tool call per city, one call per turn. */
export function agentQuestion(loops: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const cities = Array.from({ length: loops }, (_, i) => `Town${letters[Math.floor(i / 26) % 26]}${letters[i % 26]}`);
  return cities.map((city) => `weather in ${city}`).join(", ") + ".";
}

/**
 * A new thread of `loops` agent/tool loops of the example ReAct agent, written by one run through
 * the SDK; with the run's final values and how long it took.
 */
export async function writeAgentThread(client: Client, loops: number): Promise<{ threadId: string; messages: number; ms: number }> {
  const thread = await client.threads.create();
  const [values, ms] = await timed(
    async () =>
      (await client.runs.wait(thread.thread_id, "react-agent", {
        input: { messages: [{ role: "user", content: agentQuestion(loops) }] },
        config: { recursion_limit: 4 * loops + 10 },
      })) as { messages?: unknown[] },
  );
  return { threadId: thread.thread_id, messages: values.messages?.length ?? 0, ms };
}
