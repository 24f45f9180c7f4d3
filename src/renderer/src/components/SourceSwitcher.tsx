// Above the thread list: which source it lists (Threadline's own store, a checkpoint store opened
// in place, or an Agent Server), a menu to switch between them, open another (a path on the
// engine's machine or a PostgreSQL connection string; recent ones remembered without passwords) or
// connect to a server, and for a read-only source the note that runs and edits start with "Copy
// into Threadline". A server that cannot be reached is said so and tried again every few seconds.
import { useEffect, useState } from "react";
import { LOCAL_SOURCE_ID, type SourceEntry } from "../../../shared/opened-sources";
import { selectActiveSource, selectReadOnly, sourcesSelectors, useSources } from "../stores/sources";
import { threadSelectors, useThreads } from "../stores/threads";
import { ConnectServerDialog } from "./ConnectServerDialog";
import { Dialog } from "./Dialog";
import { DialogError, DialogFooter, RecentList } from "./DialogParts";

const KIND_LABELS: Record<SourceEntry["kind"], string> = { local: "Threadline", sqlite: "SQLite", postgres: "PostgreSQL", remote: "Agent Server" };
/** How often a server that could not be reached is tried again. */
const RETRY_MS = 5000;

function kindLabel(entry: SourceEntry): string {
  return KIND_LABELS[entry.kind];
}

/** Reads again what the page shows; a call that reaches the server marks it connected. */
function retry(): void {
  void useThreads.getState().load();
  void useSources.getState().load();
}

export function SourceSwitcher() {
  const sources = useSources(sourcesSelectors.sources);
  const active = useSources(selectActiveSource);
  const readOnly = useSources(selectReadOnly);
  const selectedId = useThreads(threadSelectors.selectedId);
  const [opening, setOpening] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const down = active?.kind === "remote" && !active.connected;

  // The list is loaded, and read again on "anything may have changed", by the controller (controller.ts):
  // this component mounts before the page is connected to the engine.
  useEffect(() => {
    if (!down) return;
    const timer = setInterval(retry, RETRY_MS);
    return () => clearInterval(timer);
  }, [down]);

  return (
    <div className="source-switcher" data-testid="source-switcher" data-source-kind={active?.kind ?? "local"}>
      <div className="source-line">
        <select
          aria-label="Source"
          data-testid="source-select"
          value={active?.id ?? LOCAL_SOURCE_ID}
          onChange={(e) => void useSources.getState().use(e.target.value)}
        >
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {kindLabel(s)}: {s.kind === "local" ? "own store" : s.label}
            </option>
          ))}
        </select>
        <button type="button" className="small" data-testid="source-open" onClick={() => (useSources.setState({ error: null }), setOpening(true))} title="Open a LangGraph checkpoint database in place, read-only">
          Open…
        </button>
        <button
          type="button"
          className="small"
          data-testid="source-connect"
          onClick={() => (useSources.setState({ error: null }), setConnecting(true))}
          title="Connect to a LangGraph Agent Server (langgraph dev or a deployment)"
        >
          Connect…
        </button>
      </div>
      {active && active.kind !== "local" && (
        <div className={`source-note small muted${active.connected ? "" : " wrap"}`} data-testid="source-note">
          <span className="mono" title={active.label} data-testid="source-label">
            {active.label}
          </span>{" "}
          {active.kind === "remote" ? " · Agent Server" : " · read-only"}
          {!active.connected && <span className="error-text" data-testid="source-disconnected"> · disconnected{active.error ? `: ${active.error}` : ""}</span>}
          {down && (
            <button type="button" className="link small" data-testid="source-retry" onClick={retry}>
              Retry
            </button>
          )}
          <button type="button" className="link small" data-testid="source-close" onClick={() => void useSources.getState().close(active.id)}>
            Close
          </button>
        </div>
      )}
      {readOnly && selectedId && (
        <button type="button" className="small primary" data-testid="copy-to-local" onClick={() => void useSources.getState().copyToLocal(selectedId)} title="Runs, replays and edits happen on a copy in Threadline's own store">
          Copy into Threadline to run or edit
        </button>
      )}
      {opening && <OpenSourceDialog onClose={() => setOpening(false)} />}
      {connecting && <ConnectServerDialog onClose={() => setConnecting(false)} />}
    </div>
  );
}

function OpenSourceDialog({ onClose }: { onClose: () => void }) {
  const recent = useSources(sourcesSelectors.recent);
  const error = useSources(sourcesSelectors.error);
  const [location, setLocation] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const ok = await useSources.getState().open(location);
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Dialog title="Open a checkpoint database" onClose={onClose} testId="source-open-dialog">
      <div className="dialog-body">
        <p className="small muted">
          A SQLite file written by LangGraph&apos;s SqliteSaver (a path on the engine&apos;s machine), or a PostgreSQL database written by its
          PostgresSaver (postgres://user:password@host:5432/db, ?schema= for the JS saver&apos;s schema). Opened read-only; nothing is written to it.
        </p>
        <input
          type="text"
          autoFocus
          data-testid="source-location"
          placeholder="/path/to/checkpoints.sqlite or postgres://…"
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && location.trim() && void submit()}
          style={{ width: "100%" }}
        />
        <DialogError error={error} testId="source-open-error" />
        <RecentList items={recent} testId="recent-sources" onPick={setLocation} />
      </div>
      <DialogFooter onCancel={onClose} onOk={() => void submit()} okTestId="source-open-ok" label="Open" busyLabel="Opening…" busy={busy} disabled={!location.trim()} />
    </Dialog>
  );
}
