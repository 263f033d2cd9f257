import { useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, type RefObject } from "react";

/** Labels keep their screen size down to this zoom, then shrink with the canvas (cards are boxes below 40 %). */
export const LABEL_MIN_ZOOM = 0.4;

const labelScale = (state: ReactFlowState) => 1 / Math.min(1, Math.max(LABEL_MIN_ZOOM, state.transform[2]));
/** Tags that must stay readable on plain boxes (a diff's marks) keep their size further out, to this zoom. */
const TAG_MIN_ZOOM = 0.1;
const tagScale = (state: ReactFlowState) => 1 / Math.min(1, Math.max(TAG_MIN_ZOOM, state.transform[2]));

/**
 * Writes the edge labels' counter-scale into one CSS variable on the canvas, so a zoom re-renders one hook
 * instead of every edge (a 1,000-edge flow would otherwise render 1,000 labels per wheel tick).
 */
export function useLabelScale(canvas: RefObject<HTMLElement | null>): void {
  const scale = useStore(labelScale);
  const tag = useStore(tagScale);
  useEffect(() => {
    canvas.current?.style.setProperty("--fdb-label-scale", scale.toFixed(3));
    canvas.current?.style.setProperty("--fdb-tag-scale", tag.toFixed(3));
  }, [canvas, scale, tag]);
}
