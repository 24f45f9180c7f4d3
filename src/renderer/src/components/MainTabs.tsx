// The main panel: the open thread's name and status, and three tabs (graph & run, checkpoint, diff)
// following the ARIA tabs pattern: arrow keys move between tabs, each tab names its panel.
import type { KeyboardEvent, ReactNode } from "react";
import { threadLabel, threadSelectors, useThreads } from "../stores/threads";
import { uiSelectors, useUi, type MainTab } from "../stores/ui";
import { CheckpointDetail } from "./CheckpointDetail";
import { DiffPanel } from "./DiffPanel";
import { ErrorBoundary } from "./ErrorBoundary";
import { RunScreen } from "./RunScreen";
import { StatusBadge } from "./StatusBadge";

const TABS: [MainTab, string][] = [
  ["run", "Graph & run"],
  ["checkpoint", "Checkpoint"],
  ["diff", "Diff"],
];

function ThreadHeader() {
  const thread = useThreads(threadSelectors.current);
  const selectedId = useThreads(threadSelectors.selectedId);
  if (!selectedId) return <span className="muted small">no thread open</span>;
  return (
    <span className="thread-header small" data-testid="open-thread" data-thread-id={selectedId}>
      <strong className="thread-header-title" title={selectedId}>
        {thread ? threadLabel(thread) : selectedId}
      </strong>
      {thread?.graphId && <span className="muted">{thread.graphId}</span>}
      {thread && <StatusBadge status={thread.status} />}
    </span>
  );
}

function Panel({ id, children }: { id: MainTab; children: ReactNode }) {
  return (
    <div className="tab-body" role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} data-testid={`panel-${id}`}>
      {children}
    </div>
  );
}

export function MainTabs() {
  const tab = useUi(uiSelectors.tab);
  const setTab = useUi((s) => s.setTab);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex(([id]) => id === tab);
    const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length]![0];
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <main className="main-panel" aria-label="Open thread">
      <div className="tabs">
        <div role="tablist" aria-label="Views of the open thread" className="tablist" onKeyDown={onKey}>
          {TABS.map(([id, label]) => (
            <button
              key={id}
              id={`tab-${id}`}
              type="button"
              role="tab"
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              className={tab === id ? "active" : ""}
              data-testid={`tab-${id}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
        <div className="spacer" />
        <ThreadHeader />
      </div>
      {tab === "run" && (
        <Panel id="run">
          <RunScreen />
        </Panel>
      )}
      {tab === "checkpoint" && (
        <Panel id="checkpoint">
          <ErrorBoundary where="checkpoint view">
            <CheckpointDetail />
          </ErrorBoundary>
        </Panel>
      )}
      {tab === "diff" && (
        <Panel id="diff">
          <ErrorBoundary where="diff view">
            <DiffPanel />
          </ErrorBoundary>
        </Panel>
      )}
    </main>
  );
}
