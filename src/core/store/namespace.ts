// Namespaces as LangGraph defines them, and as this store keeps them in SQLite.
//
// The rules are Threadline's own copy of LangGraph 1.x's `validateNamespace`, applied whatever
// line the project uses: older lines check less (0.2 allows ":" in labels), and a namespace one
// line accepts must not become unreadable when the project moves to another.

import { ThreadlineError } from "../../shared/errors";

export type Namespace = readonly string[];

export interface NamespaceRules {
  /** `search([])` and `listNamespaces({prefix: []})` mean "everything"; a put never allows it. */
  allowEmpty?: boolean;
  /** Reads may name the reserved root `langgraph`; writes may not. */
  allowReservedRoot?: boolean;
}

export const RESERVED_ROOT = "langgraph";

function describe(namespace: Namespace): string {
  return JSON.stringify(namespace);
}

/** Throws INVALID_ARGUMENT saying which label is wrong and why. */
export function checkNamespace(namespace: unknown, rules: NamespaceRules = {}, what = "namespace"): asserts namespace is Namespace {
  if (!Array.isArray(namespace)) throw new ThreadlineError("INVALID_ARGUMENT", `${what} must be an array of strings, got ${typeof namespace}`);
  if (namespace.length === 0) {
    if (rules.allowEmpty) return;
    throw new ThreadlineError("INVALID_ARGUMENT", `${what} cannot be empty`);
  }
  for (const label of namespace as unknown[]) {
    const bad = (why: string) =>
      new ThreadlineError("INVALID_ARGUMENT", `${what} ${describe(namespace as string[])}: label ${JSON.stringify(label)} ${why}`);
    if (typeof label !== "string") throw bad(`is a ${typeof label}; labels must be strings`);
    if (label === "") throw bad("is empty; labels cannot be empty strings");
    if (label.includes(".")) throw bad("contains a period ('.'), which LangGraph forbids in namespace labels");
    if (label.includes(":")) throw bad("contains a colon (':'), which LangGraph forbids in namespace labels");
    if (label.includes("\0")) throw bad("contains a NUL byte");
  }
  if (namespace[0] === RESERVED_ROOT && !rules.allowReservedRoot) {
    throw new ThreadlineError("INVALID_ARGUMENT", `${what} ${describe(namespace as string[])}: the root label "${RESERVED_ROOT}" is reserved by LangGraph`);
  }
}

/**
 * The namespace as one text, labels joined by ".", the Agent Server's own wire form: labels never
 * contain ".", so the join is unambiguous and a prefix is a range of the sorted column.
 */
export function namespacePath(namespace: Namespace): string {
  return namespace.join(".");
}

export function namespaceFromPath(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

/** Bounds of every path under `prefix` (excluding the prefix itself): "a.b." up to "a.b/" ("/" follows "."). */
export function descendantRange(prefix: Namespace): [string, string] {
  const path = namespacePath(prefix);
  return [`${path}.`, `${path}/`];
}
