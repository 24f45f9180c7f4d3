// Lays a graph drawing out with dagre, top to bottom. An expanded subgraph is laid out first on its own and
// becomes a box of that size in its parent's layout, so nesting never tangles the outer graph.
import { Graph, layout } from "@dagrejs/dagre";
import type { GraphDrawing, GraphDrawingNode } from "../../../shared/graph";

export interface PlacedNode {
  /** Unique across the whole drawing: "parent/child" inside a subgraph. */
  key: string;
  node: GraphDrawingNode;
  parentKey: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  /** An expanded subgraph: a box holding its nodes. */
  group: boolean;
}

export interface PlacedEdge {
  key: string;
  source: string;
  target: string;
  conditional: boolean;
  label?: string;
  /** Dagre's route, in absolute coordinates. */
  points: { x: number; y: number }[];
  /** The subgraph box the edge lies in (null at the top level); set while laying out. */
  frame: string | null;
}

const NODE_W = 168;
const NODE_H = 40;
const TERMINAL_W = 96;
const TERMINAL_H = 30;
const PAD = 16;
const HEADER = 28;

export function layoutDrawing(drawing: GraphDrawing, expanded: ReadonlySet<string>) {
  const nodes: PlacedNode[] = [];
  const edges: PlacedEdge[] = [];
  const size = place(drawing, "", null, expanded, nodes, edges);
  // Edges were routed inside their own box: move their points to the page's coordinates.
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const absolute = (key: string | null): { x: number; y: number } => {
    const node = key ? byKey.get(key) : undefined;
    if (!node) return { x: 0, y: 0 };
    const parent = absolute(node.parentKey);
    return { x: parent.x + node.x, y: parent.y + node.y };
  };
  for (const edge of edges) {
    if (!edge.frame) continue;
    const origin = absolute(edge.frame);
    edge.points = edge.points.map((p) => ({ x: p.x + origin.x + PAD, y: p.y + origin.y + HEADER }));
  }
  return { nodes, edges, width: size.width, height: size.height };
}

function place(
  drawing: GraphDrawing,
  prefix: string,
  parentKey: string | null,
  expanded: ReadonlySet<string>,
  out: PlacedNode[],
  edges: PlacedEdge[],
): { width: number; height: number } {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 44, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));

  const inner = new Map<string, { nodes: PlacedNode[]; width: number; height: number }>();
  for (const node of drawing.nodes) {
    const key = prefix + node.id;
    let width = node.kind === "node" || !node.kind ? NODE_W : TERMINAL_W;
    let height = node.kind === "node" || !node.kind ? NODE_H : TERMINAL_H;
    if (node.subgraph && expanded.has(key)) {
      const childNodes: PlacedNode[] = [];
      const childSize = place(node.subgraph, `${key}/`, key, expanded, childNodes, edges);
      width = Math.max(NODE_W, childSize.width + PAD * 2);
      height = childSize.height + PAD + HEADER;
      inner.set(key, { nodes: childNodes, width, height });
    }
    g.setNode(key, { width, height });
  }
  const mine: PlacedEdge[] = [];
  drawing.edges.forEach((edge, i) => {
    const source = prefix + edge.source;
    const target = prefix + edge.target;
    if (!g.hasNode(source) || !g.hasNode(target)) return;
    const key = `${prefix}e${i}:${edge.source}->${edge.target}`;
    g.setEdge(source, target, {}, key);
    mine.push({
      key,
      source,
      target,
      conditional: edge.conditional,
      ...(edge.label !== undefined ? { label: edge.label } : {}),
      points: [],
      frame: parentKey,
    });
  });
  layout(g);
  for (const edge of mine) {
    if (edge.source === edge.target) {
      // A node that loops to itself (a Command goto back to it): a small loop on its right side.
      const n = g.node(edge.source);
      const right = n.x + n.width / 2;
      const top = n.y - n.height / 2;
      edge.points = [
        { x: right, y: top + n.height * 0.3 },
        { x: right + 34, y: top - 4 },
        { x: right + 34, y: top + n.height + 4 },
        { x: right + 2, y: top + n.height * 0.72 },
      ];
    } else {
      edge.points = (g.edge(edge.source, edge.target, edge.key)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
    }
    edges.push(edge);
  }

  let maxX = 0;
  let maxY = 0;
  for (const node of drawing.nodes) {
    const key = prefix + node.id;
    const p = g.node(key);
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    maxX = Math.max(maxX, x + p.width);
    maxY = Math.max(maxY, y + p.height);
    const box = inner.get(key);
    out.push({ key, node, parentKey, x, y, width: p.width, height: p.height, group: !!box });
    // Children are placed relative to their box (React Flow's parentId positions).
    if (box) for (const child of box.nodes) out.push(child.parentKey === key ? { ...child, x: child.x + PAD, y: child.y + HEADER } : child);
  }
  return { width: maxX, height: maxY };
}
