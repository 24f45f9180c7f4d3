// "Connect to Agent Server…": a LangGraph Agent Server's URL (langgraph dev, Python or JS, or a
// deployment) and its optional API key. The key stays in this page's memory (and the engine's, to
// talk to that server) unless the user ticks "remember", which saves it in this browser for that URL.
import { useState } from "react";
import { savedKey, sourcesSelectors, useSources } from "../stores/sources";
import { Dialog } from "./Dialog";
import { DialogError, DialogFooter, RecentList } from "./DialogParts";

export function ConnectServerDialog({ onClose }: { onClose: () => void }) {
  const recent = useSources(sourcesSelectors.recentServers);
  const error = useSources(sourcesSelectors.error);
  const [url, setUrl] = useState(recent[0] ?? "http://127.0.0.1:2024");
  const [apiKey, setApiKey] = useState(() => savedKey(recent[0] ?? "") ?? "");
  const [rememberKey, setRememberKey] = useState(() => savedKey(recent[0] ?? "") !== null);
  const [busy, setBusy] = useState(false);
  const pick = (server: string) => {
    setUrl(server);
    const saved = savedKey(server);
    setApiKey(saved ?? "");
    setRememberKey(saved !== null);
  };
  const submit = async () => {
    setBusy(true);
    const ok = await useSources.getState().connect(url, apiKey.trim() || null, rememberKey && apiKey.trim() !== "");
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Dialog title="Connect to an Agent Server" onClose={onClose} testId="connect-dialog">
      <div className="dialog-body">
        <p className="small muted">
          A LangGraph Agent Server: <span className="mono">langgraph dev</span> (Python or JS) or a deployment. Its assistants, threads and runs
          are shown and run on the server.
        </p>
        <label className="field">
          <span>Server URL</span>
          <input
            type="url"
            autoFocus
            data-testid="connect-url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && url.trim() && void submit()}
            style={{ width: "100%" }}
          />
        </label>
        <label className="field">
          <span>API key (optional; a deployment&apos;s LangSmith key)</span>
          <input
            type="password"
            autoComplete="off"
            data-testid="connect-key"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && url.trim() && void submit()}
            style={{ width: "100%" }}
          />
        </label>
        <label className="small">
          <input type="checkbox" data-testid="connect-remember" checked={rememberKey} onChange={(e) => setRememberKey(e.target.checked)} /> Remember the key in this
          browser for this server (otherwise it is kept only while this page is open, and sent only to this server)
        </label>
        <DialogError error={error} testId="connect-server-error" />
        <RecentList items={recent} testId="recent-servers" onPick={pick} />
      </div>
      <DialogFooter onCancel={onClose} onOk={() => void submit()} okTestId="connect-ok" label="Connect" busyLabel="Connecting…" busy={busy} disabled={!url.trim()} />
    </Dialog>
  );
}
