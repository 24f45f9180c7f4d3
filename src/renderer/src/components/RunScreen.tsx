// The run tab: the graph (left, top), the conversation as it streams (left, bottom), and the run's
// controls and event log (right). Both dividers can be dragged; their sizes are remembered.
import { ErrorBoundary } from "./ErrorBoundary";
import { EventLog } from "./EventLog";
import { GraphView } from "./GraphView";
import { InterruptPanel } from "./InterruptPanel";
import { LiveConversation } from "./LiveConversation";
import { RunComposer } from "./RunComposer";
import { Splitter, usePane } from "./Splitter";

export function RunScreen() {
  const side = usePane("run.side", 380);
  const chat = usePane("run.chat", 300);
  return (
    <div className="run-layout" style={{ gridTemplateColumns: `minmax(0, 1fr) 5px ${side}px` }}>
      <div className="run-main" style={{ gridTemplateRows: `minmax(120px, 1fr) 5px ${chat}px` }}>
        <ErrorBoundary where="graph view">
          <GraphView />
        </ErrorBoundary>
        <Splitter pane="run.chat" fallback={300} min={80} max={900} orientation="horizontal" after label="Resize the conversation" />
        <ErrorBoundary where="conversation">
          <LiveConversation />
        </ErrorBoundary>
      </div>
      <Splitter pane="run.side" fallback={380} min={280} max={900} orientation="vertical" after label="Resize the run panel" />
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
  );
}
