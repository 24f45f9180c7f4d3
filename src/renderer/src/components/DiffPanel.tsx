// The diff tab: the selected checkpoint against its parent, or against the pinned one. Each side is named
// by its step and the node(s) that wrote it; the ids are on hover.
import { useEffect } from "react";
import type { CheckpointRef } from "../../../shared/types";
import { checkpointSelectors, useCheckpoint } from "../stores/checkpoint";
import { timelineSelectors, useTimeline } from "../stores/timeline";
import { DiffView } from "./DiffView";

function Side({ label, refOf, testId, note }: { label: string; refOf: CheckpointRef | null; testId: string; note?: string }) {
  const summary = useTimeline(timelineSelectors.summary(refOf && { checkpointId: refOf.checkpointId, checkpointNs: refOf.checkpointNs }));
  const text = !refOf
    ? "nothing (first checkpoint)"
    : summary
      ? `step ${summary.step} · ${summary.nodes.join(", ") || summary.source}`
      : `checkpoint ${refOf.checkpointId.slice(0, 8)}…`;
  return (
    <span className="diff-side">
      <span className="muted">{label}</span>{" "}
      <strong data-testid={testId} data-checkpoint-id={refOf?.checkpointId} title={refOf ? `${refOf.checkpointId}${refOf.checkpointNs ? ` in ${refOf.checkpointNs}` : ""}` : undefined}>
        {text}
      </strong>
      {note && <span className="muted"> {note}</span>}
    </span>
  );
}

export function DiffPanel() {
  const diff = useCheckpoint(checkpointSelectors.diff);
  const loading = useCheckpoint(checkpointSelectors.diffLoading);
  const error = useCheckpoint(checkpointSelectors.diffError);
  const pinned = useCheckpoint(checkpointSelectors.pinned);
  const pin = useCheckpoint((s) => s.pin);
  const snapshot = useCheckpoint(checkpointSelectors.snapshot);
  const ensureDiff = useCheckpoint((s) => s.ensureDiff);
  const moreDiff = useCheckpoint((s) => s.moreDiff);
  useEffect(() => {
    void ensureDiff();
  }, [ensureDiff, snapshot, pinned]);
  if (!snapshot?.checkpoint) return <div className="empty">Pick a checkpoint to see what it changed.</div>;
  return (
    <div className="diff-panel" data-testid="diff-panel" data-loading={loading || undefined}>
      <div className="diff-sides small">
        <Side label="from" refOf={diff?.from ?? null} testId="diff-from" note={pinned ? "(pinned)" : "(parent)"} />
        <span aria-hidden="true">→</span>
        <Side label="to" refOf={snapshot.checkpoint} testId="diff-to" />
        {pinned && (
          <button type="button" className="link" onClick={() => pin(null)} data-testid="diff-reset">
            compare with parent
          </button>
        )}
        {loading && <span className="spinner" aria-label="Computing the diff" />}
      </div>
      {!pinned && <p className="muted small">Tip: “Pin for diff” on one checkpoint, then select another, to compare any two.</p>}
      {error ? <div className="error-box">Diff: {error}</div> : diff ? <DiffView entries={diff.entries} total={diff.total} onMore={() => void moreDiff()} root={snapshot.slices ? undefined : snapshot.values} /> : null}
    </div>
  );
}
