// The selected checkpoint (or the thread's head): state, chat, metadata, next nodes, tasks with their errors
// and interrupts, pending writes; and the time-travel actions.
import { useState } from "react";
import type { JsonValue } from "../../../shared/encoding";
import type { StateSnapshot } from "../../../shared/types";
import { writersOf } from "../lib/applied-as";
import { forkThread, startRun } from "../lib/actions";
import { clockTime } from "../lib/time";
import { isObject } from "../lib/values";
import { checkpointSelectors, useCheckpoint, wholeState } from "../stores/checkpoint";
import { runSelectors, useRun } from "../stores/run";
import { selectReadOnly, useSources } from "../stores/sources";
import { timelineSelectors, useTimeline } from "../stores/timeline";
import { useUi } from "../stores/ui";
import { ChatView, hasMessages } from "./ChatView";
import { EditStateDialog } from "./EditStateDialog";
import { ListSliceNotice } from "./ListSliceNotice";
import { SubTabs } from "./SubTabs";
import { JsonTree } from "./JsonTree";

type Section = "state" | "chat" | "meta" | "tasks" | "writes";

const NONE: string[] = [];

/** Why each time-travel action is not offered here (null when it is), and one line saying so on the page. */
function reasons(ns: string, live: boolean) {
  if (ns) {
    const graph = ns.split(":")[0];
    const why = `This checkpoint belongs to the subgraph ${graph}: LangGraph replays, edits and forks a thread from the parent graph's checkpoints. Use the step this subgraph ran in (the row it is nested under).`;
    return { replay: why, edit: why, fork: why, note: why };
  }
  const running = live ? "A run is in progress on this thread: wait for it to end, or cancel it, to replay or edit." : null;
  return { replay: running, edit: running, fork: null, note: running };
}

/** What each action's button says it does: on a store opened in place, it copies the thread first. */
function titles(readOnly: boolean) {
  const first = readOnly ? "Copies this thread into Threadline's own store, then: " : "";
  return {
    replay: `${first}Run again from this checkpoint, on a new branch`,
    edit: `${first}Edit values as a node; this makes a new branch`,
    fork: `${first}A new thread whose history is this checkpoint's ancestry`,
  };
}

