import { useReactFlow, useStoreApi } from "@xyflow/react";
import { useCallback, useMemo, useRef, type MouseEvent, type PointerEvent } from "react";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { boxAt, overviewBoxes, type OverviewBox } from "./overview-geometry";
import { OVERVIEW_HIT_SLOP_PX, zoomInFromOverview } from "./overview-mode";

/** A press that moves further than this (CSS pixels) before the click is a pan or a box selection. */
const CLICK_SLOP_PX = 3;

interface Press {
  readonly x: number;
  readonly y: number;
  readonly selectedIds: readonly string[];
}

const onPane = (event: MouseEvent) =>
  event.target instanceof Element && event.target.classList.contains("react-flow__pane");

/**
 * Clicks in the overview (canvas-overview.tsx), where no node elements exist to receive them: handlers for the
 * element around React Flow. They run after React Flow's pane has handled the click (which clears the
 * selection, as a click on empty canvas does), then select the box under the pointer; Ctrl, Cmd or Shift adds
 * it to the selection held when the button went down, or takes it out. A double-click zooms in on the box, or
 * on the spot. Pans and box selections never reach here: d3-zoom and React Flow swallow their clicks.
 */
export function useOverviewPointer(active: boolean) {
  const store = useStoreApi<FlowNode, FlowEdge>();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const press = useRef<Press | undefined>(undefined);

  const boxUnder = useCallback(
    (event: MouseEvent): OverviewBox | undefined => {
      const { nodeLookup, transform } = store.getState();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      return boxAt(overviewBoxes(nodeLookup.values()), point, OVERVIEW_HIT_SLOP_PX / transform[2]);
    },
    [store, flow],
  );

  const onPointerDownCapture = useCallback(
    (event: PointerEvent) => {
      if (!active) return;
      const selectedIds = store
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id);
      press.current = { x: event.clientX, y: event.clientY, selectedIds };
    },
    [active, store],
  );

  const onClick = useCallback(
    (event: MouseEvent) => {
      const start = press.current;
      if (!active || !onPane(event) || !start) return;
      if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > CLICK_SLOP_PX) return;
      const box = boxUnder(event);
      if (!box) return;
      const adding = event.ctrlKey || event.metaKey || event.shiftKey;
      const before = start.selectedIds;
      const ids = !adding
        ? [box.id]
        : before.includes(box.id)
          ? before.filter((id) => id !== box.id)
          : [...before, box.id];
      store.getState().addSelectedNodes(ids);
    },
    [active, store, boxUnder],
  );

  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!active || !onPane(event)) return;
      const box = boxUnder(event);
      const point = box
        ? { x: box.x + box.width / 2, y: box.y + box.height / 2 }
        : flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      zoomInFromOverview(flow, point);
    },
    [active, flow, boxUnder],
  );

  return useMemo(
    () => ({ onPointerDownCapture, onClick, onDoubleClick }),
    [onPointerDownCapture, onClick, onDoubleClick],
  );
}
