import { useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, type RefObject } from "react";
import { placeLabels, type Offset } from "./label-placement";

/** Above this many labels on screen the pass is skipped: a flow that size is read zoomed in, in pieces. */
export const LABEL_SPACING_MAX = 300;
/** Screen pixels kept between two labels. */
const GAP_PX = 2;

// Anything that moves a label: the viewport, node positions and sizes, the edges themselves.
const layoutKey = (s: ReactFlowState) => s.transform.join(",");
const nodesKey = (s: ReactFlowState) => s.nodes;
const edgesKey = (s: ReactFlowState) => s.edges;

/** The places along its edge a label may take (`branch-edge.tsx` writes them, flow pixels: `dx,dy;dx,dy`). */
function offsetsOf(element: HTMLElement, zoom: number): Offset[] {
  const text = element.dataset.labelOffsets;
  if (!text) return [{ dx: 0, dy: 0 }];
  return text.split(";").map((pair) => {
    const [dx = 0, dy = 0] = pair.split(",").map(Number);
    return { dx: dx * zoom, dy: dy * zoom };
  });
}

/**
 * Edge labels are drawn at their edge's middle; after every change this pass moves each one along its edge to
 * its preferred end, or the nearest place that meets no card and no other label (`label-placement.ts`), so
 * every branch name stays readable: in the support flow "answer" was hidden exactly behind "then", and the
 * router's ten labels crowded one column. DOM measurements, once per frame, only while labels are shown; the
 * moves are margins in flow units, so they follow pan and zoom until the next pass.
 */
export function useLabelSpacing(canvas: RefObject<HTMLElement | null>, enabled: boolean): void {
  const viewport = useStore(layoutKey);
  const nodes = useStore(nodesKey);
  const edges = useStore(edgesKey);
  const zoom = useStore((s) => s.transform[2]);
  useEffect(() => {
    const root = canvas.current;
    if (!root || !enabled) return;
    const frame = requestAnimationFrame(() => {
      const labels = [...root.querySelectorAll<HTMLElement>(".fdb-edge-label")];
      if (labels.length > LABEL_SPACING_MAX) return;
      for (const label of labels) {
        label.style.marginTop = "";
        label.style.marginLeft = "";
        label.style.visibility = "";
      }
      const measured = labels.map((element) => ({
        element,
        rect: element.getBoundingClientRect(),
        offsets: offsetsOf(element, zoom),
      }));
      // Cards are obstacles too (and a diff's mark tags above plain boxes): a label at a place that falls
      // behind one takes another.
      const cards = [...root.querySelectorAll<HTMLElement>(".react-flow__node, .fdb-node__mark-tag")].map(
        (node) => node.getBoundingClientRect(),
      );
      // A card's head row (icon and name) is the part a label must cover least; a compact card's name is
      // taller than its row.
      const names = [
        ...root.querySelectorAll<HTMLElement>(".fdb-node__head, .fdb-node--compact .fdb-node__name"),
      ].map((head) => head.getBoundingClientRect());
      const placed = placeLabels(measured, cards, GAP_PX, names);
      measured.forEach(({ element }, i) => {
        const { dx, dy, hidden } = placed[i]!;
        if (dx !== 0) element.style.marginLeft = `${dx / zoom}px`;
        if (dy !== 0) element.style.marginTop = `${dy / zoom}px`;
        if (hidden) element.style.visibility = "hidden";
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [canvas, enabled, viewport, nodes, edges, zoom]);
}
