// The checkpoint timeline as a tree, newest first: lanes like `git log --graph`, forks where they split
// and each branch head labelled, subgraph checkpoints nested under the step that ran them. Each row says
// which node(s) wrote it and what changed. Up/Down or j/k move, PageUp/PageDown by a screen, Home/End
// jump; older pages load as the list scrolls.
import { useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { appliedAsLabel } from "../lib/applied-as";
import { branchLabels, describeBranch } from "../lib/branches";
import type { LaneRow } from "../lib/lanes";
import { Icon } from "./Icon";
import { clockTime } from "../lib/time";
import { checkpointSelectors, useCheckpoint } from "../stores/checkpoint";
import { threadSelectors, useThreads } from "../stores/threads";
import { sameSelection, timelineSelectors, timelineSettled, useTimeline, visibleRows, type TimelineRow } from "../stores/timeline";
import { useUi } from "../stores/ui";

const ROW = 44;
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

/** What a row says to a screen reader: the same facts the row shows. */
function rowName(row: TimelineRow, head: boolean, pinned: boolean, branch: string | undefined): string {
  const c = row.item;
  const parts = [`step ${c.step}`, c.source];
  if (c.nodes.length) parts.push(`by ${c.nodes.join(", ")}`);
  else if (c.appliedAs?.length) parts.push(appliedAsLabel(c));
  if (c.changes) parts.push(c.changes);
  if (row.kind === "sub") parts.push(`subgraph ${c.checkpointNs.split(":")[0]} run ${row.run}`);
  if (row.kind === "root" && row.subgraphCount > 0) parts.push(`${row.subgraphCount} subgraph checkpoints, ${row.expanded ? "shown; ArrowLeft hides them" : "ArrowRight shows them"}`);
  if (c.hasInterrupts) parts.push("waits on an interrupt");
  if (head) parts.push("head");
  if (pinned) parts.push("pinned for diff");
  if (branch) parts.push(branch);
  parts.push(clockTime(c.createdAt));
  return parts.join(", ");
}

export function Timeline() {
  const threadId = useTimeline(timelineSelectors.threadId);
  const roots = useTimeline(timelineSelectors.roots);
  const layout = useTimeline(timelineSelectors.layout);
  const children = useTimeline(timelineSelectors.children);
  const expanded = useTimeline(timelineSelectors.expanded);
  const version = useTimeline(timelineSelectors.version);
  const ready = useTimeline(timelineSelectors.ready);
  const loading = useTimeline(timelineSelectors.loading);
  const error = useTimeline(timelineSelectors.error);
  const nextBefore = useTimeline(timelineSelectors.nextBefore);
  const boundary = useTimeline(timelineSelectors.boundary);
  const selected = useTimeline(timelineSelectors.selected);
  const { select, loadMore, loadOldest, toggleExpanded } = useTimeline.getState();
  const headId = useThreads(threadSelectors.headOf(threadId));
  const pinned = useCheckpoint(checkpointSelectors.pinned);
  const scroller = useRef<HTMLDivElement>(null);

  // The lane layout grows in place as pages arrive: `version` marks each change.
  const rows = useMemo(() => visibleRows({ roots, layout, children, expanded }), [roots, layout, children, expanded, version]);
  const branches = useMemo(() => branchLabels(roots), [roots]);
  const width = Math.max(1, layout.width);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
    getItemKey: (i) => `${rows[i]!.item.checkpointNs}|${rows[i]!.item.checkpointId}`,
  });
  const items = virtualizer.getVirtualItems();

  // The first row of the oldest page while the rows above it are not loaded (End on a long thread).
  const gapId = boundary === null ? null : (roots[boundary]?.checkpointId ?? null);
  const gapIndex = useMemo(() => (gapId === null ? -1 : rows.findIndex((r) => r.kind === "root" && r.item.checkpointId === gapId)), [rows, gapId]);
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items[items.length - 1]?.index ?? 0;
  // Rows that arrive in the gap push the oldest page down: while it is what the list shows, it stays in place.
  const anchor = useRef<{ id: string; index: number; shown: boolean } | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = anchor.current;
    if (before?.shown && el) {
      const index = rows.findIndex((r) => r.kind === "root" && r.item.checkpointId === before.id);
      // Through the virtualizer, which then draws the rows of the new offset (a plain scrollTop write left the
      // list drawing the old range, blank, until the scroll event came back).
      if (index > before.index) virtualizer.scrollBy((index - before.index) * ROW);
    }
    // "Shown": the gap's row is in view, or the view is below it.
    const shown = !!el && gapIndex !== -1 && Math.floor((el.scrollTop + el.clientHeight) / ROW) >= gapIndex;
    anchor.current = gapId === null ? null : { id: gapId, index: gapIndex, shown };
  }, [rows, gapId, gapIndex, firstShown, virtualizer]);
  useEffect(() => {
    // Older pages load as the end of the newest rows comes into view: the end of the list, or the gap above the oldest page.
    const end = gapIndex === -1 ? rows.length : gapIndex;
    if (nextBefore && lastShown > end - 40 && firstShown < end + 40) void loadMore();
  }, [firstShown, lastShown, rows.length, gapIndex, nextBefore, loadMore]);

  const selectedIndex = useMemo(() => rows.findIndex((r) => sameSelection(rowSelection(r), selected)), [rows, selected]);

  const go = (index: number) => {
    const row = rows[index];
    if (!row) return;
    select(rowSelection(row));
    virtualizer.scrollToIndex(index, { align: "auto" });
  };

  const onKey = async (e: KeyboardEvent<HTMLDivElement>) => {
    const key = e.key;
    if (key === "ArrowRight" || key === "ArrowLeft") {
      const row = rows[selectedIndex];
      if (row?.kind === "root" && row.subgraphCount > 0 && row.expanded !== (key === "ArrowRight")) {
        e.preventDefault();
        toggleExpanded(row.item.checkpointId);
      }
      return;
    }
    if (["ArrowDown", "j", "ArrowUp", "k", "Home", "End", "PageDown", "PageUp"].includes(key)) e.preventDefault();
    else return;
    if (key === "Home") return go(0);
    if (key === "PageDown" || key === "PageUp") {
      const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW * 10) / ROW) - 1);
      const from = selectedIndex === -1 ? 0 : selectedIndex;
      return go(Math.max(0, Math.min(rows.length - 1, from + (key === "PageDown" ? page : -page))));
    }
    if (key === "End") {
      // Pressed while the first page (or a later one) is still loading: End goes once it is in.
      await timelineSettled();
      // One read of the oldest page, not every page in between: those load when scrolled to.
      if (useTimeline.getState().nextBefore) await loadOldest();
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
    <section className="timeline" data-testid="timeline" data-state={ready ? "ready" : "loading"} data-count={rows.length} aria-label="Timeline">
      <header>
        <strong>Timeline</strong>
        <span className="muted small" data-testid="timeline-count" aria-live="polite">
          {rows.length ? `${roots.length}${nextBefore ? "+" : ""} checkpoints` : ""}
        </span>
        {loading && <span className="spinner" />}
      </header>
      {error && <div className="error-box small">Timeline: {error}</div>}
      <div
        className="timeline-scroll"
        ref={scroller}
        tabIndex={0}
        role={rows.length ? "listbox" : undefined}
        aria-label="Checkpoints, newest first"
        aria-activedescendant={selectedIndex >= 0 ? `tl-${selectedIndex}` : undefined}
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
              const isHead = c.checkpointId === headId && !sub;
              const isPinned = sameSelection(pinned, rowSelection(row));
              const branch = sub ? undefined : branches.get(c.checkpointId);
              const branchText = branch ? describeBranch(branch) : undefined;
              return (
                <div
                  key={v.key}
                  id={`tl-${v.index}`}
                  className={`tl-row ${isSelected ? "selected" : ""} ${sub ? "tl-sub" : ""} ${isPinned ? "pinned" : ""} ${v.index === gapIndex ? "tl-gap" : ""}`}
                  data-testid="timeline-row"
                  data-checkpoint-id={c.checkpointId}
                  data-checkpoint-ns={c.checkpointNs}
                  data-step={c.step}
                  data-source={c.source}
                  data-index={v.index}
                  data-lane={row.lane.col}
                  data-fork={row.lane.merges.length > 0 || undefined}
                  data-pinned={isPinned || undefined}
                  data-gap-above={v.index === gapIndex || undefined}
                  aria-selected={isSelected}
                  aria-description={rowName(row, isHead, isPinned, branchText)}
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
                  <span className="tl-body">
                    <span className="tl-line">
                      <span className={`src src-${c.source}`}>{c.source}</span>
                      <span className="tl-nodes" data-testid="timeline-nodes" title={c.nodes.length ? `written by ${c.nodes.join(", ")}` : undefined}>
                        {row.kind === "sub" ? (
                          <span className="tl-run" title={`${c.checkpointNs.split(":")[0]} run ${row.run}: ${c.checkpointNs}`}>
                            #{row.run}
                          </span>
                        ) : null}
                        {c.nodes.join(", ") || <span className="muted" data-testid="applied-as" title={appliedAsLabel(c)}>{appliedAsLabel(c)}</span>}
                      </span>
                      {branchText && (
                        <span className="tl-branch" data-testid="branch-label" title={branchText}>
                          <Icon name="branch" size={10} /> {branch!.forkStep === null ? "branch" : `from ${branch!.forkStep}`}
                        </span>
                      )}
                      {isPinned && (
                        <span className="tl-pin" data-testid="pinned-mark" title="Pinned: the Diff tab compares with this checkpoint">
                          pinned
                        </span>
                      )}
                      {c.hasInterrupts && (
                        <span className="tl-flag" title="An interrupt() waits here">
                          <Icon name="pause" size={12} />
                        </span>
                      )}
                      {isHead && <span className="tl-head">head</span>}
                    </span>
                    <span className="tl-changes" data-testid="timeline-changes" title={branchText ? `${c.changes ?? ""}\n${branchText}` : c.changes}>
                      {c.changes || "\u00a0"}
                    </span>
                  </span>
                  {row.kind === "root" && row.subgraphCount > 0 && (
                    // Not a button: a control inside a listbox option is unreachable by keyboard; ArrowRight/ArrowLeft expand and collapse.
                    <span
                      className="tl-expand"
                      data-testid="timeline-expand"
                      data-expanded={row.expanded}
                      aria-hidden="true"
                      title={`${row.subgraphCount} subgraph checkpoints (ArrowRight / ArrowLeft)`}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggleExpanded(c.checkpointId);
                      }}
                    >
                      {row.expanded ? "▾" : "▸"} {row.subgraphCount}
                    </span>
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
