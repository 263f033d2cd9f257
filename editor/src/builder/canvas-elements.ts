import type { Edge, Node } from "@xyflow/react";
import { ERROR_PORT } from "@flowdeck/schemas";
import type { BuilderGraph, GraphEdge, GraphNode } from "./graph-model";

export type FlowNodeData = { readonly node: GraphNode };
export type FlowNode = Node<FlowNodeData, "flowdeck">;
export type FlowEdgeData = { readonly edge: GraphEdge };
export type FlowEdge = Edge<FlowEdgeData>;

/**
 * The size a card has before React Flow measures it. With it, `onlyRenderVisibleElements` can leave off-screen
 * nodes out of the very first render; without it every node is rendered once to be measured.
 */
export const CARD_WIDTH_PX = 180;
export const CARD_HEIGHT_PX = 58;

/** An edge's own `label:` longer than this is cut; branch names (≤ 64, usually short) are shown whole. */
export const EDGE_LABEL_MAX_CHARS = 40;

function sameNode(a: GraphNode, b: GraphNode): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.index === b.index &&
    a.type === b.type &&
    a.title === b.title &&
    a.category === b.category &&
    a.icon === b.icon &&
    a.description === b.description &&
    a.placed === b.placed &&
    a.knownType === b.knownType &&
    a.errorCount === b.errorCount &&
    a.warningCount === b.warningCount &&
    a.firstProblem === b.firstProblem &&
    a.outputs.join("\u0000") === b.outputs.join("\u0000") &&
    handleKey(a) === handleKey(b)
  );
}

const handleKey = (node: GraphNode) => node.handles.map((h) => `${h.id}=${h.label}`).join("\u0000");

function sameEdge(a: GraphEdge, b: GraphEdge): boolean {
  return (
    a.id === b.id &&
    a.source === b.source &&
    a.target === b.target &&
    a.port === b.port &&
    a.condition === b.condition &&
    a.label === b.label &&
    a.handle === b.handle &&
    a.branch === b.branch &&
    a.hasProblem === b.hasProblem
  );
}

/**
 * The canvas arrays for a new graph, reusing every node and edge object that did not change. React Flow and the
 * memoised node cards compare by identity, so one edit in a 1,000-node flow re-renders one card, not all.
 * Selection and measured sizes (session state) carry over from the previous arrays.
 */
export function reconcileNodes(previous: readonly FlowNode[], graph: BuilderGraph): FlowNode[] {
  const byId = new Map(previous.map((n) => [n.id, n]));
  return graph.nodes.map((node) => {
    const prev = byId.get(node.id);
    if (!prev) {
      return {
        id: node.id,
        type: "flowdeck",
        position: node.position,
        data: { node },
        initialWidth: CARD_WIDTH_PX,
        initialHeight: CARD_HEIGHT_PX,
        ariaLabel: `${node.title} node ${node.name}`,
      };
    }
    const data = sameNode(prev.data.node, node) ? prev.data : { node };
    const moved = prev.position.x !== node.position.x || prev.position.y !== node.position.y;
    if (data === prev.data && !moved) return prev;
    return { ...prev, data, position: moved ? node.position : prev.position };
  });
}

/**
 * The branch's name (`refund`, `fallback`, `then`, `timeout`), or the edge's own `label:`. Never the raw CEL:
 * `output.route == 'faq'` overlapped its neighbours and was cut off; the condition is edited in the inspector.
 */
export function edgeLabel(edge: GraphEdge): string | undefined {
  if (edge.label !== undefined) {
    const oneLine = edge.label.replace(/\s+/g, " ").trim();
    return oneLine.length > EDGE_LABEL_MAX_CHARS ? `${oneLine.slice(0, EDGE_LABEL_MAX_CHARS - 1)}…` : oneLine;
  }
  return edge.branch;
}

export function reconcileEdges(previous: readonly FlowEdge[], graph: BuilderGraph): FlowEdge[] {
  const byId = new Map(previous.map((e) => [e.id, e]));
  return graph.edges.map((edge) => {
    const prev = byId.get(edge.id);
    if (prev?.data && sameEdge(prev.data.edge, edge)) return prev;
    const label = edgeLabel(edge);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: "branch",
      sourceHandle: edge.handle,
      ...(label === undefined ? {} : { label }),
      className: [
        edge.port === ERROR_PORT ? "fdb-edge--error-port" : "",
        edge.condition ? "fdb-edge--conditional" : "",
        edge.hasProblem ? "fdb-edge--problem" : "",
      ]
        .filter(Boolean)
        .join(" "),
      data: { edge },
      selected: prev?.selected ?? false,
      ariaLabel: `Edge from ${edge.source} to ${edge.target}${label ? ` (${label})` : ""}`,
    };
  });
}
