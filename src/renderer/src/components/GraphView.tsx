// The picked graph as a flow chart: conditional edges dashed, subgraphs expandable, the running node lit and
// finished nodes marked with their durations. Click a node for a breakpoint before it, shift-click for after.
import { useEffect, useMemo, useState } from "react";
import {
  BaseEdge,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { NodeSelection } from "../../../shared/types";
import { layoutDrawing } from "../lib/graph-layout";
import { selectGraphDetail, useGraphs } from "../stores/graphs";
import { formatMs, useRun, type NodeState } from "../stores/run";
import { useThreads } from "../stores/threads";
import { useUi } from "../stores/ui";

type GraphNodeData = {
  label: string;
  kind: string;
  nodeId: string;
  hasSubgraph: boolean;
  expanded: boolean;
  group: boolean;
  nested: boolean;
  state: NodeState | undefined;
  /** The thread waits before this node (a breakpoint or an interrupt). */
  paused: boolean;
  before: boolean;
  after: boolean;
  onToggle: () => void;
};

type GraphNode = Node<GraphNodeData>;

const has = (selection: NodeSelection | undefined, node: string) => selection === "*" || !!selection?.includes(node);

function FlowNode({ data }: NodeProps<GraphNode>) {
  const status = data.state?.status;
  return (
    <div
      className={`gnode gnode-${data.kind} ${data.group ? "gnode-group" : ""} ${status ? `gnode-${status}` : ""} ${data.paused ? "gnode-paused" : ""}`}
      data-testid="graph-node"
      data-node-id={data.nodeId}
      data-status={status ?? "idle"}
      data-paused={data.paused || undefined}
      data-breakpoint-before={data.before || undefined}
      data-breakpoint-after={data.after || undefined}
      title={data.kind === "node" && !data.nested ? "Click: breakpoint before · Shift-click: breakpoint after" : undefined}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {data.before && <span className="bp bp-before" title="Breakpoint before this node" />}
      <span className="gnode-label">{data.label}</span>
      {data.hasSubgraph && (
        <button
          type="button"
          className="gnode-expand nodrag"
          data-testid="subgraph-toggle"
          onClick={(e) => {
            e.stopPropagation();
            data.onToggle();
          }}
          title={data.expanded ? "Collapse subgraph" : "Expand subgraph"}
        >
          {data.expanded ? "−" : "+"}
        </button>
      )}
      {data.state?.durationMs !== undefined && (
        <span className="gnode-duration" data-testid="node-duration">
          {formatMs(data.state.durationMs)}
        </span>
      )}
      {data.paused && <span className="gnode-pause" title="The thread waits here">paused</span>}
      {data.after && <span className="bp bp-after" title="Breakpoint after this node" />}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

type RoutedEdge = Edge<{ conditional: boolean; points: { x: number; y: number }[] }>;

/** Follows dagre's route (so back edges bend around nodes), smoothed through the midpoints of its segments. */
function RoutedEdgeView({ data, sourceX, sourceY, targetX, targetY, markerEnd, style, label }: EdgeProps<RoutedEdge>) {
  const pts = data?.points.length ? data.points : [{ x: sourceX, y: sourceY }, { x: targetX, y: targetY }];
  let d = `M ${pts[0]!.x} ${pts[0]!.y}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i]!;
    const next = pts[i + 1]!;
    d += ` Q ${p.x} ${p.y} ${(p.x + next.x) / 2} ${(p.y + next.y) / 2}`;
  }
  const last = pts[pts.length - 1]!;
  d += ` L ${last.x} ${last.y}`;
  const mid = pts[Math.floor(pts.length / 2)]!;
  return <BaseEdge path={d} markerEnd={markerEnd} style={style} label={label} labelX={mid.x} labelY={mid.y} />;
}

const nodeTypes = { flow: FlowNode };
/** One empty list, so that a selector returning "nothing" returns the same value each time. */
const NONE: string[] = [];
const edgeTypes = { routed: RoutedEdgeView };

function Chart() {
  const detail = useGraphs(selectGraphDetail);
  const graphId = useGraphs((s) => s.selectedId);
  const breakpoints = useGraphs((s) => (graphId ? s.breakpoints[graphId] : undefined));
  const toggleBreakpoint = useGraphs((s) => s.toggleBreakpoint);
  const states = useRun((s) => s.nodes);
  const live = useRun((s) => s.active?.status === "running" || s.active?.status === "pending");
  const pausedBefore = useThreads((s) => (s.current?.threadId === s.selectedId ? s.pausedBefore : NONE));
  const theme = useUi((s) => s.theme);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const flow = useReactFlow();

  const placed = useMemo(() => (detail ? layoutDrawing(detail.drawing, expanded) : null), [detail, expanded]);

  const nodes = useMemo<GraphNode[]>(() => {
    if (!placed) return [];
    return placed.nodes.map((p) => ({
      id: p.key,
      type: "flow",
      position: { x: p.x, y: p.y },
      width: p.width,
      height: p.height,
      style: { width: p.width, height: p.height },
      ...(p.parentKey ? { parentId: p.parentKey, extent: "parent" as const } : {}),
      draggable: false,
      connectable: false,
      selectable: false,
      data: {
        label: p.node.label,
        kind: p.node.kind ?? "node",
        nodeId: p.key,
        hasSubgraph: !!p.node.subgraph,
        expanded: p.group,
        group: p.group,
        nested: p.parentKey !== null,
        state: states[p.key],
        paused: !live && p.parentKey === null && pausedBefore.includes(p.node.id),
        before: p.parentKey === null && has(breakpoints?.before, p.node.id),
        after: p.parentKey === null && has(breakpoints?.after, p.node.id),
        onToggle: () =>
          setExpanded((prev) => {
            const next = new Set(prev);
            if (next.has(p.key)) next.delete(p.key);
            else next.add(p.key);
            return next;
          }),
      },
    }));
  }, [placed, states, breakpoints, live, pausedBefore]);

  const edges = useMemo<RoutedEdge[]>(
    () =>
      placed?.edges.map((e) => ({
        id: e.key,
        type: "routed",
        source: e.source,
        target: e.target,
        ...(e.label ? { label: e.label } : {}),
        className: e.conditional ? "edge-conditional" : "edge-direct",
        data: { conditional: e.conditional, points: e.points },
        style: e.conditional ? { strokeDasharray: "6 4" } : undefined,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        zIndex: 1,
      })) ?? [],
    [placed],
  );

  useEffect(() => {
    const id = requestAnimationFrame(() => void flow.fitView({ padding: 0.18, duration: 0, maxZoom: 1.2 }));
    return () => cancelAnimationFrame(id);
  }, [placed, flow]);

  if (!detail) return null;
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={theme}
      fitView
      fitViewOptions={{ padding: 0.18, maxZoom: 1.2 }}
      minZoom={0.2}
      maxZoom={1.6}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(event, node) => {
        const data = node.data as GraphNodeData;
        if (!graphId || data.kind !== "node" || data.nested) return;
        void toggleBreakpoint(graphId, node.id, event.shiftKey ? "after" : "before");
      }}
    />
  );
}

export function GraphView() {
  const loaded = useGraphs((s) => s.loaded);
  const error = useGraphs((s) => s.error);
  const detailError = useGraphs((s) => s.detailError);
  const detail = useGraphs(selectGraphDetail);
  const selectedId = useGraphs((s) => s.selectedId);
  return (
    <div className="graph-view" data-testid="graph-view" data-graph-id={detail ? selectedId : undefined}>
      {!loaded ? (
        <div className="empty">
          <span className="spinner" /> Loading graphs…
        </div>
      ) : error ? (
        <div className="error-box">Could not load graphs: {error}</div>
      ) : detailError ? (
        <div className="error-box">Could not load {selectedId}: {detailError}</div>
      ) : !selectedId ? (
        <div className="empty">No graph: open a project with a langgraph.json.</div>
      ) : !detail ? (
        <div className="empty">
          <span className="spinner" /> Loading {selectedId}…
        </div>
      ) : (
        <ReactFlowProvider>
          <Chart />
        </ReactFlowProvider>
      )}
      <div className="graph-legend" title="Click a node: breakpoint before it. Shift-click: after it.">
        <span>
          <i className="legend-line" /> edge
        </span>
        <span>
          <i className="legend-line dashed" /> conditional
        </span>
        <span>
          <i className="bp bp-before static" /> breakpoint: click / shift-click
        </span>
      </div>
    </div>
  );
}
