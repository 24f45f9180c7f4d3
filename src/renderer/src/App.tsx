// The inspector's page: threads on the left, the open thread's timeline, and its graph, run, state and diff.
import { useEffect, useState } from "react";
import { connect } from "./api/transport";
import { setEngine } from "./api/engine";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { GraphChoiceDialog } from "./components/GraphChoiceDialog";
import { Icon } from "./components/Icon";
import { MainTabs } from "./components/MainTabs";
import { Splitter, usePane } from "./components/Splitter";
import { ThreadList } from "./components/ThreadList";
import { Timeline } from "./components/Timeline";
import { StoreButton } from "./store-view/StoreButton";
import { startController } from "./controller";
import { graphSelectors, useGraphs } from "./stores/graphs";
import { threadSelectors, useThreads } from "./stores/threads";
import { uiSelectors, useUi } from "./stores/ui";

type Boot = { state: "connecting" } | { state: "ready" } | { state: "failed"; message: string };

/** Chooses the graph of a new thread; an open thread is always shown and run with its own graph. */
function GraphPicker() {
  const graphs = useGraphs(graphSelectors.graphs);
  const failures = useGraphs(graphSelectors.failures);
  const missingEnv = useGraphs(graphSelectors.missingEnv);
  const selectedId = useGraphs(graphSelectors.pickedId);
  const select = useGraphs((s) => s.select);
  const selected = graphs.find((g) => g.id === selectedId);
  return (
    <div className="graph-picker">
      <label className="small muted" htmlFor="graph-picker">
        New thread graph
      </label>
      <select id="graph-picker" data-testid="graph-picker" value={selectedId ?? ""} onChange={(e) => void select(e.target.value)} disabled={!graphs.length}>
        {!graphs.length && <option value="">no graphs</option>}
        {graphs.map((g) => (
          <option key={g.id} value={g.id} title={g.description}>
            {g.title || g.id}
          </option>
        ))}
      </select>
      {selected?.langgraphVersion && (
        <span className="small muted" title="The project's own @langchain/langgraph, which its graphs run on" data-testid="graph-langgraph-version">
          LangGraph.js {selected.langgraphVersion}
        </span>
      )}
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
  const theme = useUi(uiSelectors.theme);
  const setTheme = useUi((s) => s.setTheme);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button type="button" className="icon" data-testid="theme-toggle" onClick={() => setTheme(next)} title={`Switch to ${next} theme`} aria-label={`Switch to ${next} theme`}>
      <Icon name={theme === "dark" ? "sun" : "moon"} size={17} />
    </button>
  );
}

function Notices() {
  const notices = useUi(uiSelectors.notices);
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

function Columns() {
  const threads = usePane("threads", 240);
  const timeline = usePane("timeline", 320);
  return (
    <div className="columns" style={{ gridTemplateColumns: `${threads}px 5px ${timeline}px 5px minmax(0, 1fr)` }}>
      <ErrorBoundary where="thread list">
        <ThreadList />
      </ErrorBoundary>
      <Splitter pane="threads" fallback={240} min={180} max={480} orientation="vertical" label="Resize the thread list" />
      <ErrorBoundary where="timeline">
        <Timeline />
      </ErrorBoundary>
      <Splitter pane="timeline" fallback={320} min={240} max={720} orientation="vertical" label="Resize the timeline" />
      <MainTabs />
    </div>
  );
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "connecting" });
  const theme = useUi(uiSelectors.theme);
  const threadsLoaded = useThreads(threadSelectors.loaded);
  const graphsLoaded = useGraphs(graphSelectors.loaded);

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
        <main className="error-box crash" role="alert" data-testid="connect-error">
          <strong>Cannot reach the engine.</strong>
          <p>{boot.message}</p>
        </main>
      ) : (
        <Columns />
      )}
      <GraphChoiceDialog />
      <Notices />
    </div>
  );
}
