// Namespaces (lists of labels) as a tree of labels, for the Store view's left pane.
export interface NamespaceNode {
  label: string;
  path: string[];
  /** A namespace of the store itself (items may sit here), not only a prefix of deeper ones. */
  isNamespace: boolean;
  children: NamespaceNode[];
}

export function namespaceTree(namespaces: readonly string[][]): NamespaceNode[] {
  const root: NamespaceNode = { label: "", path: [], isNamespace: false, children: [] };
  for (const namespace of namespaces) {
    let node = root;
    namespace.forEach((label, depth) => {
      let child = node.children.find((c) => c.label === label);
      if (!child) {
        child = { label, path: namespace.slice(0, depth + 1), isNamespace: false, children: [] };
        node.children.push(child);
      }
      node = child;
    });
    node.isNamespace = true;
  }
  const sort = (nodes: NamespaceNode[]) => {
    nodes.sort((a, b) => a.label.localeCompare(b.label));
    nodes.forEach((n) => sort(n.children));
  };
  sort(root.children);
  return root.children;
}
