// Creates or edits one store item: its namespace (new items), key and value as JSON. The engine
// checks LangGraph's rules (no empty labels, no ".", not under "langgraph") and says what is wrong.
import { useState } from "react";
import type { JsonValue } from "../../../shared/encoding";
import { Dialog } from "../components/Dialog";
import { parseJson } from "../lib/json-input";
import { useStoreView } from "../stores/store";

export interface EditTarget {
  namespace: string[];
  key: string;
  value: JsonValue;
  isNew: boolean;
}

export function StoreItemEditor({ target, onClose }: { target: EditTarget; onClose(): void }) {
  const put = useStoreView((s) => s.put);
  const [namespace, setNamespace] = useState(target.namespace.join("/"));
  const [key, setKey] = useState(target.key);
  const [text, setText] = useState(JSON.stringify(target.value, null, 2));
  const [saving, setSaving] = useState(false);
  const parsed = parseJson(text, "The value");
  const labels = namespace.split("/").map((l) => l.trim());
  const problem = !parsed.ok
    ? parsed.error
    : typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)
      ? "The value must be a JSON object of fields"
      : key.trim() === ""
        ? "The key is empty"
        : labels.some((l) => l === "")
          ? "The namespace needs labels separated by /, none empty"
          : null;

  async function save() {
    if (problem || !parsed.ok) return;
    setSaving(true);
    const ok = await put(labels, key.trim(), parsed.value);
    setSaving(false);
    if (ok) onClose();
  }

  return (
    <Dialog title={target.isNew ? "New store item" : "Edit store item"} onClose={onClose} testId="store-editor">
      <div className="dialog-body sv-editor">
        <label className="small">
          Namespace (labels separated by /)
          <input className="mono" data-testid="store-editor-namespace" value={namespace} disabled={!target.isNew} onChange={(e) => setNamespace(e.target.value)} />
        </label>
        <label className="small">
          Key
          <input className="mono" data-testid="store-editor-key" value={key} disabled={!target.isNew} onChange={(e) => setKey(e.target.value)} />
        </label>
        <label className="small">
          Value (JSON)
          <textarea className="mono" rows={12} data-testid="store-editor-value" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </label>
        {problem && (
          <p className="small error-text" data-testid="store-editor-error">
            {problem}
          </p>
        )}
      </div>
      <footer>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" data-testid="store-editor-save" disabled={problem !== null || saving} onClick={() => void save()}>
          Save
        </button>
      </footer>
    </Dialog>
  );
}
