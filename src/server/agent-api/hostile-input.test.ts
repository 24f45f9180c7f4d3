// Requests the adversarial pass sent to the Agent Server routes: deeply nested bodies (400, and
// memory as it was), a body of `{` on /runs/batch (4xx), and a values search for `__proto__`.
import { heapAfterGc, MB } from "../test-memory";
import { openServedEngine, type ServedEngine } from "../../../test/support/served-engine";

let served: ServedEngine;
beforeAll(async () => {
  served = await openServedEngine();
});
afterAll(async () => {
  await served.close();
});

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

describe("hostile input on the Agent Server routes", () => {
  it("answers 300 bodies nested 100,000 deep with 400, leaving memory as it was", async () => {
    const body = `{"metadata":{"v":${deep(100_000)}}}`;
    const first = await served.request("POST", "/threads", body);
    expect(first.status).toBe(400);
    expect(((await first.json()) as { message: string }).message).toMatch(/nested deeper than 100 levels/);
    const before = heapAfterGc();
    for (let i = 0; i < 300; i++) {
      const path = ["/threads", "/threads/search", "/runs/batch", "/assistants/search"][i % 4]!;
      expect((await served.request("POST", path, body)).status).toBe(400);
    }
    expect(heapAfterGc() - before).toBeLessThan(20 * MB);
    expect(((await (await served.request("POST", "/threads/search", "{}")).json()) as unknown[]).length).toBe(0);
  });

  it("answers a body of `{` on /runs/batch, and other malformed JSON, with a 4xx", async () => {
    for (const [path, body] of [["/runs/batch", "{"], ["/threads", "{"], ["/threads/search", "[1,"], ["/runs/batch", "[{"]] as const) {
      const response = await served.request("POST", path, body);
      expect(response.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${path} ${body}`).toBeLessThan(500);
    }
  });

  it("matches no thread on a values search for `__proto__` (nor inherited names)", async () => {
    const thread = (await (await served.request("POST", "/threads", `{"metadata":{"graph_id":"react-agent"}}`)).json()) as { thread_id: string };
    const updated = await served.request("POST", `/threads/${thread.thread_id}/state`, JSON.stringify({ values: { messages: [] } }));
    expect(updated.status, await updated.clone().text()).toBeLessThan(300);
    const search = async (values: string) =>
      (await (await served.request("POST", "/threads/search", `{"values":${values}}`)).json()) as { thread_id: string }[];
    expect((await search(`{}`)).map((t) => t.thread_id)).toEqual([thread.thread_id]);
    expect(await search(`{"__proto__":{}}`)).toEqual([]);
    expect(await search(`{"constructor":{}}`)).toEqual([]);
    expect(await search(`{"toString":{}}`)).toEqual([]);
  });
});
