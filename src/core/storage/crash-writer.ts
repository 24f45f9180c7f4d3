// Child process of crash.test.ts: writes checkpoints as fast as it can and prints each checkpoint id
// (with its step) on stdout only after its put has returned, until it is killed. In "batched" mode
// it does not wait for a task's writes before the next put, as LangGraph does not, and prints
// "w STEP" once they are acknowledged: puts then resolve with their rows only in the step journal
// until a batch of them is written (step-batch.ts), so the kill leaves a journal to replay.
import { writeSync } from "node:fs";
import { SqliteCheckpointer } from "./checkpointer";
import { type Parent, putStep, threadRoot } from "./test-helpers";

const [file, mode = "awaiting"] = process.argv.slice(2);
if (!file) throw new Error("usage: crash-writer.ts FILE [awaiting|batched]");

const saver = new SqliteCheckpointer(file);
let parent: Parent = threadRoot("crash");
let messages: { id: number; text: string }[] = [];
for (let step = 0; ; step++) {
  messages = messages.concat([{ id: step, text: `message ${step} `.repeat(100) }]);
  const put = await putStep(saver, parent, { changes: { messages, count: step }, nodes: ["agent"], step });
  const writes = saver.putWrites(put.config, [["messages", [{ id: step + 1 }]]], `task-${step}`, `~${step}`);
  // Synchronous: a line must not sit in a buffer when the kill comes.
  if (mode === "batched") {
    void writes.then(() => writeSync(1, `w ${step}\n`));
  } else {
    await writes;
  }
  writeSync(1, `${put.checkpoint.id} ${step}\n`);
  parent = put;
}
