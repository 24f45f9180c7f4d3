// The inspector's page: threads on the left, the open thread's timeline, and its graph, run, state and diff.
import { useEffect, useState } from "react";
import { connect } from "./api/transport";
import { setEngine } from "./api/engine";
import { CheckpointDetail } from "./components/CheckpointDetail";
import { DiffPanel } from "./components/DiffPanel";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { EventLog } from "./components/EventLog";
import { GraphView } from "./components/GraphView";
import { Icon } from "./components/Icon";
import { InterruptPanel } from "./components/InterruptPanel";
import { RunComposer } from "./components/RunComposer";
import { StatusBadge, ThreadList } from "./components/ThreadList";
import { Timeline } from "./components/Timeline";
import { StoreButton } from "./store-view/StoreButton";
import { startController } from "./controller";
import { useGraphs } from "./stores/graphs";
import { selectCurrentThread, useThreads } from "./stores/threads";
import { useUi, type MainTab } from "./stores/ui";

type Boot = { state: "connecting" } | { state: "ready" } | { state: "failed"; message: string };

function GraphPicker() {
  const graphs = useGraphs((s) => s.graphs);
  const failures = useGraphs((s) => s.failures);
  const missingEnv = useGraphs((s) => s.missingEnv);
  const selectedId = useGraphs((s) => s.selectedId);
  const select = useGraphs((s) => s.select);
  return (
    <div className="graph-picker">
      <label className="small muted" htmlFor="graph-picker">
        Graph
      </label>
      <select id="graph-picker" data-testid="graph-picker" value={selectedId ?? ""} onChange={(e) => void select(e.target.value)} disabled={!graphs.length}>
        {!graphs.length && <option value="">no graphs</option>}
        {graphs.map((g) => (
          <option key={g.id} value={g.id} title={g.description}>
            {g.title || g.id}
          </option>
        ))}
      </select>
      {failures.length > 0 && (
        <span className="badge badge-error" title={failures.map((f) => `${f.id} (${f.file}): ${f.message}`).join("\n")} data-testid="graph-failures">
          {failures.length} failed to load
        </span>
      )}
      {missingEnv && (
        <span className="badge badge-warn" title={missingEnv.message} data-testid="missing-env">
          missing env file
        </span>
      )}
    </div>
  );
}

function ThemeToggle() {
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  return (
    <button type="button" className="icon" data-testid="theme-toggle" onClick={() => setTheme(theme === "dark" ? "light" : "dark")} title={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
      <Icon name={theme === "dark" ? "sun" : "moon"} size={17} />
    </button>
  );
}

function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid={`notice-${n.kind}`} role={n.kind === "error" ? "alert" : "status"}>
          <span>{n.text}</span>
          <button type="button" className="icon" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function ThreadHeader() {
  const thread = useThreads(selectCurrentThread);
  const selectedId = useThreads((s) => s.selectedId);
  if (!selectedId) return <span className="muted small">no thread open</span>;
  return (
    <span className="thread-header small" data-testid="open-thread" data-thread-id={selectedId}>
      <span className="mono">{selectedId}</span>
      {thread && <StatusBadge status={thread.status} />}
    </span>
  );
}

function MainTabs() {
  const tab = useUi((s) => s.tab);
  const setTab = useUi((s) => s.setTab);
  const tabs: [MainTab, string][] = [
    ["run", "Graph & run"],
    ["checkpoint", "Checkpoint"],
    ["diff", "Diff"],
  ];
  return (
    <div className="main-panel">
      <nav className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? "active" : ""} data-testid={`tab-${id}`} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
        <div className="spacer" />
        <ThreadHeader />
      </nav>
      <div className="tab-body">
        {tab === "run" && (
          <div className="run-layout">
            <ErrorBoundary where="graph view">
              <GraphView />
            </ErrorBoundary>
            <div className="run-side">
              <ErrorBoundary where="interrupt panel">
                <InterruptPanel />
              </ErrorBoundary>
              <ErrorBoundary where="run composer">
                <RunComposer />
              </ErrorBoundary>
              <ErrorBoundary where="event log">
                <EventLog />
              </ErrorBoundary>
            </div>
          </div>
        )}
        {tab === "checkpoint" && (
          <ErrorBoundary where="checkpoint view">
            <CheckpointDetail />
          </ErrorBoundary>
        )}
        {tab === "diff" && (
          <ErrorBoundary where="diff view">
            <DiffPanel />
          </ErrorBoundary>
        )}
      </div>
    </div>
  );
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "connecting" });
  const theme = useUi((s) => s.theme);
  const threadsLoaded = useThreads((s) => s.loaded);
  const graphsLoaded = useGraphs((s) => s.loaded);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const connection = connect();
    if (!connection.ok) {
      setBoot({ state: "failed", message: connection.message });
      return;
    }
    setEngine(connection.client, connection.transport);
    const stop = startController();
    void useGraphs.getState().load();
    void useThreads.getState().load();
    setBoot({ state: "ready" });
    return stop;
  }, []);

  const ready = boot.state === "ready" && threadsLoaded && graphsLoaded;
  return (
    <div className="app" data-app-state={boot.state === "failed" ? "error" : ready ? "ready" : "loading"}>
      <header className="topbar">
        <span className="logo">
          <span className="logo-mark">
            <Icon name="logo" size={18} />
          </span>{" "}
          Threadline
        </span>
        <GraphPicker />
        <StoreButton />
        <div className="spacer" />
        <ThemeToggle />
      </header>
      {boot.state === "failed" ? (
        <div className="error-box crash" role="alert" data-testid="connect-error">
          <strong>Cannot reach the engine.</strong>
          <p>{boot.message}</p>
        </div>
      ) : (
        <div className="columns">
          <ErrorBoundary where="thread list">
            <ThreadList />
          </ErrorBoundary>
          <ErrorBoundary where="timeline">
            <Timeline />
          </ErrorBoundary>
          <MainTabs />
        </div>
      )}
      <Notices />
    </div>
  );
}
