import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
  useStoreApi,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
  type OnDelete,
  type ReactFlowState,
} from "@xyflow/react";
import { onCanvasFocus, onCanvasTab } from "./canvas-tab-order";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import type { BuilderActions } from "./builder-actions";
import { FIT_DURATION_MS, FIT_VIEW_OPTIONS, fitFlow } from "./canvas-fit";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { BranchEdge } from "./branch-edge";
import { CanvasOverview } from "./canvas-overview";
import { NodeCard } from "./node-card";
import { inOverview } from "./overview-mode";
import { useLabelScale } from "./use-label-scale";
import { useLabelSpacing } from "./use-label-spacing";
import { useOverviewPointer } from "./use-overview-pointer";

/** The drag-and-drop type the palette puts on the dataTransfer: the node type to create. */
export const PALETTE_DRAG_TYPE = "application/x-flowdeck-node-type";

const NODE_TYPES: NodeTypes = { flowdeck: NodeCard };
const EDGE_TYPES: EdgeTypes = { branch: BranchEdge };
/** Small enough to leave the canvas readable in the split view. */
const MINIMAP_SIZE = { width: 160, height: 110 };
/**
 * Below this pane size the minimap is left out: in the split view it covered a third of the canvas, and the
 * cards under it, after a fit.
 */
const MINIMAP_MIN_PANE_PX = { width: 560, height: 380 };
const roomyForMinimap = (s: ReactFlowState) =>
  s.width >= MINIMAP_MIN_PANE_PX.width && s.height >= MINIMAP_MIN_PANE_PX.height;
const DELETE_KEYS = ["Delete", "Backspace"];
/**
 * Below this zoom node names are too small to read (the 20-node order flow fitted to the split view opened at
 * 35 %, as nameless boxes). A flow that does not fit at this zoom opens at it, on its start node instead.
 */
export const READABLE_MIN_ZOOM = 0.7;

const minimapColor = (node: FlowNode) =>
  node.data.node.errorCount > 0 ? "#d93025" : (CATEGORY_COLORS[node.data.node.category] ?? "#8a8f98");

/** Category colours, also used by the node cards' CSS (builder.css keeps the same values). */
export const CATEGORY_COLORS: Record<string, string> = {
  flow: "#3b6fd8",
  ai: "#8a4fd8",
  logic: "#d88a1f",
  human: "#1f9d74",
  tools: "#5b6472",
};

/** From this many nodes the canvas opens at 100 % on the start node instead of fitting the whole flow. */
export const LARGE_FLOW_NODES = 200;
/** Where the start node sits when a large flow opens, in screen pixels from the canvas's top-left corner. */
const LARGE_FLOW_ORIGIN_PX = { x: 80, y: 240 };

function initialViewport(nodes: readonly FlowNode[], zoom = 1) {
  const start = nodes.find((n) => n.data.node.type === "start") ?? nodes[0];
  if (!start) return { x: 0, y: 0, zoom };
  return {
    x: LARGE_FLOW_ORIGIN_PX.x - start.position.x * zoom,
    y: LARGE_FLOW_ORIGIN_PX.y - start.position.y * zoom,
    zoom,
  };
}

/** A frame's four corners: the zoom controls' Fit (React Flow's own button would not stop at FIT_MIN_ZOOM). */
function FitIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="fdb-fit-icon">
      <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />
    </svg>
  );
}

export interface WorkflowCanvasProps {
  readonly actions: BuilderActions;
  /**
   * How far out the zoom controls' Fit may go. Default: the toolbar's Fit (`fitMinZoomFor`); 0 in a read-only
   * picture, which shows a whole version (a publish diff's changes may be anywhere in it).
   */
  readonly fitMinZoom?: number;
}

