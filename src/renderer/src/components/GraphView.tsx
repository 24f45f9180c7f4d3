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
import { graphSelectors, useGraphs } from "../stores/graphs";
import { formatMs, runSelectors, useRun, type NodeState } from "../stores/run";
import { useShownGraph, type ShownGraph } from "../stores/shown-graph";
import { threadSelectors, useThreads } from "../stores/threads";
import { uiSelectors, useUi } from "../stores/ui";
import { selectCapability, useSource } from "../stores/source";

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
      title={data.kind === "node" && !data.nested ? "Click: pause before this node · Shift-click: pause after it" : undefined}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {data.before && <span className="bp bp-before" title="Breakpoint before this node" aria-hidden="true" />}
      <span className="gnode-label">{data.label}</span>
      <span className="sr-only">{nodeStatusText(data)}</span>
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
      {data.paused && (
        <span className="gnode-pause" title="The thread waits here" aria-hidden="true">
          paused
        </span>
      )}
      {data.after && <span className="bp bp-after" title="Breakpoint after this node" aria-hidden="true" />}
      <span className="sr-only">{nodeExtraText(data)}</span>
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
const edgeTypes = { routed: RoutedEdgeView };

/**
 * What a screen reader hears besides the visible label and duration: the kind and run status first,
 * breakpoints and the keys after (the accessible name is the node's text, so it matches what is shown).
 */
function nodeStatusText(d: Pick<GraphNodeData, "kind" | "state">): string {
  return `${d.kind === "node" ? " node" : ""}${d.state ? `, ${d.state.status}` : ""} `;
}

function nodeExtraText(d: Pick<GraphNodeData, "kind" | "before" | "after" | "paused" | "nested">): string {
  const parts: string[] = [];
  if (d.before) parts.push("breakpoint before");
  if (d.after) parts.push("breakpoint after");
  if (d.paused) parts.push("the thread waits here");
  if (d.kind === "node" && !d.nested) parts.push("Enter: toggle breakpoint before, Shift+Enter: after");
  return parts.length ? `, ${parts.join(", ")}` : "";
}

function Chart({ graphId, detail }: { graphId: string; detail: NonNullable<ShownGraph["detail"]> }) {
  const breakpoints = useGraphs(graphSelectors.breakpoints(graphId));
  const toggleBreakpoint = useGraphs((s) => s.toggleBreakpoint);
  const states = useRun(runSelectors.nodes);
  const live = useRun(runSelectors.live);
  const pausedBefore = useThreads(threadSelectors.pausedBefore);
  const theme = useUi(uiSelectors.theme);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const flow = useReactFlow();

  const placed = useMemo(() => layoutDrawing(detail.drawing, expanded), [detail, expanded]);

  const nodes = useMemo<GraphNode[]>(() => {
    return placed.nodes.map((p) => {
      const kind = p.node.kind ?? "node";
      const nested = p.parentKey !== null;
      const before = !nested && has(breakpoints?.before, p.node.id);
      const after = !nested && has(breakpoints?.after, p.node.id);
      const paused = !live && !nested && pausedBefore.includes(p.node.id);
      const clickable = kind === "node" && !nested;
      return {
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
      ...(clickable ? { ariaRole: "button" as const } : {}),
      data: {
        label: p.node.label,
        kind,
        nodeId: p.key,
        hasSubgraph: !!p.node.subgraph,
        expanded: p.group,
        group: p.group,
        nested,
        state: states[p.key],
        paused,
        before,
        after,
        onToggle: () =>
          setExpanded((prev) => {
            const next = new Set(prev);
            if (next.has(p.key)) next.delete(p.key);
            else next.add(p.key);
            return next;
          }),
      },
      };
    });
  }, [placed, states, breakpoints, live, pausedBefore]);

  const edges = useMemo<RoutedEdge[]>(
    () =>
      placed.edges.map((e) => ({
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
      })),
    [placed],
  );

  useEffect(() => {
    const id = requestAnimationFrame(() => void flow.fitView({ padding: 0.18, duration: 0, maxZoom: 1.2 }));
    return () => cancelAnimationFrame(id);
  }, [placed, flow]);

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
      onKeyDown={(e) => {
        // A focused node: Enter or Space toggles its breakpoint, as a click does.
        if (e.key !== "Enter" && e.key !== " ") return;
        const id = (e.target as HTMLElement).closest<HTMLElement>(".react-flow__node")?.dataset.id;
        const node = nodes.find((n) => n.id === id);
        if (!node || node.data.kind !== "node" || node.data.nested) return;
        e.preventDefault();
        void toggleBreakpoint(graphId, node.id, e.shiftKey ? "after" : "before");
      }}
      onNodeClick={(event, node) => {
        const data = node.data as GraphNodeData;
        if (data.kind !== "node" || data.nested) return;
        void toggleBreakpoint(graphId, node.id, event.shiftKey ? "after" : "before");
      }}
    />
  );
}

export function GraphView() {
  const timings = useSource(selectCapability("timings"));
  const graphs = useSource(selectCapability("graphs"));
  const loaded = useGraphs(graphSelectors.loaded);
  const error = useGraphs(graphSelectors.error);
  const shown = useShownGraph();
  const { id, detail } = shown;
  return (
    <section className="graph-view" data-testid="graph-view" data-graph-id={detail ? id : undefined} data-own={shown.own || undefined} aria-label={id ? `Graph ${id}` : "Graph"}>
      {!loaded ? (
        <div className="empty">
          <span className="spinner" /> Loading graphs…
        </div>
      ) : !graphs.available ? (
        <div className="empty" data-testid="graph-unavailable">
          No graph to draw here: {graphs.reason}.
        </div>
      ) : error ? (
        <div className="error-box">Could not load graphs: {error}</div>
      ) : shown.error ? (
        <div className="error-box" data-testid="graph-missing">
          {shown.own ? `This thread ran ${id}, which cannot be drawn here: ${shown.error}` : `Could not load ${id}: ${shown.error}`}
        </div>
      ) : !id ? (
        <div className="empty">No graph: open a project with a langgraph.json.</div>
      ) : !detail ? (
        <div className="empty">
          <span className="spinner" /> Loading {id}…
        </div>
      ) : (
        <ReactFlowProvider>
          <Chart graphId={id} detail={detail} />
        </ReactFlowProvider>
      )}
      {id && detail && !shown.error && (
        <div className="graph-caption small" data-testid="graph-caption">
          {shown.own ? <>This thread&apos;s graph: <strong>{id}</strong></> : <>New thread graph: <strong>{id}</strong></>}
        </div>
      )}
      <div className="graph-legend" data-testid="graph-legend">
        <span>
          <i className="legend-line" aria-hidden="true" /> edge
        </span>
        <span>
          <i className="legend-line dashed" aria-hidden="true" /> conditional
        </span>
        <span>
          <i className="bp bp-before static" aria-hidden="true" /> click a node: pause <strong>before</strong> it
        </span>
        <span>
          <i className="bp bp-after static" aria-hidden="true" /> shift-click: pause <strong>after</strong> it
        </span>
        {!timings.available && (
          <span className="muted" data-testid="no-durations" title={timings.reason}>
            no node durations here
          </span>
        )}
      </div>
    </section>
  );
}
