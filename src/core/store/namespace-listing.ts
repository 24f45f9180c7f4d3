// listNamespaces as LangGraph's InMemoryStore answers it: every namespace matching all conditions
// (prefix and suffix, "*" matching any label), cut to maxDepth and deduplicated, sorted by the
// labels joined with ":" (its own key order), then paged.
import type Database from "better-sqlite3";
import { allNamespaces } from "./items-table";
import type { Namespace } from "./namespace";
import type { ListNamespacesOp, MatchCondition } from "./types";

function matchesCondition(condition: MatchCondition, namespace: Namespace): boolean {
  const { path } = condition;
  if (path.length > namespace.length) return false;
  const start = condition.matchType === "prefix" ? 0 : namespace.length - path.length;
  return path.every((label, i) => label === "*" || namespace[start + i] === label);
}

export function listNamespaces(db: Database.Database, op: ListNamespacesOp): string[][] {
  const conditions = op.matchConditions ?? [];
  // The labels of a prefix before any wildcard narrow the rows read; the conditions then decide exactly.
  const prefix = conditions.find((c) => c.matchType === "prefix")?.path ?? [];
  const wildcard = prefix.indexOf("*");
  const fixed = wildcard === -1 ? prefix : prefix.slice(0, wildcard);
  let namespaces = allNamespaces(db, fixed.length > 0 ? fixed.join(".") : undefined).filter((ns) =>
    conditions.every((c) => matchesCondition(c, ns)),
  );
  if (op.maxDepth !== undefined) {
    const depth = op.maxDepth;
    namespaces = [...new Set(namespaces.map((ns) => ns.slice(0, depth).join(":")))].map((joined) => joined.split(":"));
  }
  namespaces.sort((a, b) => a.join(":").localeCompare(b.join(":")));
  const offset = op.offset ?? 0;
  return namespaces.slice(offset, offset + (op.limit ?? namespaces.length));
}
