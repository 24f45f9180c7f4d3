// The Store view: LangGraph's store (long-term memory shared by every thread) — namespaces as a tree,
// the items under the selected one with key, value, created and updated times; search by filter and,
// where langgraph.json indexes the store, by meaning; edit and delete with confirmation.
import { useState } from "react";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { JsonTree } from "../components/JsonTree";
import { relativeTime } from "../lib/time";
import { storeViewSelectors as sel, useStoreView } from "../stores/store";
import type { StoreItemInfo } from "../../../shared/store";
import { namespaceTree, type NamespaceNode } from "./namespace-tree";
import { StoreItemEditor, type EditTarget } from "./StoreItemEditor";
import { StoreSearchBar } from "./StoreSearchBar";
import "./store-view.css";

function TreeNode({ node, selected, onSelect }: { node: NamespaceNode; selected: string[]; onSelect(path: string[]): void }) {
  const isSelected = node.path.join("\u0000") === selected.join("\u0000");
  return (
    <li>
      <button
        type="button"
        className={`sv-ns ${isSelected ? "active" : ""} ${node.isNamespace ? "" : "sv-ns-prefix"}`}
        data-testid="store-namespace"
        data-path={node.path.join("/")}
        onClick={() => onSelect(node.path)}
      >
        {node.label}
      </button>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <TreeNode key={child.label} node={child} selected={selected} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </li>
  );
}

function ItemRow({ item, onEdit, onDelete }: { item: StoreItemInfo; onEdit(): void; onDelete(): void }) {
  return (
    <li className="sv-item" data-testid="store-item" data-key={item.key} data-namespace={item.namespace.join("/")}>
      <header>
        <span className="mono sv-item-ns">{item.namespace.join(" / ")}</span>
        <strong className="mono" data-testid="store-item-key">
          {item.key}
        </strong>
        {item.score !== undefined && (
          <span className="badge" title="Similarity to the query (cosine)" data-testid="store-item-score">
            {item.score.toFixed(3)}
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="link small" onClick={onEdit} data-testid="store-item-edit">
          edit
        </button>
        <button type="button" className="link small danger" onClick={onDelete} data-testid="store-item-delete">
          delete
        </button>
      </header>
      <JsonTree value={item.value} openDepth={1} testId="store-item-value" />
      <footer className="small muted">
        created <time dateTime={item.createdAt} title={item.createdAt}>{relativeTime(item.createdAt)}</time> · updated{" "}
        <time dateTime={item.updatedAt} title={item.updatedAt}>{relativeTime(item.updatedAt)}</time>
      </footer>
    </li>
  );
}

export function StoreView({ onClose }: { onClose(): void }) {
  const namespaces = useStoreView(sel.namespaces);
  const selected = useStoreView(sel.selected);
  const items = useStoreView(sel.items);
  const more = useStoreView(sel.more);
  const loading = useStoreView(sel.loading);
  const error = useStoreView(sel.error);
  const capabilities = useStoreView(sel.capabilities);
  const select = useStoreView((s) => s.select);
  const loadMore = useStoreView((s) => s.loadMore);
  const remove = useStoreView((s) => s.remove);
  const [editing, setEditing] = useState<EditTarget | null>(null);
  const [deleting, setDeleting] = useState<StoreItemInfo | null>(null);
  const tree = namespaceTree(namespaces);

  return (
    <Dialog title="Store" onClose={onClose} wide testId="store-view">
      <div className="sv-layout" data-loading={loading ? "true" : "false"}>
        <nav className="sv-tree" aria-label="Namespaces">
          <button type="button" className={`sv-ns ${selected.length === 0 ? "active" : ""}`} data-testid="store-namespace-all" onClick={() => void select([])}>
            all namespaces
          </button>
          {tree.length === 0 ? <p className="muted small">The store is empty.</p> : <ul>{tree.map((node) => <TreeNode key={node.label} node={node} selected={selected} onSelect={(p) => void select(p)} />)}</ul>}
        </nav>
        <section className="sv-items">
          <StoreSearchBar />
          <div className="sv-toolbar">
            <span className="small muted" data-testid="store-count">
              {items.length}
              {more ? "+" : ""} item{items.length === 1 ? "" : "s"} {selected.length ? `under ${selected.join(" / ")}` : "in all namespaces"}
            </span>
            <span className="spacer" />
            <button type="button" className="small" data-testid="store-new" onClick={() => setEditing({ namespace: selected, key: "", value: {}, isNew: true })}>
              New item
            </button>
          </div>
          {error && (
            <p className="error-box small" role="alert" data-testid="store-error">
              {error}
            </p>
          )}
          {!capabilities?.semanticSearch && <p className="muted small">Search by meaning needs `store.index` in langgraph.json.</p>}
          <ul className="sv-list">
            {items.map((item) => (
              <ItemRow
                key={`${item.namespace.join("\u0000")}\u0000${item.key}`}
                item={item}
                onEdit={() => setEditing({ namespace: item.namespace, key: item.key, value: item.value, isNew: false })}
                onDelete={() => setDeleting(item)}
              />
            ))}
          </ul>
          {more && (
            <button type="button" className="small" onClick={() => void loadMore()}>
              more
            </button>
          )}
        </section>
      </div>
      {editing && <StoreItemEditor target={editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete store item"
          message={
            <>
              Delete <span className="mono">{deleting.key}</span> from <span className="mono">{deleting.namespace.join(" / ")}</span>? Every thread that reads it
              loses it.
            </>
          }
          confirm="Delete"
          onConfirm={() => void remove(deleting.namespace, deleting.key)}
          onClose={() => setDeleting(null)}
        />
      )}
    </Dialog>
  );
}
