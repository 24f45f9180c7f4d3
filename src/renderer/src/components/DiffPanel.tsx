// The diff tab: the selected checkpoint against its parent, or against the pinned one.
import { useCheckpoint } from "../stores/checkpoint";
import { DiffView } from "./DiffView";

export function DiffPanel() {
  const diff = useCheckpoint((s) => s.diff);
  const loading = useCheckpoint((s) => s.diffLoading);
  const error = useCheckpoint((s) => s.diffError);
  const pinned = useCheckpoint((s) => s.pinned);
  const pin = useCheckpoint((s) => s.pin);
  const snapshot = useCheckpoint((s) => s.snapshot);
  if (!snapshot?.checkpoint) return <div className="empty">Pick a checkpoint to see what it changed.</div>;
  const against = diff?.from ? diff.from.checkpointId : null;
  return (
    <div className="diff-panel" data-testid="diff-panel">
      <div className="diff-sides small">
        <span>
          <span className="muted">from</span> <span className="mono" data-testid="diff-from">{against ?? "(nothing: first checkpoint)"}</span>
          {pinned ? <span className="chip">pinned</span> : <span className="muted"> (parent)</span>}
        </span>
        <span>
          <span className="muted">to</span> <span className="mono" data-testid="diff-to">{snapshot.checkpoint.checkpointId}</span>
        </span>
        {pinned && (
          <button type="button" className="link" onClick={() => pin(null)} data-testid="diff-reset">
            compare with parent
          </button>
        )}
        {loading && <span className="spinner" />}
      </div>
      {!pinned && <p className="muted small">Tip: “Pin for diff” on one checkpoint, then select another, to compare any two.</p>}
      {error ? <div className="error-box">Diff: {error}</div> : diff ? <DiffView entries={diff.entries} /> : null}
    </div>
  );
}
