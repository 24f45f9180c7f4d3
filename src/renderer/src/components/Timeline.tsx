// The checkpoint timeline as a tree, newest first: lanes like `git log --graph`, forks where they split,
// subgraph checkpoints nested under the step that ran them. Up/Down or j/k move, Home/End jump; older pages
// load as the list scrolls.
import { useEffect, useMemo, useRef, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { LaneRow } from "../lib/lanes";
import { Icon } from "./Icon";
import { clockTime } from "../lib/time";
import { useThreads } from "../stores/threads";
import { sameSelection, useTimeline, visibleRows, type TimelineRow } from "../stores/timeline";
import { useUi } from "../stores/ui";

const ROW = 34;
const LANE = 14;

function Lanes({ lane, width, sub }: { lane: LaneRow; width: number; sub: boolean }) {
  const x = (i: number) => i * LANE + LANE / 2;
  const mid = ROW / 2;
  return (
    <svg className="lanes" width={width * LANE} height={ROW} aria-hidden="true">
      {lane.top.map((i) =>
        sub || (i !== lane.col && !lane.merges.includes(i)) ? (
          <line key={`t${i}`} x1={x(i)} y1={0} x2={x(i)} y2={ROW} className={`lane lane-${i % 6}`} />
        ) : (
          <path key={`t${i}`} d={`M${x(i)} 0 C ${x(i)} ${mid * 0.8}, ${x(lane.col)} ${mid * 0.4}, ${x(lane.col)} ${mid}`} className={`lane lane-${i % 6}`} />
        ),
      )}
      {!sub && lane.bottom.includes(lane.col) && <line x1={x(lane.col)} y1={mid} x2={x(lane.col)} y2={ROW} className={`lane lane-${lane.col % 6}`} />}
      {!sub && <circle cx={x(lane.col)} cy={mid} r={5} className={`dot lane-${lane.col % 6}`} />}
    </svg>
  );
}

function rowSelection(row: TimelineRow) {
  return { checkpointId: row.item.checkpointId, checkpointNs: row.item.checkpointNs };
}

export function Timeline() {
  const threadId = useTimeline((s) => s.threadId);
  const roots = useTimeline((s) => s.roots);
  const layout = useTimeline((s) => s.layout);
  const children = useTimeline((s) => s.children);
  const expanded = useTimeline((s) => s.expanded);
  const version = useTimeline((s) => s.version);
  const ready = useTimeline((s) => s.ready);
  const loading = useTimeline((s) => s.loading);
  const error = useTimeline((s) => s.error);
  const nextBefore = useTimeline((s) => s.nextBefore);
  const selected = useTimeline((s) => s.selected);
  const { select, loadMore, loadAll, toggleExpanded } = useTimeline.getState();
  const headId = useThreads((s) => (s.current?.threadId === threadId ? s.current?.headCheckpointId : null));
  const scroller = useRef<HTMLDivElement>(null);

  // The lane layout grows in place as pages arrive: `version` marks each change.
  const rows = useMemo(() => visibleRows({ roots, layout, children, expanded }), [roots, layout, children, expanded, version]);
  const width = Math.max(1, layout.width);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
    getItemKey: (i) => `${rows[i]!.item.checkpointNs}|${rows[i]!.item.checkpointId}`,
  });
  const items = virtualizer.getVirtualItems();

  const lastShown = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (nextBefore && lastShown > rows.length - 40) void loadMore();
  }, [lastShown, rows.length, nextBefore, loadMore]);

  const selectedIndex = useMemo(() => rows.findIndex((r) => sameSelection(rowSelection(r), selected)), [rows, selected]);

  const go = (index: number) => {
    const row = rows[index];
    if (!row) return;
    select(rowSelection(row));
    virtualizer.scrollToIndex(index, { align: "auto" });
  };

  const onKey = async (e: KeyboardEvent<HTMLDivElement>) => {
    const key = e.key;
    if (["ArrowDown", "j", "ArrowUp", "k", "Home", "End"].includes(key)) e.preventDefault();
    else return;
    if (key === "Home") return go(0);
    if (key === "End") {
      if (useTimeline.getState().nextBefore) await loadAll();
      const all = visibleRows(useTimeline.getState());
      const last = all[all.length - 1];
      if (last) {
        select(rowSelection(last));
        requestAnimationFrame(() => virtualizer.scrollToIndex(all.length - 1, { align: "end" }));
      }
      return;
    }
    const down = key === "ArrowDown" || key === "j";
    if (selectedIndex === -1) return go(down ? 0 : rows.length - 1);
    go(Math.max(0, Math.min(rows.length - 1, selectedIndex + (down ? 1 : -1))));
  };

  if (!threadId) {
    return (
      <section className="timeline" data-testid="timeline" data-state="empty">
        <header>
          <strong>Timeline</strong>
        </header>
        <div className="empty small">Pick a thread to see its checkpoints.</div>
      </section>
    );
  }

  return (
    <section className="timeline" data-testid="timeline" data-state={ready ? "ready" : "loading"} data-count={rows.length}>
      <header>
        <strong>Timeline</strong>
        <span className="muted small" data-testid="timeline-count">
          {rows.length ? `${roots.length}${nextBefore ? "+" : ""} checkpoints` : ""}
        </span>
        {loading && <span className="spinner" />}
      </header>
      {error && <div className="error-box small">Timeline: {error}</div>}
      <div
        className="timeline-scroll"
        ref={scroller}
        tabIndex={0}
        role="listbox"
        aria-label="Checkpoints"
        data-testid="timeline-list"
        onKeyDown={(e) => void onKey(e)}
      >
        {!ready ? (
          <div className="empty small">
            <span className="spinner" /> Loading checkpoints…
          </div>
        ) : rows.length === 0 ? (
          <div className="empty small" data-testid="timeline-empty">
            No checkpoints yet: run the graph on this thread.
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {items.map((v) => {
              const row = rows[v.index]!;
              const c = row.item;
              const isSelected = v.index === selectedIndex;
              const sub = row.kind === "sub";
              return (
                <div
                  key={v.key}
                  className={`tl-row ${isSelected ? "selected" : ""} ${sub ? "tl-sub" : ""}`}
                  data-testid="timeline-row"
                  data-checkpoint-id={c.checkpointId}
                  data-checkpoint-ns={c.checkpointNs}
                  data-step={c.step}
                  data-source={c.source}
                  data-index={v.index}
                  data-lane={row.lane.col}
                  data-fork={row.lane.merges.length > 0 || undefined}
                  aria-selected={isSelected}
                  role="option"
                  style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                  onClick={() => {
                    select(rowSelection(row));
                    scroller.current?.focus();
                    const tab = useUi.getState().tab;
                    if (tab === "run") useUi.getState().setTab("checkpoint");
                  }}
                >
                  <Lanes lane={row.lane} width={width} sub={sub} />
                  {sub && <span className="tl-indent" style={{ width: (row.kind === "sub" ? row.depth : 0) * 10 }}>↳</span>}
                  <span className="tl-step" title="step">
                    {c.step}
                  </span>
                  <span className={`src src-${c.source}`}>{c.source}</span>
                  <span className="tl-nodes" title={c.nodes.join(", ")}>
                    {row.kind === "sub" ? (
                      <span className="tl-run" title={`${c.checkpointNs.split(":")[0]} run ${row.run}: ${c.checkpointNs}`}>
                        #{row.run}
                      </span>
                    ) : null}
                    {c.nodes.join(", ") || <span className="muted">—</span>}
                  </span>
                  {c.hasInterrupts && (
                    <span className="tl-flag" title="An interrupt() waits here">
                      <Icon name="pause" size={12} />
                    </span>
                  )}
                  {c.checkpointId === headId && !sub && <span className="tl-head">head</span>}
                  {row.kind === "root" && row.subgraphCount > 0 && (
                    <button
                      type="button"
                      className="tl-expand"
                      data-testid="timeline-expand"
                      aria-expanded={row.expanded}
                      title={`${row.subgraphCount} subgraph checkpoints`}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggleExpanded(c.checkpointId);
                      }}
                    >
                      {row.expanded ? "▾" : "▸"} {row.subgraphCount}
                    </button>
                  )}
                  <span className="tl-time" title={c.createdAt}>
                    {clockTime(c.createdAt)}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
