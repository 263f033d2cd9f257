import { useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, type RefObject } from "react";

/** Above this many labels on screen the pass is skipped: a flow that size is read zoomed in, in pieces. */
export const LABEL_SPACING_MAX = 300;
/** Screen pixels kept between two labels. */
const GAP_PX = 2;

// Anything that moves a label: the viewport, node positions and sizes, the edges themselves.
const layoutKey = (s: ReactFlowState) => s.transform.join(",");
const nodesKey = (s: ReactFlowState) => s.nodes;
const edgesKey = (s: ReactFlowState) => s.edges;

/**
 * Edge labels sit at their edge's middle, and two edges between nearby nodes have nearby middles: in the support
 * flow "answer" was hidden exactly behind "then". After every change this moves a label that overlaps one above
 * it down until it is free (greedy, top to bottom; screen pixels turned into a `margin-top` in flow units), so
 * every branch name stays readable. DOM measurements, once per frame, only while labels are shown.
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
      for (const label of labels) label.style.marginTop = "";
      const measured = labels
        .map((element) => ({ element, rect: element.getBoundingClientRect() }))
        .sort((a, b) => a.rect.top - b.rect.top || a.rect.left - b.rect.left);
      // Cards are obstacles too: a label at a middle that falls behind a card moves below it.
      const placed: Array<{ left: number; right: number; top: number; bottom: number }> = [
        ...root.querySelectorAll<HTMLElement>(".react-flow__node"),
      ].map((node) => node.getBoundingClientRect());
      for (const { element, rect } of measured) {
        let top = rect.top;
        const height = rect.height;
        for (let moved = true, guard = 0; moved && guard < 50; guard++) {
          moved = false;
          for (const other of placed) {
            const across = rect.left < other.right + GAP_PX && rect.right > other.left - GAP_PX;
            const down = top < other.bottom + GAP_PX && top + height > other.top - GAP_PX;
            if (across && down) {
              top = other.bottom + GAP_PX;
              moved = true;
            }
          }
        }
        if (top !== rect.top) element.style.marginTop = `${(top - rect.top) / zoom}px`;
        placed.push({ left: rect.left, right: rect.right, top, bottom: top + height });
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [canvas, enabled, viewport, nodes, edges, zoom]);
}
