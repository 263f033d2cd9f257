import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps } from "@xyflow/react";
import { memo, useMemo } from "react";
import { useBuilderStores, useSession } from "./builder-context";
import { edgeTitle, type FlowEdge } from "./canvas-elements";
import { labelOffsets } from "./label-placement";
import { zoomedOut } from "./node-card";

/**
 * An edge with its branch name (`refund`, `fallback`, `timeout`) or a short form of its condition as an HTML
 * label. React Flow's SVG label shrinks with the zoom, so at the zoom a 20-node flow opens with it was
 * unreadable; this one is scaled by `--fdb-label-scale` (set once per zoom on the canvas, `use-label-scale.ts`)
 * to keep its size on screen. The places along the edge it may move to (`label-placement.ts`) are written on
 * it for the spacing pass (`use-label-spacing.ts`); the full condition is its tooltip. Below the zoom where
 * cards turn into plain boxes (`DETAIL_MIN_ZOOM`) there is no label, as in the overview.
 */
export const BranchEdge = memo(function BranchEdge(props: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath(props);
  // Where cards are plain boxes their names are gone too, and labels only piled up below the flow.
  const simple = useStore(zoomedOut);
  const label = typeof props.label === "string" && !simple ? props.label : undefined;
  const end = props.data?.labelEnd ?? "middle";
  const offsets = useMemo(
    () =>
      labelOffsets(path, end)
        .map(({ dx, dy }) => `${dx},${dy}`)
        .join(";"),
    [path, end],
  );
  const { session } = useBuilderStores();
  // The path a test run or a run's trace took stays drawn: both ends ran (a branch's other targets did not).
  const taken = useSession((s) => Boolean(s.trace[props.source] && s.trace[props.target]));
  const title = props.data ? edgeTitle(props.data.edge) : label;
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
      {/* The edge's own tooltip: its label may be hidden where labels crowd (`label-placement.ts`). */}
      {title !== undefined && <title>{title}</title>}
      {label !== undefined && (
        <EdgeLabelRenderer>
          <div
            className={`fdb-edge-label${props.selected ? " fdb-edge-label--selected" : ""}`}
            data-testid={`edge-label-${props.id}`}
            data-label-offsets={offsets}
            title={title}
            // The label is the easiest part of an edge to hit: a click selects the edge, as on its line.
            onClick={() => session.getState().select([], [props.id])}
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
