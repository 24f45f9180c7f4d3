// Where Threadline's store answers differently from LangGraph's InMemoryStore (and so from
// `langgraph dev`), word for word as the README's Store section lists them; the equivalence test
// allows exactly these.
export const STORE_KNOWN_DIFFERENCES = [
  "After an item is deleted, or put again with fewer indexed texts or with `index: false`, its old embeddings no longer count in semantic search; LangGraph's InMemoryStore keeps scoring them.",
  "Semantic search scores are computed in 32-bit floats (sqlite-vec), LangGraph's InMemoryStore's in 64-bit: scores agree to about 7 digits, and items whose scores differ by less than that may rank in another order.",
] as const;
