import type { ReactFlowInstance, ReactFlowState, XYPosition } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { DETAIL_MIN_ZOOM } from "./node-card";

/**
 * From this many nodes, a canvas zoomed out below DETAIL_MIN_ZOOM is drawn as an overview: nodes and edges on
 * one <canvas> instead of ~2,000 DOM and SVG elements, which headless Chromium composites in software at about
 * 20 fps while panning. Smaller flows keep their DOM boxes (cheap enough, and draggable).
 */
export const OVERVIEW_MIN_NODES = 200;
/** Where a double-click or Enter in the overview takes the canvas: cards at their natural size. */
export const OVERVIEW_OPEN_ZOOM = 1;
/** A click this close to a box (CSS pixels) still picks it: zoomed far out a box is a few pixels tall. */
export const OVERVIEW_HIT_SLOP_PX = 4;

export const inOverview = (state: ReactFlowState) =>
  state.transform[2] < DETAIL_MIN_ZOOM && state.nodes.length >= OVERVIEW_MIN_NODES;

const OPEN_DURATION_MS = 250;

/** Leaves the overview for the cards around `point` (flow coordinates): a double-click or Enter. */
export function zoomInFromOverview(
  flow: Pick<ReactFlowInstance<FlowNode, FlowEdge>, "setCenter">,
  point: XYPosition,
): void {
  void flow.setCenter(point.x, point.y, { zoom: OVERVIEW_OPEN_ZOOM, duration: OPEN_DURATION_MS });
}
