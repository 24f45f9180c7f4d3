// The thread list: virtualized, newest update first; each row names the thread (its title, editable),
// its graph, checkpoint count, status and time. Searchable by what the rows show and by metadata; new,
// rename, delete (confirmed), copy, export and import.
import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { ThreadInfo } from "../../../shared/types";
import { relativeTime } from "../lib/time";
import { graphSelectors, useGraphs } from "../stores/graphs";
import { selectReadOnly, useSources } from "../stores/sources";
import { threadLabel, threadSelectors, useThreads } from "../stores/threads";
import { useUi } from "../stores/ui";
import { ConfirmDialog, Dialog } from "./Dialog";
import { Icon } from "./Icon";
import { SourceSwitcher } from "./SourceSwitcher";
import { StatusBadge } from "./StatusBadge";

const ROW = 58;
const READ_ONLY = "An opened checkpoint store is read-only: switch to Threadline's own store (above) to create or import threads";

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

/** The title, or an input to change it (Enter saves, Escape cancels; empty clears the title). */
function ThreadTitle({ thread, editing, onDone }: { thread: ThreadInfo; editing: boolean; onDone: () => void }) {
  const [draft, setDraft] = useState(thread.title ?? "");
  if (!editing) {
    return (
      <span className={`thread-title ${thread.title ? "" : "untitled"}`} data-testid="thread-title" title={`${thread.title ?? "untitled"}\n${thread.threadId}`}>
        {threadLabel(thread)}
      </span>
    );
  }
  const save = () => {
    if (draft.trim() !== (thread.title ?? "")) void useThreads.getState().rename(thread.threadId, draft);
    onDone();
  };
  return (
    <input
      className="thread-title-input"
      data-testid="thread-title-input"
      aria-label="Thread title"
      autoFocus
      value={draft}
      placeholder={thread.threadId}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === "Enter") save();
        if (e.key === "Escape") onDone();
      }}
    />
  );
}

export function ThreadList() {
  const items = useThreads(threadSelectors.items);
  const loaded = useThreads(threadSelectors.loaded);
  const loading = useThreads(threadSelectors.loading);
  const error = useThreads(threadSelectors.error);
  const query = useThreads(threadSelectors.query);
  const selectedId = useThreads(threadSelectors.selectedId);
  const { setQuery, select, create, remove, copy, exportThread, importThread } = useThreads.getState();
  const graphId = useGraphs(graphSelectors.pickedId);
  // A store opened in place is never written to: no new, imported, renamed or deleted threads there.
  const readOnly = useSources(selectReadOnly);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
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
  const hasMore = useThreads(threadSelectors.hasMore);
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
    <aside className="thread-list" data-testid="thread-list" data-loading={loading || undefined} aria-label="Threads">
      <SourceSwitcher />
      <header>
        <strong>Threads</strong>
        <span className="muted small" data-testid="thread-count">
          {loaded ? `${items.length}${hasMore ? "+" : ""}` : ""}
        </span>
        <div className="spacer" />
        <button type="button" className="small" data-testid="thread-import" disabled={readOnly} onClick={() => fileInput.current?.click()} title={readOnly ? READ_ONLY : "Import a thread exported as JSON"}>
          Import
        </button>
        <button type="button" className="small primary" data-testid="thread-new" disabled={readOnly} title={readOnly ? READ_ONLY : undefined} onClick={() => void create(graphId)}>
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
        aria-label="Search threads by title, graph, status or id; key=value for metadata"
        placeholder="Search title, graph, status, id · key=value"
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
          <div role="list" aria-label="Threads, most recently updated first" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((v) => {
              const t = items[v.index]!;
              const selected = t.threadId === selectedId;
              return (
                <div
                  key={v.key}
                  className={`thread-row ${selected ? "selected" : ""}`}
                  data-testid="thread-row"
                  data-thread-id={t.threadId}
                  aria-current={selected || undefined}
                  role="listitem"
                  style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                  onClick={() => select(t.threadId)}
                >
                  <div className="thread-line">
                    {renaming === t.threadId ? (
                      <ThreadTitle thread={t} editing onDone={() => setRenaming(null)} />
                    ) : (
                      <button type="button" className="thread-open" data-testid="thread-open" aria-label={`Open ${threadLabel(t)} (${t.status})`} onClick={(e) => (e.stopPropagation(), select(t.threadId))} onDoubleClick={(e) => (e.stopPropagation(), !readOnly && setRenaming(t.threadId))}>
                        <ThreadTitle thread={t} editing={false} onDone={() => setRenaming(null)} />
                      </button>
                    )}
                    <StatusBadge status={t.status} />
                  </div>
                  <div className="thread-line muted small">
                    <span className="thread-facts">
                      <span className="thread-graph" data-testid="thread-graph">{t.graphId ?? "no graph"}</span>
                      {" · "}
                      {t.checkpointCount >= 0 && (
                        <>
                          <span data-testid="thread-checkpoints">
                            {t.checkpointCount} checkpoint{t.checkpointCount === 1 ? "" : "s"}
                          </span>
                          {" · "}
                        </>
                      )}
                      <span title={t.updatedAt}>{relativeTime(t.updatedAt)}</span>
                    </span>
                    <span className="row-actions">
                      {!readOnly && (
                        <button type="button" className="icon" title="Rename thread" data-testid="thread-rename" onClick={(e) => (e.stopPropagation(), setRenaming(t.threadId))} aria-label="Rename thread">
                          <Icon name="edit" />
                        </button>
                      )}
                      {readOnly ? (
                        <button type="button" className="icon" title="Copy into Threadline's own store" data-testid="thread-copy" onClick={(e) => (e.stopPropagation(), void useSources.getState().copyToLocal(t.threadId))} aria-label="Copy into Threadline">
                          <Icon name="copy" />
                        </button>
                      ) : (
                        <button type="button" className="icon" title="Copy thread" data-testid="thread-copy" onClick={(e) => (e.stopPropagation(), void copy(t.threadId))} aria-label="Copy thread">
                          <Icon name="copy" />
                        </button>
                      )}
                      <button type="button" className="icon" title="Export as JSON" data-testid="thread-export" onClick={(e) => (e.stopPropagation(), void onExport(t.threadId))} aria-label="Export thread">
                        <Icon name="download" />
                      </button>
                      {!readOnly && (
                        <button type="button" className="icon danger" title="Delete thread" data-testid="thread-delete" onClick={(e) => (e.stopPropagation(), setConfirming(t.threadId))} aria-label="Delete thread">
                          <Icon name="trash" />
                        </button>
                      )}
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
        <button type="button" className="link small" data-testid="langgraph-import" disabled={readOnly} title={readOnly ? READ_ONLY : undefined} onClick={() => setImportingDb(true)}>
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
          aria-label="Path of the LangGraph database"
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
