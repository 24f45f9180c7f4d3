import { describe, expect, it } from "vitest";
import { namespaceTree } from "./namespace-tree";

describe("namespaceTree", () => {
  it("nests namespaces by label, sorted, marking which nodes are namespaces themselves", () => {
    const tree = namespaceTree([["users", "u2", "memories"], ["users", "u1"], ["docs"], ["users", "u1", "prefs"]]);
    expect(tree.map((n) => n.label)).toEqual(["docs", "users"]);
    const users = tree[1]!;
    expect(users.isNamespace).toBe(false);
    expect(users.children.map((n) => [n.label, n.isNamespace])).toEqual([["u1", true], ["u2", false]]);
    expect(users.children[0]!.children[0]!.path).toEqual(["users", "u1", "prefs"]);
  });
});
