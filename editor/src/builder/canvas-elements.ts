import type { Edge, Node } from "@xyflow/react";
import { ERROR_PORT } from "@flowdeck/schemas";
import { conditionSummary } from "./condition-summary";
import type { BuilderGraph, GraphEdge, GraphNode } from "./graph-model";
import { labelEnds, type LabelEnd } from "./label-placement";

export type FlowNodeData = { readonly node: GraphNode };
export type FlowNode = Node<FlowNodeData, "flowdeck">;
/** `labelEnd`: the end of the edge its label is drawn nearer (`label-placement.ts`). */
export type FlowEdgeData = { readonly edge: GraphEdge; readonly labelEnd?: LabelEnd };
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
    a.summary === b.summary &&
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

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * The edge's own `label:`, else the branch's name (`refund`, `fallback`, `then`, `timeout`), else for any other
 * condition a short form of it (`outcome = escalated`, `condition-summary.ts`). Never the whole raw CEL, which
 * overlapped its neighbours and was cut off; nor just "condition", which said nothing. `edgeTitle` is the rest.
 */
export function edgeLabel(edge: GraphEdge): string | undefined {
  if (edge.label !== undefined) {
    const text = oneLine(edge.label);
    return text.length > EDGE_LABEL_MAX_CHARS ? `${text.slice(0, EDGE_LABEL_MAX_CHARS - 1)}…` : text;
  }
  if (edge.branch === CONDITION_BRANCH && edge.condition !== undefined)
    return conditionSummary(edge.condition);
  return edge.branch;
}

/** What `edgeLabel` named branches after, for a condition that is not one (`@flowdeck/schemas` `edgeBranch`). */
const CONDITION_BRANCH = "condition";

/** The label's tooltip: the whole label and the whole condition (`faq: output.route == 'faq'`). */
export function edgeTitle(edge: GraphEdge): string | undefined {
  const name = edge.label !== undefined ? oneLine(edge.label) : edge.branch;
  const condition = edge.condition === undefined ? undefined : oneLine(edge.condition);
  if (condition === undefined) return name;
  return name === undefined || name === CONDITION_BRANCH ? condition : `${name}: ${condition}`;
}

export function reconcileEdges(previous: readonly FlowEdge[], graph: BuilderGraph): FlowEdge[] {
  const byId = new Map(previous.map((e) => [e.id, e]));
  const ends = labelEnds(graph.edges, (edge) => edgeLabel(edge) !== undefined);
  return graph.edges.map((edge) => {
    const prev = byId.get(edge.id);
    const labelEnd = ends.get(edge.id) ?? "middle";
    if (prev?.data && sameEdge(prev.data.edge, edge) && prev.data.labelEnd === labelEnd) return prev;
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
      data: { edge, labelEnd },
      selected: prev?.selected ?? false,
      ariaLabel: `Edge from ${edge.source} to ${edge.target}${label ? ` (${edgeTitle(edge)})` : ""}`,
    };
  });
}
