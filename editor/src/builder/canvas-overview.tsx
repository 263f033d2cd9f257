import { useReactFlow, useStore, useStoreApi } from "@xyflow/react";
import { useCallback, useLayoutEffect, useRef, type KeyboardEvent } from "react";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { overviewBoxes, overviewGeometry } from "./overview-geometry";
import { zoomInFromOverview } from "./overview-mode";
import {
  paintOverview,
  prepareOverview,
  readOverviewPalette,
  type PreparedOverview,
} from "./overview-painter";

/**
 * The zoomed-out canvas of a large flow: every node and edge drawn on one <canvas>, redrawn from React Flow's
 * store whenever the viewport, the nodes or the edges change (at most once a frame). React Flow's own node and
 * edge layers are hidden meanwhile (builder.css, `.fdb-canvas--overview`), and pointer events go to its pane:
 * panning, zooming and box selection work as before; clicks and double-clicks on boxes are
 * `useOverviewPointer`'s. For the keyboard the overview is one button: Enter zooms in on the selected node, or
 * on the middle, where the cards can be reached with Tab again.
 */
export function CanvasOverview() {
  const store = useStoreApi<FlowNode, FlowEdge>();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nodeCount = useStore((s) => s.nodes.length);
  const edgeCount = useStore((s) => s.edges.length);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    const palette = readOverviewPalette(canvas);
    let prepared: { nodes: unknown; edges: unknown; overview: PreparedOverview } | undefined;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const state = store.getState();
      if (!prepared || prepared.nodes !== state.nodes || prepared.edges !== state.edges) {
        const geometry = overviewGeometry(state.nodeLookup.values(), state.edges);
        prepared = { nodes: state.nodes, edges: state.edges, overview: prepareOverview(geometry) };
      }
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(state.width * ratio);
      const height = Math.round(state.height * ratio);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const [x, y, zoom] = state.transform;
      paintOverview(
        context,
        prepared.overview,
        palette,
        { x, y, zoom },
        { widthPx: state.width, heightPx: state.height },
        ratio,
      );
    };
    draw();
    const unsubscribe = store.subscribe((state, previous) => {
      const changed =
        state.transform !== previous.transform ||
        state.nodes !== previous.nodes ||
        state.edges !== previous.edges ||
        state.width !== previous.width ||
        state.height !== previous.height;
      if (changed && frame === 0) frame = requestAnimationFrame(draw);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLCanvasElement>) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      const { nodeLookup, transform, width, height } = store.getState();
      const selected = overviewBoxes(nodeLookup.values()).find((box) => box.selected);
      const [x, y, zoom] = transform;
      const centre = selected
        ? { x: selected.x + selected.width / 2, y: selected.y + selected.height / 2 }
        : { x: (width / 2 - x) / zoom, y: (height / 2 - y) / zoom };
      zoomInFromOverview(flow, centre);
    },
    [store, flow],
  );

  return (
    <canvas
      ref={canvasRef}
      className="fdb-overview"
      data-testid="canvas-overview"
      tabIndex={0}
      role="button"
      aria-label={`Overview of ${nodeCount} nodes and ${edgeCount} edges. Press Enter to zoom in on the selected node, or double-click a spot.`}
      onKeyDown={onKeyDown}
    />
  );
}
