import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { useSession } from "./builder-context";
import type { FlowEdge } from "./canvas-elements";

/**
 * An edge with its branch name (`refund`, `fallback`, `timeout`) as an HTML label. React Flow's SVG label
 * shrinks with the zoom, so at the zoom a 20-node flow opens with it was unreadable; this one is scaled by
 * `--fdb-label-scale` (set once per zoom on the canvas, `use-label-scale.ts`) to keep its size on screen, and
 * it shows a name, never the raw condition, so it stays short instead of being cut off.
 */
export const BranchEdge = memo(function BranchEdge(props: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath(props);
  const label = typeof props.label === "string" ? props.label : undefined;
  // The path a test run or a run's trace took stays drawn: both ends ran (a branch's other targets did not).
  const taken = useSession((s) => Boolean(s.trace[props.source] && s.trace[props.target]));
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        interactionWidth={16}
        className={taken ? "fdb-edge--taken" : undefined}
        data-taken={taken ? "true" : undefined}
      />
      {label !== undefined && (
        <EdgeLabelRenderer>
          <div
            className={`fdb-edge-label${props.selected ? " fdb-edge-label--selected" : ""}`}
            data-testid={`edge-label-${props.id}`}
            style={{
              transform: `translate(${labelX}px, ${labelY}px) scale(var(--fdb-label-scale, 1)) translate(-50%, -50%)`,
            }}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
