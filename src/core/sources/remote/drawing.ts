// A graph's drawing as an Agent Server answers it (LangGraph's drawable graph as JSON, with xray:
// a subgraph's nodes named "parent:child", nested as deep as subgraphs go) as the drawing the graph
// view shows: each subgraph folded into its parent node.
import type { AssistantGraph } from "@langchain/langgraph-sdk";
import type { GraphDrawing, GraphDrawingEdge, GraphDrawingNode, GraphNodeKind } from "../../../shared/graph";

const START = "__start__";
const END = "__end__";

function kindOf(id: string): GraphNodeKind {
  return id === START ? "start" : id === END ? "end" : "node";
}

/** The first segment of a node id and the rest ("a:b:c" → ["a", "b:c"]); no rest for a plain id. */
function split(id: string): [string, string | null] {
  const at = id.indexOf(":");
  return at < 0 ? [id, null] : [id.slice(0, at), id.slice(at + 1)];
}

interface Flat {
  nodes: { id: string; label: string }[];
  edges: GraphDrawingEdge[];
}

function fold(flat: Flat): GraphDrawing {
  const own = new Map<string, GraphDrawingNode>();
  const inner = new Map<string, Flat>();
  const childOf = (prefix: string) => inner.get(prefix) ?? inner.set(prefix, { nodes: [], edges: [] }).get(prefix)!;
  for (const node of flat.nodes) {
    const [head, rest] = split(node.id);
    if (rest === null) own.set(head, { id: head, label: node.label, kind: kindOf(head) });
    else childOf(head).nodes.push({ id: rest, label: node.label.startsWith(`${head}:`) ? node.label.slice(head.length + 1) : node.label });
  }
  const edges: GraphDrawingEdge[] = [];
  const seen = new Set<string>();
  for (const edge of flat.edges) {
    const [sHead, sRest] = split(edge.source);
    const [tHead, tRest] = split(edge.target);
    if (sRest !== null && tRest !== null && sHead === tHead) {
      childOf(sHead).edges.push({ ...edge, source: sRest, target: tRest });
      continue;
    }
    // An edge into or out of a subgraph's inner node is drawn to the subgraph's node.
    const folded = { ...edge, source: sHead, target: tHead };
    const k = `${folded.source}\0${folded.target}\0${folded.conditional}`;
    if (!seen.has(k)) {
      seen.add(k);
      edges.push(folded);
    }
  }
  for (const [prefix, sub] of inner) {
    const node = own.get(prefix) ?? { id: prefix, label: prefix, kind: "node" as const };
    own.set(prefix, { ...node, subgraph: fold(sub) });
  }
  return { nodes: [...own.values()], edges };
}

export function toDrawing(graph: AssistantGraph): GraphDrawing {
  const nodes = graph.nodes.map((n) => ({ id: String(n.id), label: typeof n.name === "string" && n.name ? n.name : String(n.id) }));
  const edges = graph.edges.map((e) => ({
    source: String(e.source),
    target: String(e.target),
    conditional: e.conditional === true,
    ...(typeof e.data === "string" && e.data ? { label: e.data } : {}),
  }));
  return fold({ nodes, edges });
}
