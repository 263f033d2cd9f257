import type { LayoutPosition } from "@flowdeck/schemas";
import ELK from "elkjs/lib/elk.bundled.js";
import type { FlowEdge, FlowNode } from "./canvas-elements";

/** Size of a card that has not been measured yet (elk needs a size for every node). */
const DEFAULT_CARD_PX = { width: 180, height: 64 };
/** Space between layers (left to right) and between nodes in a layer, in canvas pixels. */
const LAYER_SPACING_PX = 80;
const NODE_SPACING_PX = 40;

/**
 * Left-to-right layered layout (elk "layered", the Sugiyama method), with each edge leaving through its port.
 * This module is imported only when the user asks for a layout, so elk is not in the initial bundle.
 */
export async function layoutGraph(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
): Promise<Array<{ id: string; position: LayoutPosition }>> {
  const elk = new ELK();
  const result = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": String(LAYER_SPACING_PX),
      "elk.spacing.nodeNode": String(NODE_SPACING_PX),
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: nodes.map((node) => ({
      id: node.id,
      width: node.measured?.width ?? DEFAULT_CARD_PX.width,
      height: node.measured?.height ?? DEFAULT_CARD_PX.height,
    })),
    edges: edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  return (result.children ?? []).map((child) => ({
    id: child.id,
    position: { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) },
  }));
}
