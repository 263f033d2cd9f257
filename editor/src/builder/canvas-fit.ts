// How the canvas frames a flow: "Fit" (toolbar and zoom controls), the opening view and read-only pictures all
// use these options, so a flow is framed the same way everywhere.
import type { FitViewOptions, Rect, Viewport } from "@xyflow/react";

/**
 * Screen pixels kept free around the flow. A fraction of the pane (React Flow's 0.1 default, 0.15 here before)
 * left a card's border on the pane's edge in a short canvas; the left side also clears the zoom controls.
 */
export const FIT_PADDING_PX = { top: 40, right: 40, bottom: 40, left: 64 } as const;

const px = (value: number) => `${value}px` as const;

/**
 * `includeHiddenNodes`: React Flow otherwise fits only the nodes it has measured, and with
 * `onlyRenderVisibleElements` a node that was never on screen has not been measured, so it was left out of
 * the fit and stayed cut off at the edge; with it such a node counts at its initial size.
 */
export const FIT_VIEW_OPTIONS = {
  padding: {
    top: px(FIT_PADDING_PX.top),
    right: px(FIT_PADDING_PX.right),
    bottom: px(FIT_PADDING_PX.bottom),
    left: px(FIT_PADDING_PX.left),
  },
  maxZoom: 1,
  includeHiddenNodes: true,
} satisfies FitViewOptions;

/** One axis of `readableViewport`: the offset that centres `focus` but leaves no empty margin past the flow. */
function axisOffset(
  start: number,
  size: number,
  focus: number,
  pane: number,
  zoom: number,
  before: number,
  after: number,
): number {
  // The whole extent fits: centre it.
  if (size * zoom <= pane - before - after) return (pane - size * zoom) / 2 - start * zoom;
  const centred = pane / 2 - focus * zoom;
  const firstEdgeAtPadding = before - start * zoom;
  const lastEdgeAtPadding = pane - after - (start + size) * zoom;
  return Math.min(firstEdgeAtPadding, Math.max(lastEdgeAtPadding, centred));
}

/**
 * The view at `zoom` for a flow that does not fit at a readable zoom: centred on `focus` (the start node), but
 * moved so the flow's first row and column are not cut off when they would be: the start node sat at a fixed
 * point before, which cut the top row of the support flow in half.
 */
export function readableViewport(
  bounds: Rect,
  focus: Rect | undefined,
  pane: { readonly width: number; readonly height: number },
  zoom: number,
): Viewport {
  const centre = focus
    ? { x: focus.x + focus.width / 2, y: focus.y + focus.height / 2 }
    : { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 };
  const { top, right, bottom, left } = FIT_PADDING_PX;
  return {
    x: axisOffset(bounds.x, bounds.width, centre.x, pane.width, zoom, left, right),
    y: axisOffset(bounds.y, bounds.height, centre.y, pane.height, zoom, top, bottom),
    zoom,
  };
}
