// How the canvas frames a flow: "Fit" (toolbar and zoom controls), the opening view and read-only pictures all
// use these options, so a flow is framed the same way everywhere.
import {
  getViewportForBounds,
  type FitViewOptions,
  type ReactFlowInstance,
  type ReactFlowState,
  type Rect,
  type Viewport,
} from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { OVERVIEW_MIN_NODES } from "./overview-mode";

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

/**
 * "Fit" (toolbar, zoom controls, Shift+1, after auto-layout) goes no further out than this. React Flow's own
 * fitView stops at the canvas's minZoom (0.5 by default, 0.25 in many React Flow apps) in the same way; this
 * floor is where a plain box still carries its name at a size read on screen (`zoomed-out-names.ts`: from about
 * 26 % its line no longer fits the box). Below it the seed support flow fitted into a 900 × 600 window was
 * blank boxes at 23 %; at 30 % its names read and at most its last row is left below the view, a scroll or
 * minimap away. Zooming out by wheel or the "−" control still goes further.
 */
export const FIT_MIN_ZOOM = 0.3;

/**
 * The floor for a flow of `nodeCount` nodes: FIT_MIN_ZOOM, except where the zoomed-out flow is the canvas
 * overview (`overview-mode.ts`), whose boxes carry no names to keep legible; there "Fit" still shows every one
 * of 1,000 nodes, the view the overview is for.
 */
export const fitMinZoomFor = (nodeCount: number): number =>
  nodeCount >= OVERVIEW_MIN_NODES ? 0 : FIT_MIN_ZOOM;

/** How long a "Fit" the user asked for glides, so the flow is seen to move rather than jump. */
export const FIT_DURATION_MS = 200;

type Pane = { readonly width: number; readonly height: number };

/**
 * The view "Fit" shows: the whole flow inside FIT_PADDING_PX when that takes no zoom below `minZoom`, else
 * `readableViewport` at `minZoom` (the start node's part of the flow, its first row and column inside the
 * padding). `zoomRange` is the canvas's own limits.
 */
export function fitViewport(
  bounds: Rect,
  focus: Rect | undefined,
  pane: Pane,
  minZoom: number,
  zoomRange: { readonly min: number; readonly max: number },
): Viewport {
  const fitted = getViewportForBounds(
    bounds,
    pane.width,
    pane.height,
    zoomRange.min,
    Math.min(zoomRange.max, FIT_VIEW_OPTIONS.maxZoom),
    FIT_VIEW_OPTIONS.padding,
  );
  return fitted.zoom >= minZoom ? fitted : readableViewport(bounds, focus, pane, minZoom);
}

/**
 * Moves the canvas to `fitViewport` for every node (unmeasured ones at their initial size, as
 * `includeHiddenNodes` counts them) in one move: React Flow's fitView and then a second move to the floor
 * animated twice, out and back in.
 */
export async function fitFlow(
  flow: ReactFlowInstance<FlowNode, FlowEdge>,
  state: Pick<ReactFlowState, "width" | "height" | "minZoom" | "maxZoom">,
  minZoom: number,
  durationMs?: number,
): Promise<boolean> {
  const nodes = flow.getNodes();
  if (nodes.length === 0 || state.width === 0 || state.height === 0) return false;
  const start = nodes.find((n) => n.data.node.type === "start") ?? nodes[0];
  const viewport = fitViewport(
    flow.getNodesBounds(nodes),
    start ? flow.getNodesBounds([start]) : undefined,
    state,
    minZoom,
    { min: state.minZoom, max: state.maxZoom },
  );
  return flow.setViewport(viewport, durationMs === undefined ? undefined : { duration: durationMs });
}
