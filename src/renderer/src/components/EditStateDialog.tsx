// "Edit state & fork": edit the values as a chosen node; shows which keys changed, how each key's reducer
// will take the edit (append or replace), and a diff preview; saving makes a new branch, which may then run on.
import { useMemo, useState } from "react";
import type { JsonValue } from "../../../shared/encoding";
import type { StateSnapshot } from "../../../shared/types";
import { parseJson } from "../lib/json-input";
import { startRun, updateState } from "../lib/actions";
import { deepEqual, diffValues, isObject } from "../lib/values";
import { useShownGraph } from "../stores/shown-graph";
import { useSource } from "../stores/source";
import { Dialog } from "./Dialog";
import { DiffView } from "./DiffView";

/** `writers`: the node(s) that wrote the checkpoint being edited; "As node" starts at the first of them. */
export function EditStateDialog({ snapshot, writers, onClose }: { snapshot: StateSnapshot; writers: string[]; onClose: () => void }) {
  const detail = useShownGraph().detail;
  const original = isObject(snapshot.values) ? snapshot.values : {};
  const [text, setText] = useState(() => JSON.stringify(original, null, 2));
  const nodes = useMemo(
    () => (detail?.drawing.nodes ?? []).filter((n) => (n.kind ?? "node") === "node").map((n) => n.id),
    [detail],
  );
  const [asNode, setAsNode] = useState(() => writers.find((w) => nodes.includes(w)) ?? writers[0] ?? nodes[0] ?? "");
  const [throughReducer, setThroughReducer] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const reducers = detail?.reducers ?? {};
  // An Agent Server applies every update through the graph's reducers and does not say which keys have one.
  const onServer = useSource((s) => s.info?.kind === "remote");

  const parsed = useMemo(() => parseJson(text, "State"), [text]);
  const edited = parsed.ok && isObject(parsed.value) ? parsed.value : null;
  const changed = useMemo(
    () => (edited ? Object.keys(edited).filter((k) => !deepEqual(edited[k], original[k])) : []),
    [edited, original],
  );
  const removed = edited ? Object.keys(original).filter((k) => !(k in edited)) : [];
  const preview = useMemo(() => {
    if (!edited) return [];
    const before = Object.fromEntries(changed.map((k) => [k, original[k] as JsonValue]));
    const after = Object.fromEntries(changed.map((k) => [k, throughReducer[k] ? reduced(original[k], edited[k]!) : edited[k]!]));
    return diffValues(before, after);
  }, [edited, changed, original, throughReducer]);
  const ref = snapshot.checkpoint!;

  const save = async (thenRun: boolean) => {
    if (!edited || changed.length === 0) return;
    setBusy(true);
    const values = Object.fromEntries(changed.map((k) => [k, edited[k]!]));
    const id = await updateState({
      checkpointId: ref.checkpointId,
      checkpointNs: ref.checkpointNs,
      values,
      ...(asNode ? { asNode } : {}),
      throughReducer: changed.filter((k) => throughReducer[k]),
    });
    setBusy(false);
    if (!id) return;
    if (thenRun) await startRun({ checkpointId: id });
    onClose();
  };

  return (
    <Dialog title="Edit state & fork" onClose={onClose} wide testId="edit-state-dialog">
      <div className="edit-grid">
        <div className="edit-left">
          <label className="small" htmlFor="as-node">
            As node
          </label>{" "}
          <select id="as-node" data-testid="as-node" value={asNode} onChange={(e) => setAsNode(e.target.value)} aria-describedby="as-node-help">
              {nodes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
          </select>
          <p className="muted small" id="as-node-help">
            The update is written as if this node had returned it{writers.length ? ` (this checkpoint was written by ${writers.join(", ")})` : ""}; the graph continues from there on a new branch.
          </p>
          <textarea className="code-input tall" aria-label="State values (JSON)" data-testid="edit-values" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
          {!parsed.ok && (
            <div className="problems" role="alert">
              {parsed.error}
            </div>
          )}
          {parsed.ok && !edited && <div className="problems">State must be a JSON object of keys.</div>}
          {removed.length > 0 && <div className="warn-box small">Removing a key does nothing: {removed.join(", ")} keep their values.</div>}
        </div>
        <div className="edit-right">
          <strong className="small">Changed keys</strong>
          {changed.length === 0 ? (
            <div className="empty small">Nothing changed yet.</div>
          ) : (
            <table className="keys" data-testid="changed-keys">
              <tbody>
                {changed.map((k) => {
                  const kind = reducers[k] ?? "replace";
                  if (onServer) {
                    return (
                      <tr key={k} data-testid="changed-key" data-key={k} data-reducer="server">
                        <td className="mono">{k}</td>
                        <td className="small">the server applies it through this key&apos;s reducer, if it has one (a message with the same id is replaced)</td>
                      </tr>
                    );
                  }
                  return (
                    <tr key={k} data-testid="changed-key" data-key={k} data-reducer={kind}>
                      <td className="mono">{k}</td>
                      <td>
                        {kind === "reducer" ? (
                          <span className="small">
                            has a reducer:{" "}
                            <strong data-testid="reducer-mode">{throughReducer[k] ? "append" : "replace"}</strong>{" "}
                            <label className="muted">
                              <input type="checkbox" checked={!!throughReducer[k]} onChange={(e) => setThroughReducer({ ...throughReducer, [k]: e.target.checked })} data-testid="through-reducer" /> append
                              what I wrote through the reducer instead
                            </label>
                          </span>
                        ) : (
                          <span className="small">
                            no reducer: <strong data-testid="reducer-mode">replace</strong>
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <strong className="small">Preview</strong>
          <DiffView entries={preview} empty="Edit the values on the left." />
        </div>
      </div>
      <footer>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" data-testid="edit-save" disabled={busy || changed.length === 0} onClick={() => void save(false)}>
          Save as new branch
        </button>
        <button type="button" className="primary" data-testid="edit-save-run" disabled={busy || changed.length === 0} onClick={() => void save(true)}>
          Save &amp; continue
        </button>
      </footer>
    </Dialog>
  );
}

/**
 * What a reducer key will hold when the edit goes through the reducer, for the preview: a list gets the
 * items appended (items with an id replace the item of that id, as the messages reducer does); an object
 * is merged. The engine applies the graph's real reducer.
 */
function reduced(current: JsonValue | undefined, update: JsonValue): JsonValue {
  if (Array.isArray(current) && Array.isArray(update)) {
    const out = [...current];
    for (const item of update) {
      const id = isObject(item) && typeof item.id === "string" ? item.id : null;
      const at = id === null ? -1 : out.findIndex((x) => isObject(x) && x.id === id);
      if (at >= 0) out[at] = item;
      else out.push(item);
    }
    return out;
  }
  if (isObject(current) && isObject(update)) return { ...current, ...update };
  return update;
}
