import {
  Handle,
  Position,
  useStore,
  useUpdateNodeInternals,
  type NodeProps,
  type ReactFlowState,
} from "@xyflow/react";
import { memo, useEffect } from "react";
import { useSession } from "./builder-context";
import type { FlowNode } from "./canvas-elements";
import { cardName, cardTitle, plainBoxTitle } from "./zoomed-out-names";

/**
 * Below this zoom a card's own text is too small to read, so it is drawn as a plain coloured box that carries
 * only its name, counter-scaled to stay readable (`zoomed-out-names.ts`): a 1,000-node flow zoomed out to fit
 * then pans smoothly because each node is two elements instead of a dozen.
 */
export const DETAIL_MIN_ZOOM = 0.4;
export const zoomedOut = (state: ReactFlowState) => state.transform[2] < DETAIL_MIN_ZOOM;
/**
 * How a card is drawn at the canvas's zoom: a plain box below the detail zoom; "compact" (its name alone, at a
 * size read on screen) while its name no longer fits the head row; else the whole card.
 */
type CardLook = "plain" | "compact" | "full";
const cardLook = (state: ReactFlowState): CardLook => {
  const zoom = state.transform[2];
  if (zoom < DETAIL_MIN_ZOOM) return "plain";
  return cardName(zoom).compact ? "compact" : "full";
};

/** Vertical distance between output handles when a node has several (condition: then/else/error; router intents). */
export const PORT_SPACING_PX = 20;
/** Top of the first output handle: beside the title for one or two, below name and type for more. */
const firstPortTop = (count: number) => (count > 2 ? 54 : 20);

/**
 * One node on the canvas. Memoised on its props: React Flow passes the same `data` object while the node is
 * unchanged (see canvas-elements.ts), so in a 1,000-node flow only the nodes that changed render again.
 */
export const NodeCard = memo(function NodeCard({ id, data, selected }: NodeProps<FlowNode>) {
  const { node } = data;
  // React Flow measures handles only when the card resizes; a renamed intent is a new handle of the same card,
  // and its edge would not be drawn until it is told.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleIds = node.handles.map((h) => h.id).join("\u0000");
  useEffect(() => updateNodeInternals(id), [id, handleIds, updateNodeInternals]);
  // One store subscription per card for both switches; a card renders again only when its look changes.
  const look = useStore(cardLook);
  const traced = useSession((s) => s.trace[node.name]);
  const mark = useSession((s) => s.marks[node.name]);
  const traceClass = `${traced ? ` fdb-node--trace-${traced}` : ""}${mark ? ` fdb-node--mark-${mark}` : ""}`;
  const status = node.errorCount > 0 ? "error" : node.warningCount > 0 ? "warning" : "ok";
  const handles = node.handles;
  const top = firstPortTop(handles.length);
  const minHeight = handles.length > 2 ? top + handles.length * PORT_SPACING_PX - 6 : undefined;
  if (look === "plain") {
    return (
      <div
        className={`fdb-node fdb-node--simple fdb-node--${safeClass(node.category)} fdb-node--${status}${selected ? " fdb-node--selected" : ""}${traceClass}`}
        data-testid={`node-${node.name}`}
        data-node-name={node.name}
        data-mark={mark}
        title={plainBoxTitle(node, mark)}
      >
        {/* The name at a size read on screen (`--fdb-plain-name-size`), cut to the box's width: a fitted flow in
            a laptop window was a page of blank boxes. */}
        <span className="fdb-node__plain-name" data-testid={`node-plain-name-${node.name}`}>
          {node.name}
        </span>
        {/* A diff's mark stays readable on a plain box: a zoomed-out publish diff showed its changes as blank
            coloured boxes. Counter-scaled like the edge labels, so it keeps its size on screen. */}
        {mark && (
          <span className="fdb-node__mark-tag" data-testid={`node-mark-${node.name}`}>
            <strong>{mark}</strong> {node.name}
          </span>
        )}
        {/* Edges still need their ends; the handles are invisible at this size. */}
        <Handle type="target" position={Position.Left} id="in" className="fdb-handle fdb-handle--hidden" />
        {handles.map((handle) => (
          <Handle
            key={handle.id}
            type="source"
            position={Position.Right}
            id={handle.id}
            className="fdb-handle fdb-handle--hidden"
          />
        ))}
      </div>
    );
  }
  return (
    <div
      className={`fdb-node fdb-node--${safeClass(node.category)} fdb-node--${status}${selected ? " fdb-node--selected" : ""}${look === "compact" ? " fdb-node--compact" : ""}${traceClass}`}
      data-testid={`node-${node.name}`}
      data-node-name={node.name}
      data-trace={traced}
      data-mark={mark}
      title={cardTitle(node, mark)}
      style={minHeight ? { minHeight } : undefined}
    >
      <Handle type="target" position={Position.Left} id="in" className="fdb-handle fdb-handle--in" />
      <div className="fdb-node__head">
        <span className="fdb-node__icon" aria-hidden="true">
          {(node.title || node.type || "?").charAt(0).toUpperCase()}
        </span>
        {/* Read at 11 px on screen down to the detail zoom (`--fdb-card-name-size`, zoomed-out-names.ts); when
            compact it is the only text on the card, cut to its width, the whole of it in the tooltip. */}
        <span className="fdb-node__name">{node.name}</span>
        {/* In words too, so the difference does not rest on colour alone. */}
        {mark && <span className="fdb-node__mark">{mark}</span>}
      </div>
      <div className="fdb-node__type">{node.knownType ? node.title : `Unknown type "${node.type}"`}</div>
      {node.summary && (
        <div className="fdb-node__summary" data-testid={`node-summary-${node.name}`}>
          {node.summary}
        </div>
      )}
      {/* Compact, the mark's word would be too small to read: it goes above the card, as on a plain box. */}
      {mark && look === "compact" && (
        <span className="fdb-node__mark-tag" data-testid={`node-mark-${node.name}`}>
          <strong>{mark}</strong> {node.name}
        </span>
      )}
      {status !== "ok" && (
        <span
          className={`fdb-badge fdb-badge--${status}`}
          data-testid={`node-badge-${node.name}`}
          aria-label={badgeLabel(node.errorCount, node.warningCount)}
        >
          {node.errorCount > 0 ? `${node.errorCount} ✕` : `${node.warningCount} !`}
        </span>
      )}
      {handles.map((handle, i) => (
        <Handle
          key={handle.id}
          type="source"
          position={Position.Right}
          id={handle.id}
          className={`fdb-handle fdb-handle--out fdb-handle--${safeClass(handle.port)} fdb-handle--${handle.kind}${handles.length > 2 ? " fdb-handle--listed" : ""}`}
          data-testid={`handle-${node.name}-${handle.id}`}
          title={handle.kind === "item" ? `${handle.label} (draw an edge for this branch)` : handle.label}
          style={handles.length > 1 ? { top: top + i * PORT_SPACING_PX } : undefined}
        >
          {handles.length > 1 && <span className="fdb-handle__label">{handle.label}</span>}
        </Handle>
      ))}
    </div>
  );
});

function badgeLabel(errors: number, warnings: number): string {
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}

const safeClass = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, "-");
