import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { memo } from "react";
import { useSession } from "./builder-context";
import type { FlowNode } from "./canvas-elements";

/**
 * Below this zoom a card is too small to read, so it is drawn as a plain coloured box: a 1,000-node flow zoomed
 * out to fit then pans smoothly because each node is one element instead of a dozen.
 */
export const DETAIL_MIN_ZOOM = 0.4;
const zoomedOut = (state: ReactFlowState) => state.transform[2] < DETAIL_MIN_ZOOM;

/** Vertical distance between output handles when a node has several ports (condition: then/else/error). */
const PORT_SPACING_PX = 18;

/**
 * One node on the canvas. Memoised on its props: React Flow passes the same `data` object while the node is
 * unchanged (see canvas-elements.ts), so in a 1,000-node flow only the nodes that changed render again.
 */
export const NodeCard = memo(function NodeCard({ data, selected }: NodeProps<FlowNode>) {
  const { node } = data;
  const simple = useStore(zoomedOut);
  const traced = useSession((s) => s.trace[node.name]);
  const traceClass = traced ? ` fdb-node--trace-${traced}` : "";
  const status = node.errorCount > 0 ? "error" : node.warningCount > 0 ? "warning" : "ok";
  const ports = node.outputs;
  const minHeight = ports.length > 2 ? 28 + ports.length * PORT_SPACING_PX : undefined;
  if (simple) {
    return (
      <div
        className={`fdb-node fdb-node--simple fdb-node--${safeClass(node.category)} fdb-node--${status}${selected ? " fdb-node--selected" : ""}${traceClass}`}
        data-testid={`node-${node.name}`}
        data-node-name={node.name}
      >
        {/* Edges still need their ends; the handles are invisible at this size. */}
        <Handle type="target" position={Position.Left} id="in" className="fdb-handle fdb-handle--hidden" />
        {ports.map((port) => (
          <Handle
            key={port}
            type="source"
            position={Position.Right}
            id={port}
            className="fdb-handle fdb-handle--hidden"
          />
        ))}
      </div>
    );
  }
  return (
    <div
      className={`fdb-node fdb-node--${safeClass(node.category)} fdb-node--${status}${selected ? " fdb-node--selected" : ""}${traceClass}`}
      data-testid={`node-${node.name}`}
      data-node-name={node.name}
      data-trace={traced}
      title={node.firstProblem ?? node.description ?? undefined}
      style={minHeight ? { minHeight } : undefined}
    >
      <Handle type="target" position={Position.Left} id="in" className="fdb-handle fdb-handle--in" />
      <div className="fdb-node__head">
        <span className="fdb-node__icon" aria-hidden="true">
          {(node.title || node.type || "?").charAt(0).toUpperCase()}
        </span>
        <span className="fdb-node__name">{node.name}</span>
      </div>
      <div className="fdb-node__type">{node.knownType ? node.title : `Unknown type "${node.type}"`}</div>
      {status !== "ok" && (
        <span
          className={`fdb-badge fdb-badge--${status}`}
          data-testid={`node-badge-${node.name}`}
          aria-label={badgeLabel(node.errorCount, node.warningCount)}
        >
          {node.errorCount > 0 ? `${node.errorCount} ✕` : `${node.warningCount} !`}
        </span>
      )}
      {ports.map((port, i) => (
        <Handle
          key={port}
          type="source"
          position={Position.Right}
          id={port}
          className={`fdb-handle fdb-handle--out fdb-handle--${safeClass(port)}`}
          data-testid={`handle-${node.name}-${port}`}
          title={port}
          style={ports.length > 1 ? { top: 20 + i * PORT_SPACING_PX } : undefined}
        >
          {ports.length > 1 && <span className="fdb-handle__label">{port}</span>}
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