export function WorkflowCanvas({ actions, fitMinZoom }: WorkflowCanvasProps) {
  const { session } = useBuilderStores();
  const nodes = useSession((s) => s.nodes) as FlowNode[];
  const edges = useSession((s) => s.edges) as FlowEdge[];
  const readOnly = useSession((s) => s.readOnly);
  const focusNode = useSession((s) => s.focusNode);
  const viewMode = useSession((s) => s.viewMode);
  const parses = useDocument((s) => s.parses);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const flowStore = useStoreApi<FlowNode, FlowEdge>();
  const roomy = useStore(roomyForMinimap);
  const editable = !readOnly && parses;
  const overview = useStore(inOverview);
  const overviewPointer = useOverviewPointer(overview);
  const canvasRef = useRef<HTMLDivElement>(null);
  useLabelScale(canvasRef);
  useLabelSpacing(canvasRef, !overview);
  // Decided once, when the canvas mounts: fitting 1,000 nodes would render every one of them at a size nobody
  // can read, and opening would wait for all of them.
  const [opening] = useState(() =>
    nodes.length >= LARGE_FLOW_NODES
      ? { fit: false, viewport: initialViewport(nodes) }
      : { fit: true, viewport: undefined },
  );

  useEffect(() => {
    if (!focusNode) return;
    const node = flow.getNode(focusNode.id);
    if (!node) return;
    const width = node.measured?.width ?? 180;
    const height = node.measured?.height ?? 64;
    void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
      zoom: Math.max(flow.getZoom(), 1),
      duration: 250,
    });
  }, [focusNode, flow]);

  /**
   * Fits the flow, but never below a readable zoom: then it shows that zoom around the start node, with the
   * flow's first row and column inside the padding.
   */
  const fitReadable = useCallback(async () => {
    const fitted = await flow.fitView(FIT_VIEW_OPTIONS);
    if (fitted && flow.getZoom() < READABLE_MIN_ZOOM) {
      await fitFlow(flow, flowStore.getState(), READABLE_MIN_ZOOM);
    }
  }, [flow, flowStore]);

  // Fitted once the cards are measured (their sizes decide the fit), then never again by itself.
  const measured = useNodesInitialized();
  const fittedOnce = useRef(!opening.fit);
  useEffect(() => {
    if (!measured || fittedOnce.current) return;
    fittedOnce.current = true;
    void fitReadable();
  }, [measured]); // eslint-disable-line react-hooks/exhaustive-deps

  // A large flow's minimap (one shape per node) is drawn after the canvas has shown its first frame.
  const [minimap, setMinimap] = useState(() => !opening.viewport);
  useEffect(() => {
    performance.mark("flowdeck:canvas-mounted");
    if (minimap) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setMinimap(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [minimap]);

  // The canvas got narrower or wider (split view opened or closed): show the whole flow again.
  const firstMode = useRef(viewMode);
  useEffect(() => {
    if (viewMode === firstMode.current) return;
    firstMode.current = viewMode;
    const frame = requestAnimationFrame(() => void fitReadable());
    return () => cancelAnimationFrame(frame);
  }, [viewMode, flow]); // eslint-disable-line react-hooks/exhaustive-deps

  // A settled position (the end of a drag, or arrow keys on selected nodes) is written to the YAML's layout.
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      session.getState().applyNodeChanges(changes);
      const settled = changes.flatMap((change) =>
        change.type === "position" && change.dragging === false && change.position
          ? [{ id: change.id, position: change.position }]
          : [],
      );
      if (settled.length > 0) actions.moveNodes(settled);
    },
    [session, actions],
  );

  const onDelete: OnDelete<FlowNode, FlowEdge> = useCallback(
    ({ nodes: gone, edges: goneEdges }) => {
      actions.remove(
        gone.map((n) => n.id),
        goneEdges.map((e) => e.id),
      );
    },
    [actions],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // The pointer holds the card's top-left corner area, which is where the palette item was grabbed.
      actions.addNode(type, { x: at.x - 20, y: at.y - 20 });
    },
    [actions, flow],
  );

  return (
    <div
      ref={canvasRef}
      className={overview ? "fdb-canvas fdb-canvas--overview" : "fdb-canvas"}
      data-testid="canvas"
      onKeyDown={onCanvasTab}
      onFocus={onCanvasFocus}
      onDragOver={onDragOver}
      onDrop={onDrop}
      {...overviewPointer}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={session.getState().applyEdgeChanges}
        onConnect={actions.connect}
        onDelete={onDelete}
        nodesDraggable={editable}
        nodesConnectable={editable}
        deleteKeyCode={editable ? DELETE_KEYS : null}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        selectionKeyCode="Shift"
        onlyRenderVisibleElements
        zoomOnDoubleClick={!overview}
        fitViewOptions={FIT_VIEW_OPTIONS}
        {...(opening.viewport ? { defaultViewport: opening.viewport } : {})}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        aria-label="Workflow canvas"
      >
        <Background gap={20} />
        {overview && <CanvasOverview />}
        <Controls showInteractive={false} showFitView={false} aria-label="Zoom controls">
          <ControlButton
            className="react-flow__controls-fitview"
            onClick={() =>
              fitMinZoom === undefined
                ? actions.fitView()
                : void fitFlow(flow, flowStore.getState(), fitMinZoom, FIT_DURATION_MS)
            }
            title="Fit the flow in view"
            aria-label="Fit the flow in view"
          >
            <FitIcon />
          </ControlButton>
        </Controls>
        {minimap && roomy && (
          <MiniMap<FlowNode>
            pannable
            zoomable
            nodeColor={minimapColor}
            ariaLabel="Minimap"
            style={MINIMAP_SIZE}
          />
        )}
      </ReactFlow>
    </div>
  );
}
