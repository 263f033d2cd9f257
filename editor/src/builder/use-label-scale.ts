import { useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, type RefObject } from "react";
import { DETAIL_MIN_ZOOM, zoomedOut } from "./node-card";
import { cardName, zoomedOutName } from "./zoomed-out-names";

/** Labels keep their screen size down to this zoom, then shrink with the canvas (cards are boxes below 40 %). */
export const LABEL_MIN_ZOOM = 0.4;

const labelScale = (state: ReactFlowState) => 1 / Math.min(1, Math.max(LABEL_MIN_ZOOM, state.transform[2]));
/** Tags that must stay readable on plain boxes (a diff's marks) keep their size further out, to this zoom. */
const TAG_MIN_ZOOM = 0.1;
const tagScale = (state: ReactFlowState) => 1 / Math.min(1, Math.max(TAG_MIN_ZOOM, state.transform[2]));
// Plain boxes exist only below DETAIL_MIN_ZOOM, so above it the size stays put and zooming writes nothing.
const plainName = (state: ReactFlowState) => zoomedOutName(Math.min(DETAIL_MIN_ZOOM, state.transform[2]));
const plainNameSize = (state: ReactFlowState) => plainName(state).fontPx.toFixed(2);
const plainNameShown = (state: ReactFlowState) => plainName(state).shown;
// A full card's name is counter-scaled only between the detail zoom and ~79 %; outside that the text stays put.
const cardNameSize = (state: ReactFlowState) =>
  cardName(Math.max(DETAIL_MIN_ZOOM, state.transform[2])).fontPx.toFixed(2);

/**
 * Writes the zoom's counter-scales into CSS variables on the canvas, so a zoom re-renders one hook instead of
 * every edge and card (a 1,000-edge flow would otherwise render 1,000 labels per wheel tick): the edge labels'
 * and diff tags' scale, the size of a plain box's name and of a full card's (`zoomed-out-names.ts`), and
 * `data-zoomed-out` while cards are plain boxes (edges then keep a visible stroke, builder.css).
 */
export function useLabelScale(canvas: RefObject<HTMLElement | null>): void {
  const scale = useStore(labelScale);
  const tag = useStore(tagScale);
  const nameSize = useStore(plainNameSize);
  const nameShown = useStore(plainNameShown);
  const cardNamePx = useStore(cardNameSize);
  const simple = useStore(zoomedOut);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.style.setProperty("--fdb-label-scale", scale.toFixed(3));
    element.style.setProperty("--fdb-tag-scale", tag.toFixed(3));
    element.style.setProperty("--fdb-plain-name-size", `${nameSize}px`);
    element.style.setProperty("--fdb-plain-name-display", nameShown ? "block" : "none");
    element.style.setProperty("--fdb-card-name-size", `${cardNamePx}px`);
    element.toggleAttribute("data-zoomed-out", simple);
  }, [canvas, scale, tag, nameSize, nameShown, cardNamePx, simple]);
}
