// langgraph.json's `store` section as the engine reads it: TTLs and the index configured, and a
// section it cannot use reported beside the graphs while the store keeps working without it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../storage/database";
import { tempDir } from "../storage/test-helpers";
import { openProjectStore } from "./project-store";

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function project(store: unknown, files: Record<string, string> = {}) {
  const dir = tempDir("threadline-store-config-");
  dirs.push(dir);
  writeFileSync(dir.file("langgraph.json"), JSON.stringify({ graphs: {}, store }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(dir.file(name)), { recursive: true });
    writeFileSync(dir.file(name), text);
  }
  return { dir: dir.dir, db: openDatabase(dir.file("t.db")) };
}

describe("openProjectStore", () => {
  it("applies store.ttl and store.index from langgraph.json", async () => {
    const { dir, db } = project(
      { index: { embed: "./embed.ts:embed", dims: 2, fields: ["text"] }, ttl: { default_ttl: 30 } },
      { "embed.ts": "export const embed = async (texts: string[]) => texts.map((t) => [1, t.length]);" },
    );
    const opened = await openProjectStore(db, { projectDir: dir });
    expect(opened.problems).toEqual([]);
    expect(opened.capabilities).toEqual({ semanticSearch: true, indexedFields: ["text"], defaultTtlMinutes: 30 });
    await opened.store.put(["a"], "k", { text: "hello" });
    const row = db.prepare("SELECT ttl_minutes, expires_at IS NOT NULL AS expires FROM tl_store_items").get();
    expect(row).toEqual({ ttl_minutes: 30, expires: 1 });
    expect((await opened.store.search(["a"], { query: "hi" }))[0]?.score).toBeTypeOf("number");
    opened.store.stop();
    db.close();
  });

  it("reports an unusable section under langgraph.json and keeps a store without it", async () => {
    const bad = project({ index: { embed: "nowhere:model", dims: 4 } });
    const opened = await openProjectStore(bad.db, { projectDir: bad.dir });
    expect(opened.problems).toEqual([
      expect.objectContaining({ id: "langgraph.json", message: expect.stringMatching(/semantic search is off: .*neither a provider .* nor a file/) }),
    ]);
    expect(opened.capabilities.semanticSearch).toBe(false);
    await opened.store.put(["a"], "k", { v: 1 });
    expect(await opened.store.get(["a"], "k")).toMatchObject({ value: { v: 1 } });
    bad.db.close();

    const wrong = project({ index: { embed: "openai:text-embedding-3-small" }, ttl: { default_ttl: "soon" } });
    const second = await openProjectStore(wrong.db, { projectDir: wrong.dir });
    expect(second.problems[0]?.message).toMatch(/^"store" in langgraph.json: index.dims: .*; ttl.default_ttl: /);
    wrong.db.close();
  });

  it("names the package a provider string needs when the project lacks it", async () => {
    const { dir, db } = project({ index: { embed: "cohere:embed-english-v3.0", dims: 4 } });
    const opened = await openProjectStore(db, { projectDir: dir });
    expect(opened.problems[0]?.message).toMatch(/needs @langchain\/cohere in the project: npm install @langchain\/cohere/);
    db.close();
  });
});