export function CheckpointDetail() {
  const snapshot = useCheckpoint(checkpointSelectors.snapshot);
  const loading = useCheckpoint(checkpointSelectors.loading);
  const error = useCheckpoint(checkpointSelectors.error);
  const pinned = useCheckpoint(checkpointSelectors.pinned);
  const pin = useCheckpoint((s) => s.pin);
  const threadId = useCheckpoint(checkpointSelectors.threadId);
  const live = useRun(runSelectors.live);
  const readOnly = useSources(selectReadOnly);
  const runError = useRun(runSelectors.error);
  const selectedInTimeline = useTimeline(timelineSelectors.selected);
  const ref0 = snapshot?.checkpoint ?? null;
  // The timeline's summary names the node(s) even where the snapshot's metadata does not.
  const summary = useTimeline(timelineSelectors.summary(ref0 && { checkpointId: ref0.checkpointId, checkpointNs: ref0.checkpointNs }));
  const rowNodes = summary ? writersOf(summary) : NONE;
  const [section, setSection] = useState<Section>("state");
  // The dialog edits the whole state: a snapshot read with cut lists is read again whole first.
  const [editing, setEditing] = useState<StateSnapshot | null>(null);

  if (!threadId) return <div className="empty">Pick a thread, then a checkpoint in its timeline.</div>;
  if (error) return <div className="error-box">Could not read this checkpoint: {error}</div>;
  if (!snapshot) {
    return (
      <div className="empty">
        <span className="spinner" /> Loading state…
      </div>
    );
  }
  const ref = snapshot.checkpoint;
  if (!ref) return <div className="empty" data-testid="checkpoint-empty">This thread has no checkpoint yet: run the graph on it.</div>;
  const chat = hasMessages(snapshot.values);
  const shown: Section = section === "chat" && !chat ? "state" : section;
  const meta = snapshot.metadata;
  const isPinned = pinned?.checkpointId === ref.checkpointId;
  const errors = snapshot.tasks.filter((t) => t.error).length;
  const why = reasons(ref.checkpointNs, live);
  const title = titles(readOnly);
  const writers = meta?.nodes.length ? meta.nodes : rowNodes;
  const interrupts = snapshot.tasks.reduce((n, t) => n + t.interrupts.length, 0);

  return (
    <div className="detail" data-testid="checkpoint-detail" data-checkpoint-id={ref.checkpointId} data-loading={loading || undefined}>
      <div className="detail-head">
        <div className="detail-title">
          <span className="mono small" title={ref.checkpointId}>
            {ref.checkpointId}
          </span>
          {!selectedInTimeline && <span className="tl-head">head</span>}
          {ref.checkpointNs && <span className="muted small mono">ns {ref.checkpointNs}</span>}
          {meta && (
            <span className="muted small detail-meta">
              <span>step {meta.step}</span>
              <span className={`src src-${meta.source}`}>{meta.source}</span>
              {writers.length > 0 && <span>by {writers.join(", ")}</span>}
              {summary?.changes && <span data-testid="detail-changes">{summary.changes}</span>}
              {snapshot.createdAt && <span>{clockTime(snapshot.createdAt)}</span>}
            </span>
          )}
        </div>
        <div className="detail-actions">
          <button type="button" data-testid="replay" disabled={why.replay !== null} aria-describedby={why.replay ? "why-not" : undefined} title={why.replay ?? title.replay} onClick={() => void startRun({ checkpointId: ref.checkpointId })}>
            Replay from here
          </button>
          <button type="button" data-testid="edit-state" disabled={why.edit !== null} aria-describedby={why.edit ? "why-not" : undefined} onClick={() => void wholeState(snapshot).then(setEditing)} title={why.edit ?? title.edit}>
            Edit state &amp; fork
          </button>
          <button type="button" data-testid="fork-thread" disabled={why.fork !== null} aria-describedby={why.fork ? "why-not" : undefined} onClick={() => void forkThread(ref.checkpointId, ref.checkpointNs)} title={why.fork ?? title.fork}>
            Fork into new thread
          </button>
          <button
            type="button"
            data-testid="pin-diff"
            className={isPinned ? "active" : ""}
            onClick={() => {
              pin(isPinned ? null : { checkpointId: ref.checkpointId, checkpointNs: ref.checkpointNs });
              if (!isPinned) useUi.getState().notify("info", "Pinned: pick another checkpoint to compare with it in Diff.");
            }}
            title="Compare other checkpoints with this one"
          >
            {isPinned ? "Unpin" : "Pin for diff"}
          </button>
        </div>
      </div>
      {why.note && (
        <div className="info-box small why-not" id="why-not" data-testid="actions-why-not">
          {why.note}
        </div>
      )}
      <div className="next-line small">
        <span className="muted">next:</span>{" "}
        <span data-testid="next-nodes">{snapshot.next.length ? snapshot.next.join(", ") : "— (done)"}</span>
      </div>
      <SubTabs
        prefix="detail"
        label="Parts of this checkpoint"
        selected={shown}
        onSelect={setSection}
        tabs={
          [
            ["state", "State"],
            ...(chat ? [["chat", "Chat"]] : []),
            ["meta", "Metadata"],
            ["tasks", `Tasks (${snapshot.tasks.length}${errors ? `, ${errors} failed` : ""}${interrupts ? `, ${interrupts} interrupt${interrupts > 1 ? "s" : ""}` : ""})`],
            ["writes", `Pending writes (${snapshot.pendingWrites.length})`],
          ] as [Section, string][]
        }
      />
      <div className="detail-body" role="tabpanel" id="detail-panel" aria-labelledby={`detail-tab-${shown}`}>
        {snapshot.slices && (shown === "state" || shown === "chat") && <ListSliceNotice slices={snapshot.slices} />}
        {shown === "state" && <JsonTree value={snapshot.values} openDepth={2} testId="state-tree" slices={snapshot.slices} />}
        {shown === "chat" && isObject(snapshot.values) && Array.isArray(snapshot.values.messages) && <ChatView messages={snapshot.values.messages} />}
        {shown === "meta" && (
          <JsonTree
            value={{ ...(meta ? { source: meta.source, step: meta.step, nodes: meta.nodes, ...meta.extra } : {}), checkpoint: { ...ref }, parent: snapshot.parent ? { ...snapshot.parent } : null, createdAt: snapshot.createdAt } as JsonValue}
            openDepth={1}
            testId="metadata-tree"
          />
        )}
        {shown === "tasks" &&
          (snapshot.tasks.length === 0 ? (
            <div className="empty small">No tasks: nothing runs after this checkpoint.</div>
          ) : (
            <ul className="tasks">
              {snapshot.tasks.map((t) => (
                <li key={t.id} className={t.error ? "task-error" : ""} data-testid="task">
                  <div>
                    <strong>{t.name}</strong> <span className="muted small mono">{t.id}</span>
                    {t.subgraph && <span className="muted small"> · subgraph state at {t.subgraph.checkpointNs}</span>}
                  </div>
                  {t.error && (
                    <div className="user-error" data-testid="task-error">
                      <div>
                        {t.error.className}: {t.error.message}
                      </div>
                      {/* A checkpoint keeps only the message; the run that failed there kept the stack. */}
                      {(t.error.stack ?? (runError?.node === t.name && runError.message === t.error.message ? runError.stack : null)) && (
                        <pre>{t.error.stack ?? runError?.stack}</pre>
                      )}
                    </div>
                  )}
                  {t.interrupts.map((i, n) => (
                    <div key={n} className="task-interrupt">
                      <span className="muted small">interrupt</span> <JsonTree value={i.value} openDepth={1} />
                    </div>
                  ))}
                  {t.result !== null && (
                    <div>
                      <span className="muted small">result</span> <JsonTree value={t.result} openDepth={0} />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          ))}
        {shown === "writes" &&
          (snapshot.pendingWrites.length === 0 ? (
            <div className="empty small">No pending writes.</div>
          ) : (
            <ul className="writes">
              {snapshot.pendingWrites.map((w, i) => (
                <li key={i}>
                  <span className="mono small">{w.channel}</span> <span className="muted small">from task {w.taskId.slice(0, 8)}</span>
                  <JsonTree value={w.value} openDepth={0} />
                </li>
              ))}
            </ul>
          ))}
      </div>
      {editing && <EditStateDialog snapshot={editing} writers={writers} onClose={() => setEditing(null)} />}
    </div>
  );
}
