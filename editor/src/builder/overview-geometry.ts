import { getBezierPath, Position, type XYPosition } from "@xyflow/react";
import { CARD_HEIGHT_PX, CARD_WIDTH_PX, type FlowEdge, type FlowNodeData } from "./canvas-elements";

/**
 * What the overview needs of one React Flow node: its internal node (`nodeLookup`) has all of it. A structural
 * type, so tests can build one without React Flow's store.
 */
export interface OverviewNodeInput {
  readonly id: string;
  readonly data: FlowNodeData;
  readonly selected?: boolean;
  readonly measured?: { readonly width?: number; readonly height?: number };
  readonly initialWidth?: number;
  readonly initialHeight?: number;
  readonly internals: { readonly positionAbsolute: XYPosition };
}

export type OverviewStatus = "ok" | "warning" | "error";

/** One node as a box in flow coordinates. */
export interface OverviewBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly category: string;
  readonly status: OverviewStatus;
  readonly selected: boolean;
}

/** Edges are stroked in a few looks, one path each, so the overview strokes a handful of paths per frame. */
export type OverviewEdgeStyle = "plain" | "conditional" | "error-port" | "problem" | "selected";

export interface OverviewGeometry {
  readonly boxes: readonly OverviewBox[];
  /** SVG path data per look, every edge of that look in one string (for one `Path2D`). */
  readonly edgePaths: ReadonlyMap<OverviewEdgeStyle, string>;
}

export function overviewBoxes(nodes: Iterable<OverviewNodeInput>): OverviewBox[] {
  const boxes: OverviewBox[] = [];
  for (const node of nodes) {
    const { node: graphNode } = node.data;
    boxes.push({
      id: node.id,
      x: node.internals.positionAbsolute.x,
      y: node.internals.positionAbsolute.y,
      // The size React Flow measured, else the size it was told to assume (the same one its selection box uses).
      width: node.measured?.width ?? node.initialWidth ?? CARD_WIDTH_PX,
      height: node.measured?.height ?? node.initialHeight ?? CARD_HEIGHT_PX,
      category: graphNode.category,
      status: graphNode.errorCount > 0 ? "error" : graphNode.warningCount > 0 ? "warning" : "ok",
      selected: node.selected === true,
    });
  }
  return boxes;
}

function edgeStyle(edge: FlowEdge): OverviewEdgeStyle {
  const graphEdge = edge.data?.edge;
  if (edge.selected) return "selected";
  if (graphEdge?.hasProblem) return "problem";
  if (graphEdge?.port === "error") return "error-port";
  if (graphEdge?.condition) return "conditional";
  return "plain";
}

/**
 * Boxes and edge paths for the overview. Edges run from the middle of the source box's right side to the middle
 * of the target's left side, the curve React Flow draws, which is where a zoomed-out card has its handles.
 */
export function overviewGeometry(
  nodes: Iterable<OverviewNodeInput>,
  edges: readonly FlowEdge[],
): OverviewGeometry {
  const boxes = overviewBoxes(nodes);
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const parts = new Map<OverviewEdgeStyle, string[]>();
  for (const edge of edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target || edge.hidden) continue;
    const [path] = getBezierPath({
      sourceX: source.x + source.width,
      sourceY: source.y + source.height / 2,
      sourcePosition: Position.Right,
      targetX: target.x,
      targetY: target.y + target.height / 2,
      targetPosition: Position.Left,
    });
    const style = edgeStyle(edge);
    const list = parts.get(style);
    if (list) list.push(path);
    else parts.set(style, [path]);
  }
  const edgePaths = new Map([...parts].map(([style, list]) => [style, list.join(" ")] as const));
  return { boxes, edgePaths };
}

/**
 * The box under a point in flow coordinates: the one drawn last (on top) wins. A miss by less than `slop` (flow
 * units) still finds the nearest box, because zoomed far out a box is a few pixels tall.
 */
export function boxAt(boxes: readonly OverviewBox[], point: XYPosition, slop = 0): OverviewBox | undefined {
  let nearest: OverviewBox | undefined;
  let nearestDistance = slop;
  for (let i = boxes.length - 1; i >= 0; i -= 1) {
    const box = boxes[i]!;
    const dx = Math.max(box.x - point.x, 0, point.x - (box.x + box.width));
    const dy = Math.max(box.y - point.y, 0, point.y - (box.y + box.height));
    if (dx === 0 && dy === 0) return box;
    const distance = Math.hypot(dx, dy);
    if (distance < nearestDistance) {
      nearest = box;
      nearestDistance = distance;
    }
  }
  return nearest;
}
