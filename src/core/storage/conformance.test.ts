// LangGraph's own checkpointer conformance suite, run against SqliteCheckpointer. Each checkpointer
// gets a fresh in-memory database so the 700-odd tests stay fast and independent.
import { deltaChannelHistoryTests, validate } from "@langchain/langgraph-checkpoint-validation";
import { SqliteCheckpointer } from "./index";

const initializer = {
  checkpointerName: "SqliteCheckpointer",
  createCheckpointer: () => new SqliteCheckpointer(":memory:"),
  destroyCheckpointer: (checkpointer: SqliteCheckpointer) => checkpointer.close(),
};

validate(initializer);
deltaChannelHistoryTests(initializer);
