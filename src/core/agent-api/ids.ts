// LangGraph's server gives each graph a default assistant whose id is a UUID
// v5 of the graph id; clients keep those ids, so Threadline derives the same.
import { createHash } from "node:crypto";

/** The namespace langgraph-api uses for graph assistants. */
const NAMESPACE_GRAPH = "6ba7b821-9dad-11d1-80b4-00c04fd430c8";

export function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function assistantIdOf(graphId: string): string {
  return uuid5(graphId, NAMESPACE_GRAPH);
}
