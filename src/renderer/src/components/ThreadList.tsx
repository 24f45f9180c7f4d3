// The thread list: virtualized, searchable by id prefix and metadata, newest update first, with new,
// delete (confirmed), copy, export and import.
import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { ThreadInfo } from "../../../shared/types";
import { relativeTime } from "../lib/time";
import { useGraphs } from "../stores/graphs";
import { useThreads } from "../stores/threads";
import { useUi } from "../stores/ui";
import { ConfirmDialog, Dialog } from "./Dialog";
import { Icon } from "./Icon";
import { SourceSwitcher } from "./SourceSwitcher";

const ROW = 52;

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function StatusBadge({ status }: { status: ThreadInfo["status"] }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {status}
    </span>
  );
}

export function ThreadList() {
  const items = useThreads((s) => s.items);
  const loaded = useThreads((s) => s.loaded);
  const loading = useThreads((s) => s.loading);
  const error = useThreads((s) => s.error);
  const query = useThreads((s) => s.query);
  const selectedId = useThreads((s) => s.selectedId);
  const { setQuery, select, create, remove, copy, exportThread, importThread } = useThreads.getState();
  const graphId = useGraphs((s) => s.selectedId);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [importingDb, setImportingDb] = useState(false);
  const [draft, setDraft] = useState(query);
  const scroller = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
    getItemKey: (i) => items[i]!.threadId,
  });

  const lastShown = virtualizer.getVirtualItems().at(-1)?.index ?? 0;
  const hasMore = useThreads((s) => s.hasMore);
  useEffect(() => {
    if (hasMore && lastShown > items.length - 20) void useThreads.getState().loadMore();
  }, [hasMore, lastShown, items.length]);

  const onExport = async (threadId: string) => {
    const data = await exportThread(threadId);
    if (data) download(`thread-${threadId}.json`, data);
  };

  const onImport = async (file: File) => {
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch {
      useUi.getState().notify("error", `Import thread: ${file.name} is not JSON`);
      return;
    }
    await importThread(data);
  };

  return (
    <aside className="thread-list" data-testid="thread-list" data-loading={loading || undefined}>
      <SourceSwitcher />
      <header>
        <strong>Threads</strong>
        <span className="muted small" data-testid="thread-count">
          {loaded ? `${items.length}${hasMore ? "+" : ""}` : ""}
        </span>
        <div className="spacer" />
        <button type="button" className="small" data-testid="thread-import" onClick={() => fileInput.current?.click()} title="Import a thread exported as JSON">
          Import
        </button>
        <button type="button" className="small primary" data-testid="thread-new" onClick={() => void create(graphId)}>
          New
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="thread-import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void onImport(file);
          }}
        />
      </header>
      {importingDb && <LangGraphImportDialog onClose={() => setImportingDb(false)} />}
      <input
        type="search"
        className="search"
        data-testid="thread-search"
        placeholder="Search id, or key=value metadata"
        value={draft}
        onChange={(e) => {
          const value = e.target.value;
          setDraft(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setQuery(value), 200);
        }}
      />
      {error && <div className="error-box small">Threads: {error}</div>}
      <div className="thread-scroll" ref={scroller}>
        {!loaded ? (
          <div className="empty small">
            <span className="spinner" /> Loading threads…
          </div>
        ) : items.length === 0 ? (
          <div className="empty small" data-testid="threads-empty">
            {query ? "No thread matches this search." : "No threads yet. Press Run, or New, to start one."}
          </div>
        ) : (
          <div role="listbox" aria-label="Threads" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((v) => {
              const t = items[v.index]!;
              const selected = t.threadId === selectedId;
              return (
                <div
                  key={v.key}
                  className={`thread-row ${selected ? "selected" : ""}`}
                  data-testid="thread-row"
                  data-thread-id={t.threadId}
                  aria-selected={selected}
                  role="option"
                  style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                  onClick={() => select(t.threadId)}
                >
                  <div className="thread-line">
                    <span className="mono thread-id" title={t.threadId}>
                      {t.threadId}
                    </span>
                    <StatusBadge status={t.status} />
                  </div>
                  <div className="thread-line muted small">
                    <span>{t.graphId ?? "no graph"}</span>
                    <span title={t.updatedAt}>{relativeTime(t.updatedAt)}</span>
                    <span className="row-actions">
                      <button type="button" className="icon" title="Copy thread" data-testid="thread-copy" onClick={(e) => (e.stopPropagation(), void copy(t.threadId))}aria-label="Copy thread">
                        <Icon name="copy" />
                      </button>
                      <button type="button" className="icon" title="Export as JSON" data-testid="thread-export" onClick={(e) => (e.stopPropagation(), void onExport(t.threadId))}aria-label="Export thread">
                        <Icon name="download" />
                      </button>
                      <button type="button" className="icon danger" title="Delete thread" data-testid="thread-delete" onClick={(e) => (e.stopPropagation(), setConfirming(t.threadId))}aria-label="Delete thread">
                        <Icon name="trash" />
                      </button>
                    </span>
                  </div>
                </div>
              );
            })}
          </div>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete thread"
          message={
            <>
              Delete <span className="mono">{confirming}</span> and all its checkpoints and runs? This cannot be undone.
            </>
          }
          confirm="Delete"
          onConfirm={() => void remove(confirming)}
          onClose={() => setConfirming(null)}
        />
      )}
      <footer className="thread-list-footer">
        <button type="button" className="link small" data-testid="langgraph-import" onClick={() => setImportingDb(true)}>
          Import a LangGraph SqliteSaver database…
        </button>
      </footer>
    </aside>
  );
}

/** Asks for the path of a LangGraph SqliteSaver database (read from a copy on the engine's machine). */
function LangGraphImportDialog({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const ok = await useThreads.getState().importLangGraph(file.trim());
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Dialog title="Import a LangGraph database" onClose={onClose} testId="langgraph-import-dialog">
      <div className="dialog-body">
        <p className="small muted">
          A checkpoint database written by LangGraph&apos;s SqliteSaver (Python or JS). It is copied first and never changed.
        </p>
        <input
          type="text"
          autoFocus
          data-testid="langgraph-import-path"
          placeholder="/path/to/checkpoints.sqlite"
          value={file}
          onChange={(e) => setFile(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && file.trim() && void submit()}
          style={{ width: "100%" }}
        />
      </div>
      <footer>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" data-testid="langgraph-import-ok" disabled={!file.trim() || busy} onClick={() => void submit()}>
          {busy ? "Importing…" : "Import"}
        </button>
      </footer>
    </Dialog>
  );
}
