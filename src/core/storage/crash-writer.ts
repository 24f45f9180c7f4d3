// Child process of crash.test.ts: writes checkpoints as fast as it can and prints each checkpoint id
// (with its step) on stdout only after its put has returned, until it is killed.
import { writeSync } from "node:fs";
import { SqliteCheckpointer } from "./checkpointer";
import { type Parent, putStep, threadRoot } from "./test-helpers";

const file = process.argv[2];
if (!file) throw new Error("usage: crash-writer.ts FILE");

const saver = new SqliteCheckpointer(file);
let parent: Parent = threadRoot("crash");
let messages: { id: number; text: string }[] = [];
for (let step = 0; ; step++) {
  messages = messages.concat([{ id: step, text: `message ${step} `.repeat(100) }]);
  const put = await putStep(saver, parent, { changes: { messages, count: step }, nodes: ["agent"], step });
  await saver.putWrites(put.config, [["messages", [{ id: step + 1 }]]], `task-${step}`, `~${step}`);
  // Synchronous: the line must not sit in a buffer when the kill comes.
  writeSync(1, `${put.checkpoint.id} ${step}\n`);
  parent = put;
}
